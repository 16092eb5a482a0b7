/**
 * The feed session's live tail on a real node (protocol.md §10 "PullFacts"):
 * a heartbeat whenever nothing was sent for the heartbeat interval — also
 * while commits the peer is not sent keep waking the stream — and the end
 * of the stream at the token's expiry. Driven in process with a short
 * interval so no test waits 15 s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFeed, type FeedFrame } from "../../src/node/federation/serve-feed.js";
import { link, startFedNode, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

describe("the live tail", () => {
  let a: TestNode;
  let b: TestNode;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode(), startFedNode()]);
    await link(b, a, ["public"]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function session(ttlMs: number) {
    const peer = a.node.stores.peers.byNodeId(b.node.nodeId)!;
    const now = Date.now();
    const claims = { iss: peer.nodeId, sub: a.node.nodeId, iat: now, exp: now + ttlMs, nonce: "n", scopes: ["public"] };
    return openFeed(a.node, { peer, claims }, { cursor: null, scopes: [], onOtherEpoch: "must_refetch" });
  }

  it("sends heartbeats while commits of scopes the peer is not sent keep arriving, and ends at the token's expiry", async () => {
    const s = await session(1_500);
    const kinds: string[] = [];
    const writer = setInterval(() => void write(a, { entity: "user:local", relation: "memory:n", value: { type: "number", v: 1 }, scope: "local" }), 20);
    try {
      const frames: FeedFrame[] = [];
      for await (const f of s.frames({ pageSize: 10, follow: true, signal: new AbortController().signal, heartbeatMs: 200 })) {
        frames.push(f);
        kinds.push(f.kind);
      }
      // The generator returned by itself: the token expired.
      expect(kinds[0]).toBe("page");
      expect(kinds.filter((k) => k === "heartbeat").length).toBeGreaterThanOrEqual(3);
      expect(frames.filter((f) => f.kind === "page").every((f) => f.kind === "page" && f.page.facts.every((r) => r.scope === "public"))).toBe(true);
    } finally {
      clearInterval(writer);
    }
  });

  it("sends a live page for a commit the peer may see", async () => {
    const s = await session(60_000);
    const abort = new AbortController();
    setTimeout(() => void write(a, { entity: "user:pub", relation: "memory:n", value: { type: "number", v: 2 } }), 50);
    const entities: string[] = [];
    for await (const f of s.frames({ pageSize: 10, follow: true, signal: abort.signal, heartbeatMs: 10_000 })) {
      if (f.kind === "page") entities.push(...f.page.facts.map((r) => r.entity));
      if (entities.includes("user:pub")) abort.abort();
    }
    expect(entities).toContain("user:pub");
  });
});
