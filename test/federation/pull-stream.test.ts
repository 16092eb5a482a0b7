/**
 * The Connect PullFacts stream as a peer sees it (protocol.md §10
 * "PullFacts"): backlog pages ending with `caught_up`, live pages after a
 * commit under `follow`, the end of the stream when its token expires (and
 * pullers carrying on across it), `must_refetch` for a cursor of another
 * epoch, the same scope refusals as REST; and a reference peer served from
 * the start for such a cursor instead.
 */
import { randomUUID } from "node:crypto";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { FederationService, type PullFactsResponse } from "../../gen/proto/stigmem/v1/federation_pb.js";
import { encodeFeedCursor } from "../../src/core/federation/feed-cursor.js";
import { mintPeerToken } from "../../src/core/federation/peer-token.js";
import { admin, link, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

describe("the PullFacts stream", () => {
  let a: TestNode;
  let b: TestNode;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode(), startFedNode({ env: { STIGMEM_FEDERATION_STREAM_TOKEN_TTL_S: "5" } })]);
    for (let i = 0; i < 5; i++) await write(a, { entity: `user:s${i}`, relation: "memory:n", value: { type: "number", v: i } });
    await link(b, a, ["public"]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const client = () => createClient(FederationService, createConnectTransport({ baseUrl: a.url, httpVersion: "1.1" }));
  const token = (ttlMs = 60_000) =>
    mintPeerToken({ signer: b.node.federation!.key, iss: b.node.nodeId, sub: a.node.nodeId, scopes: ["public"], nowMs: Date.now(), ttlMs });

  async function frames(req: Parameters<ReturnType<typeof client>["pullFacts"]>[0], ttlMs?: number, stopAfter?: (f: PullFactsResponse[]) => boolean) {
    const got: PullFactsResponse[] = [];
    for await (const f of client().pullFacts(req, { headers: { authorization: `Bearer ${await token(ttlMs)}` } })) {
      got.push(f);
      if (stopAfter?.(got) === true) break;
    }
    return got;
  }

  it("drains the backlog in pages, the last one caught up", async () => {
    const got = await frames({ pageSize: 2 });
    const pages = got.map((f) => (f.kind.case === "page" ? f.kind.value : undefined));
    expect(pages.map((p) => [p?.facts.length, p?.caughtUp])).toEqual([
      [2, false],
      [2, false],
      [1, true],
    ]);
    // Resuming from the second page's cursor yields only the last fact.
    const rest = await frames({ pageSize: 2, cursor: pages[1]!.cursor });
    expect(rest.map((f) => (f.kind.case === "page" ? f.kind.value.facts.map((x) => x.entity) : []))).toEqual([["user:s4"]]);
  });

  it("sends a page's facts as one JSON array when asked, numbers with their canonical text", async () => {
    await write(a, { entity: "user:big", relation: "memory:n", value: { type: "number", v: 1e16 } });
    const got = await frames({ jsonFacts: true });
    const page = got[0]!.kind.case === "page" ? got[0]!.kind.value : undefined;
    expect(page?.facts).toEqual([]);
    const text = new TextDecoder().decode(page!.factsJson);
    expect(text).toContain('"value":{"type":"number","v":1e+16,"interpret_as":"content"}');
    const parsed = JSON.parse(text) as { entity: string; origin_hlc: string; hlc?: string }[];
    expect(parsed.map((f) => f.entity)).toEqual(["user:s0", "user:s1", "user:s2", "user:s3", "user:s4", "user:big"]);
    expect(parsed[0]).toHaveProperty("origin_hlc");
    expect(parsed[0]).not.toHaveProperty("hlc");
  });

  it("follows with live pages, and ends when the token expires", async () => {
    setTimeout(() => void write(a, { entity: "user:live", relation: "memory:n", value: { type: "number", v: 9 } }), 100);
    const got = await frames({ follow: true }, 3_000);
    const live = got.slice(1).flatMap((f) => (f.kind.case === "page" ? f.kind.value.facts.map((x) => x.entity) : []));
    expect(live).toEqual(["user:live"]);
  });

  it("answers must_refetch to a cursor of another epoch, and scope_not_permitted to a scope not served", async () => {
    const stale = encodeFeedCursor({ epoch: randomUUID(), position: 1, scopes: ["public"] });
    const reason = async (req: Parameters<ReturnType<typeof client>["pullFacts"]>[0]) => {
      try {
        await frames(req);
        return "ok";
      } catch (e) {
        const c = ConnectError.from(e);
        return [Code[c.code], c.findDetails(ErrorInfoSchema)[0]?.reason];
      }
    };
    expect(await reason({ cursor: stale })).toEqual(["FailedPrecondition", "must_refetch"]);
    expect(await reason({ scopes: ["company"] })).toEqual(["PermissionDenied", "scope_not_permitted"]);
    expect(await reason({ cursor: "garbage" })).toEqual(["InvalidArgument", "invalid_cursor"]);
  });

  it("serves a reference peer's stale cursor from the start, over REST", async () => {
    const stale = encodeFeedCursor({ epoch: randomUUID(), position: 3, scopes: ["public"] });
    const res = await fetch(`${a.url}/v1/federation/facts?cursor=${stale}`, { headers: { authorization: `Bearer ${await token()}` } });
    const body = (await res.json()) as { facts: unknown[] };
    expect([res.status, res.headers.get("stigmem-feed-restarted"), body.facts.length]).toEqual([200, "true", 7]);
  });

  it("keeps replicating across the end of a stream's token", async () => {
    await link(a, b, ["public"]);
    const first = await write(a, { entity: "user:before", relation: "memory:n", value: { type: "number", v: 1 } });
    await until("b has the first fact", () => storedFacts(b).some((f) => f.id === first.id));
    // Streams end every 5 s here: wait until b's stream ended at its token's expiry (the test's own
    // streams above are counted already).
    const completed = async () => {
      const text = await (await fetch(`${a.url}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith("stigmem_rpc_requests_total") && l.includes("PullFacts") && l.includes('code="ok"'));
      return line === undefined ? 0 : Number(line.split(" ").pop());
    };
    const before = await completed();
    await until("b's stream ended at its token's expiry", async () => (await completed()) > before, 20_000);
    const second = await write(a, { entity: "user:after", relation: "memory:n", value: { type: "number", v: 2 } });
    await until("b has the fact written after the reconnect", () => storedFacts(b).some((f) => f.id === second.id));
    expect((await admin(b).get(`/v1/facts/${second.id}`)).body.received_from).toBe(a.node.nodeId);
  });
});
