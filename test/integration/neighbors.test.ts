/**
 * GET /v1/graph/neighbors and RecallService.GetNeighbors (protocol.md §7,
 * §9): breadth-first over current ref edges, both directions, one scope;
 * depth, relation globs, confidence and trust floors, keyset paging.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { RecallService } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { qs, RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://testnode";
const S = `${T}/agent/test`;
const A = `${T}/user/a`;
const B = `${T}/user/b`;
const C = `${T}/user/c`;
const D = `${T}/user/d`;

let node: TestNode;
let api: RestClient;

async function edge(src: string, relation: string, dst: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await api.post("/v1/facts", { entity: src, relation, value: { type: "ref", v: dst }, source: S, scope: "company", ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const neighbors = (q: Record<string, string | number | undefined>) => api.get(`/v1/graph/neighbors${qs({ scope: "company", ...q })}`);

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
  // a → b → c → d, plus c → a pointing back, and a weak edge a → w.
  await edge(A, "memory:knows", B);
  await edge(B, "memory:knows", C);
  await edge(C, "rel:reports_to", D);
  await edge(C, "memory:knows", A);
  await edge(A, "memory:met", `${T}/user/w`, { confidence: 0.05 });
  // Superseded and retracted edges never count.
  await edge(A, "memory:mentor", `${T}/user/old-mentor`);
  await edge(A, "memory:mentor", `${T}/user/new-mentor`);
  await edge(A, "memory:rival", `${T}/user/ex-rival`);
  await api.post("/v1/facts", { entity: A, relation: "memory:rival", value: { type: "string", v: "retracted" }, source: S, scope: "company", confidence: 0 });
  // Another scope.
  await edge(A, "memory:knows", `${T}/user/public-friend`, { scope: "public" });
});
afterAll(async () => {
  await node.stop();
});

describe("GET /v1/graph/neighbors", () => {
  it("answers depth 1 with the direct neighbours in both directions", async () => {
    const r = await neighbors({ entity: A, depth: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ entity: A, depth: 1, next_cursor: null });
    expect(r.body.neighbors).toEqual([
      { entity: B, relation: "memory:knows", hops: 1, confidence: 1, source_trust: 0.7, path: [A, B] },
      { entity: C, relation: "memory:knows", hops: 1, confidence: 1, source_trust: 0.7, path: [A, C] },
      { entity: `${T}/user/new-mentor`, relation: "memory:mentor", hops: 1, confidence: 1, source_trust: 0.7, path: [A, `${T}/user/new-mentor`] },
    ]);
    expect(r.body.total_hint).toBe(3);
  });

  it("goes deeper up to 3 hops, nearest first, with the path", async () => {
    const r = await neighbors({ entity: A, depth: 3 });
    expect(r.body.neighbors.map((n: any) => [n.entity, n.hops])).toEqual([
      [B, 1],
      [C, 1],
      [`${T}/user/new-mentor`, 1],
      [D, 2],
    ]);
    expect(r.body.neighbors.at(-1).path).toEqual([A, C, D]);
  });

  it("filters relations by glob, and edges by confidence and trust", async () => {
    const knows = await neighbors({ entity: A, depth: 3, relation_filter: "memory:kn*" });
    expect(knows.body.neighbors.map((n: any) => n.entity)).toEqual([B, C]);
    const weak = await neighbors({ entity: A, min_confidence: 0 });
    expect(weak.body.neighbors.map((n: any) => n.entity)).toContain(`${T}/user/w`);
    const trusted = await neighbors({ entity: A, min_trust: 0.8 });
    expect(trusted.body.neighbors).toEqual([]);
  });

  it("pages with a cursor bound to its filters", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await neighbors({ entity: A, depth: 3, page_size: 1, cursor });
      expect(r.status).toBe(200);
      expect(r.body.total_hint).toBe(4);
      seen.push(...r.body.neighbors.map((n: any) => n.entity));
      cursor = r.body.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual([B, C, `${T}/user/new-mentor`, D]);
    const first = await neighbors({ entity: A, depth: 3, page_size: 1 });
    const reused = await neighbors({ entity: A, depth: 2, page_size: 1, cursor: first.body.next_cursor });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe("invalid_cursor");
    expect((await neighbors({ entity: A, cursor: "not-a-cursor!" })).body.code).toBe("invalid_cursor");
  });

  it("answers an entity without edges with an empty list", async () => {
    const r = await neighbors({ entity: `${T}/user/no-such-entity-xyz`, depth: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ entity: `${T}/user/no-such-entity-xyz`, depth: 1, neighbors: [], next_cursor: null, total_hint: 0 });
  });

  it.each([
    [{ entity: A, depth: 4 }, 400, "graph_depth_exceeded"],
    [{ entity: A, depth: 0 }, 422, undefined],
    [{ entity: A, page_size: 201 }, 422, undefined],
    [{ entity: A, min_confidence: 2 }, 422, undefined],
    [{ depth: 1 }, 422, undefined],
    [{ entity: A, scope: "" }, 422, undefined],
    [{ entity: A, scope: "galaxy" }, 400, "invalid_scope"],
    [{ entity: "   " }, 400, "invalid_entity_uri"],
  ] as const)("%j → %i", async (q, status, code) => {
    const r = await neighbors(q);
    expect(r.status).toBe(status);
    if (code !== undefined) expect(r.body.code).toBe(code);
  });
});

describe("RecallService.GetNeighbors", () => {
  it("answers like REST and refuses depth 4 with graph_depth_exceeded", async () => {
    const client = createClient(RecallService, createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" }));
    const res = await client.getNeighbors({ entity: A, scope: "company", depth: 3 });
    const rest = (await neighbors({ entity: A, depth: 3 })).body;
    expect(res.neighbors.map((n) => [n.entity, n.relation, n.hops, n.path])).toEqual(
      rest.neighbors.map((n: any) => [n.entity, n.relation, n.hops, n.path]),
    );
    expect(res.totalHint).toBe(rest.total_hint);
    expect(res.nextCursor).toBeUndefined();
    const err = await client.getNeighbors({ entity: A, scope: "company", depth: 4 }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.findDetails(ErrorInfoSchema)[0]?.reason).toBe("graph_depth_exceeded");
  });
});
