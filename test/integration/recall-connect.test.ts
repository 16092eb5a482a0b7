/**
 * RecallService.Recall over Connect (binary, h2c) and gRPC: the same use
 * case as REST — the same ranking, the same validation, errors with stable
 * reasons, the chain proof on request.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { InterpretAs, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { RecallService } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://testnode";
const S = `${T}/agent/test`;

let node: TestNode;
let api: RestClient;
let connect: ReturnType<typeof createClient<typeof RecallService>>;
let grpc: ReturnType<typeof createClient<typeof RecallService>>;

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
  connect = createClient(RecallService, createConnectTransport({ baseUrl: node.url, httpVersion: "2", useBinaryFormat: true }));
  grpc = createClient(RecallService, createGrpcTransport({ baseUrl: node.url }));
  for (const [e, r, v] of [
    [`${T}/user/alice`, "memory:role", "quasar engineer"],
    [`${T}/user/alice`, "memory:team", "quasar platform"],
    [`${T}/user/bob`, "memory:role", "quasar designer"],
    [`${T}/user/bob`, "memory:knows", `${T}/user/alice`],
  ]) {
    const value = r === "memory:knows" ? { type: "ref", v } : { type: "string", v };
    expect((await api.post("/v1/facts", { entity: e, relation: r, value, source: S, scope: "company" })).status).toBe(201);
  }
});
afterAll(async () => {
  await node.stop();
});

async function errorOf(p: Promise<unknown>): Promise<[Code | undefined, string | undefined]> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  return [err?.code, err?.findDetails(ErrorInfoSchema)[0]?.reason];
}

describe("RecallService.Recall", () => {
  it("says where its time went in a Server-Timing header, over Connect and gRPC", async () => {
    for (const client of [connect, grpc]) {
      let header: string | null = null;
      await client.recall({ query: "quasar engineer", scope: "company" }, { onHeader: (h) => (header = h.get("server-timing")) });
      expect(header).toMatch(
        /^structure;dur=\d+\.\d{3}, candidates;dur=\d+\.\d{3}, semantic-wait;dur=\d+\.\d{3}, signals;dur=[\d.]+, fuse;dur=[\d.]+, diversify;dur=[\d.]+, pack;dur=[\d.]+, verify;dur=[\d.]+, build;dur=[\d.]+$/,
      );
    }
  });

  it("ranks exactly like REST, over Connect and gRPC", async () => {
    const rest = (await api.post("/v1/recall", { query: "quasar engineer", scope: "company", depth: 1 })).body;
    for (const client of [connect, grpc]) {
      const res = await client.recall({ query: "quasar engineer", scope: "company", depth: 1 });
      expect(res.facts.map((f) => f.fact?.id)).toEqual(rest.facts.map((f: any) => f.fact.id));
      expect(res.totalScored).toBe(rest.total_scored);
      expect(res.tokensUsed).toBe(rest.tokens_used);
      expect(res.tokenBudget).toBe(4000);
      expect(res.recallId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.queryHash).toBe(rest.query_hash);
      expect(res.chainProof).toBeUndefined();
      expect(res.content.map((f) => f.fact?.id)).toEqual(res.facts.map((f) => f.fact?.id));
      const first = res.facts[0]!;
      expect(first.fact).toMatchObject({ entity: `${T}/user/alice`, relation: "memory:role" });
      expect(first.fact?.value).toMatchObject({ type: ValueType.STRING, interpretAs: InterpretAs.CONTENT, valueV: "quasar engineer" });
      expect(first.scoreBreakdown?.weightedTotal).toBe(first.score);
      expect(first.tokenEstimate).toBe(rest.facts[0].token_estimate);
    }
  });

  it("takes proto3 zero values as the defaults and honours optional fields", async () => {
    const res = await connect.recall({ query: "quasar", scope: "company", includeNeighbors: false, weights: { graph: 0 } });
    expect(res.facts.every((f) => f.hopDistance === 0)).toBe(true);
    const tight = await connect.recall({ query: "quasar", scope: "company", tokenBudget: 1 });
    expect(tight).toMatchObject({ facts: [], tokensUsed: 0, truncated: true, tokenBudget: 1 });
    const cards = await connect.recall({ query: "quasar", scope: "company", preferCards: true });
    expect(cards.facts.some((f) => f.fromCard && f.fact?.relation === "stigmem:card:summary")).toBe(true);
  });

  it("proves the fact chain when asked", async () => {
    const res = await connect.recall({ query: "quasar", scope: "company", verifyChain: true });
    expect(res.chainProof).toMatchObject({ tenantId: "default", checkedEntries: 4n });
    expect(res.chainProof?.headHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    [{ query: "" }, Code.InvalidArgument, "validation_error"],
    [{ query: "x", scope: "galaxy" }, Code.InvalidArgument, "invalid_scope"],
    [{ query: "x", depth: 4 }, Code.InvalidArgument, "graph_depth_exceeded"],
    [{ query: "x", tokenBudget: 200_001 }, Code.InvalidArgument, "validation_error"],
    [{ query: "x", weights: { lexical: 1.5 } }, Code.InvalidArgument, "validation_error"],
    [{ query: "x", asOf: "2020-01-01T00:00:00Z" }, Code.Unimplemented, "time_travel_plugin_not_loaded"],
  ])("%j → %s %s", async (req, code, reason) => {
    expect(await errorOf(connect.recall(req))).toEqual([code, reason]);
  });
});
