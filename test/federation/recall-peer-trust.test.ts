/**
 * Recall and the neighbors route weigh a peer's facts as every other reader
 * does (facts/fact.ts `sourceTrust`): a fact that arrived from a peer has
 * source trust 0.5 in recall's score breakdown, on its graph edges and
 * under `min_trust`, whoever wrote it at its origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, peerBoth, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

describe("recall over facts from a peer", () => {
  let a: TestNode;
  let b: TestNode;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode(), startFedNode()]);
    await write(a, { entity: "service:zephyr", relation: "rel:owned_by", value: { type: "ref", v: "team:aurora" }, scope: "company" });
    await write(a, { entity: "service:zephyr", relation: "memory:runbook", value: { type: "string", v: "restart the zephyr queue" }, scope: "company" });
    await peerBoth(a, b);
    await until("both facts reach b", () => storedFacts(b).filter((f) => f.received_from === a.node.nodeId).length === 2);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("scores a peer's fact with source trust 0.5, where its origin scores it as another key's write (0.7)", async () => {
    const ask = async (node: TestNode) =>
      (await admin(node).post("/v1/recall", { query: "zephyr runbook", scope: "company" })).body as {
        facts: { fact: { relation: string }; score_breakdown: { source_trust: number } }[];
      };
    const trustOf = (body: Awaited<ReturnType<typeof ask>>) =>
      body.facts.find((f) => f.fact.relation === "memory:runbook")!.score_breakdown.source_trust;
    expect(trustOf(await ask(a))).toBe(0.7);
    expect(trustOf(await ask(b))).toBe(0.5);
  });

  it("walks a peer's edge with source trust 0.5 and leaves it out above that", async () => {
    const at = (minTrust: number) =>
      admin(b).get(`/v1/graph/neighbors?entity=service:zephyr&scope=company&min_trust=${minTrust}`);
    const low = (await at(0.5)).body as { neighbors: { entity: string; source_trust: number }[] };
    expect(low.neighbors).toEqual([expect.objectContaining({ entity: "team:aurora", source_trust: 0.5 })]);
    const high = (await at(0.6)).body as { neighbors: unknown[] };
    expect(high.neighbors).toEqual([]);
  });
});
