/**
 * Request bodies are bounded per operation, and a recall query per request
 * (issue 15: a 5 MB recall query held the node for 2.4 s under a 40 MB body
 * limit). Each cap still admits the largest legal request it guards.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecallRequestSchema } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { MAX_QUERY_BYTES, MAX_VALUE_BYTES } from "../../src/core/limits.js";
import { BATCH_BODY_LIMIT, FACT_BODY_LIMIT } from "../../src/transport/operation-classes.js";
import { RawRpcClient } from "../helpers/raw-rpc.js";
import { storeCounts } from "../helpers/store-counts.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
let rpc: RawRpcClient;
beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  rpc = new RawRpcClient(node.url);
});
afterAll(async () => {
  rpc.close();
  await node.stop();
});

async function post(path: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(node.url + path, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.status, text: await res.text() };
}

const fact = (v: string, entity = "user:bounds") => ({
  entity,
  relation: "memory:note",
  value: { type: "text", v },
  source: "agent:test",
  scope: "company",
});

describe("recall query", () => {
  it("of 5 MB is refused by the body cap, over REST and Connect", async () => {
    const huge = "word ".repeat(1_000_000);
    const rest = await post("/v1/recall", JSON.stringify({ query: huge, scope: "company" }));
    expect(rest.status).toBe(413);
    expect(rest.text).toContain("payload_too_large");
    const message = toBinary(RecallRequestSchema, create(RecallRequestSchema, { query: huge, scope: "company" }));
    const out = await rpc.call("connect-proto", "/stigmem.v1.RecallService/Recall", message);
    expect(`${out.code} ${out.reason}`).toBe("invalid_argument payload_too_large");
  });

  it("over 4 KiB of UTF-8 is 422 query_too_long, at most 4 KiB is served", async () => {
    // 2,049 two-byte characters: 4,098 bytes but only 2,049 UTF-16 units.
    const long = await post("/v1/recall", JSON.stringify({ query: "é".repeat(2_049), scope: "company" }));
    expect(long.status).toBe(422);
    expect(long.text).toContain("query_too_long");
    const message = toBinary(RecallRequestSchema, create(RecallRequestSchema, { query: "q".repeat(MAX_QUERY_BYTES + 1) }));
    const out = await rpc.call("grpc-proto", "/stigmem.v1.RecallService/Recall", message);
    expect(`${out.code} ${out.reason}`).toBe("invalid_argument query_too_long");
    const fits = await post("/v1/recall", JSON.stringify({ query: "é".repeat(MAX_QUERY_BYTES / 2), scope: "company" }));
    expect(fits.status, fits.text).toBe(200);
  });
});

describe("fact bodies", () => {
  it("admit the largest legal fact even with every byte escaped, and refuse bigger bodies", async () => {
    // 64 KiB of control characters: JSON spells each as a six-byte \u00XX escape.
    const value = "\u0001".repeat(MAX_VALUE_BYTES);
    const body = JSON.stringify(fact(value));
    expect(body.length).toBeGreaterThan(6 * MAX_VALUE_BYTES);
    expect(body.length).toBeLessThanOrEqual(FACT_BODY_LIMIT);
    const ok = await post("/v1/facts", body);
    expect(ok.status, ok.text.slice(0, 200)).toBe(201);

    const before = storeCounts(node.inspect());
    const padded = JSON.stringify({ ...fact("small"), padding: "x".repeat(FACT_BODY_LIMIT) });
    const refused = await post("/v1/facts", padded);
    expect(refused.status).toBe(413);
    expect(refused.text).toContain("payload_too_large");
    expect(storeCounts(node.inspect())).toEqual(before);
  });

  it("cap a batch at 4 MiB: 500 ordinary facts fit, more bytes do not", async () => {
    const facts = Array.from({ length: 500 }, (_, i) => fact(`note ${i} ${"lorem ipsum ".repeat(20)}`, `user:batch-${i}`));
    const ok = await post("/v1/facts:batch", JSON.stringify({ facts }));
    expect(ok.status, ok.text.slice(0, 200)).toBe(200);

    const before = storeCounts(node.inspect());
    const big = Array.from({ length: 100 }, (_, i) => fact("z".repeat(Math.ceil(BATCH_BODY_LIMIT / 100)), `user:big-${i}`));
    const refused = await post("/v1/facts:batch", JSON.stringify({ facts: big }));
    expect(refused.status).toBe(413);
    expect(storeCounts(node.inspect())).toEqual(before);
  });
});
