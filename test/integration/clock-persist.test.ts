/**
 * The node's HLC is written to node_meta by every write transaction that
 * advanced it, so a restart resumes after the last local write even if the
 * wall clock went back meanwhile.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const persistedHlc = (n: TestNode): string | undefined =>
  (n.inspect().prepare("SELECT value FROM node_meta WHERE key = 'hlc'").get() as { value: string } | undefined)?.value;

describe("persisted clock", () => {
  it("holds the HLC of the last write after single and batch writes", async () => {
    node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    const rest = new RestClient(node.url);
    const fact = (v: string) => ({ entity: "user:dana", relation: "memory:location", value: { type: "string", v }, source: "agent:a" });

    const one = await rest.post("/v1/facts", fact("Lisbon"));
    expect(one.status).toBe(201);
    expect(persistedHlc(node)).toBe((one.body as { hlc: string }).hlc);

    const batch = await rest.post("/v1/facts:batch", { facts: [fact("Porto"), fact("Faro")] });
    expect(batch.status).toBe(200);
    const lastId = (batch.body as { results: { fact_id: string }[] }).results[1]!.fact_id;
    const last = await rest.get(`/v1/facts/${lastId}`);
    expect(persistedHlc(node)).toBe((last.body as { hlc: string }).hlc);
  });
});
