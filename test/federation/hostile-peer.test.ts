/**
 * Publishers that misbehave, seen from a real node (protocol.md §10
 * "Reject-and-advance", §5 skew bounds): a poisoned peer's bad facts (bad
 * CID, bad shape, future HLC) are rejected, audited and passed over while
 * its good ones land, and neither its poison nor its outage delays a
 * healthy peer; a peer whose facts are older than 30 days completes its
 * backfill over pull, while push keeps the past bound.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCid } from "../../src/core/cid.js";
import { mintPeerToken } from "../../src/core/federation/peer-token.js";
import { FakeReferencePeer, type ServedFact } from "../helpers/fake-reference-peer.js";
import { admin, link, peerBoth, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

const DAY = 86_400_000;

describe("a poisoned peer beside a healthy one", () => {
  let c: TestNode;
  let h: TestNode;
  let p: FakeReferencePeer;

  beforeAll(async () => {
    [c, h] = await Promise.all([startFedNode(), startFedNode()]);
    p = await FakeReferencePeer.start(5);
  });
  afterAll(async () => {
    await p?.stop();
    await Promise.all([c?.stop(), h?.stop()]);
  });

  it("rejects and audits the poison, ingests the rest, and the healthy peer replicates through its outage", async () => {
    const now = Date.now();
    const good1 = p.fact("user:p1", "fine", now - 5_000);
    const badCid: ServedFact = { ...p.fact("user:p2", "tampered", now - 4_000), cid: `sha256:${"0".repeat(64)}` };
    const { entity: _dropped, ...badShape } = p.fact("user:p3", "no entity", now - 3_000);
    const future = p.fact("user:p4", "from the future", now + 3_600_000);
    const good2 = p.fact("user:p5", "fine too", now - 1_000);
    p.facts = [good1, badCid, badShape, good2, future];
    const peerId = await p.register(c, ["public"]);
    await peerBoth(c, h, ["public"]);
    await until("c has p's good facts", () => {
      const ids = storedFacts(c).map((f) => f.id);
      return ids.includes(good1.id as string) && ids.includes(good2.id as string);
    });
    await until("the page was committed", () => (c.node.stores.peers.replication(peerId)?.rejected ?? 0) === 3);
    const ids = storedFacts(c).map((f) => f.id);
    for (const bad of [badCid, badShape, future]) expect(ids).not.toContain(bad.id);
    const st = c.node.stores.peers.replication(peerId)!;
    expect([st.accepted, st.rejected, st.cursor]).toEqual([2, 3, String(Math.floor(now + 3_600_000))]);
    const events = (await admin(c).get(`/v1/federation/audit?peer_id=${peerId}&limit=100`)).body.entries.map((e: { event_type: string }) => e.event_type);
    expect(events).toEqual(expect.arrayContaining(["federation_integrity_rejected", "rejected_fact", "peer_hlc_anomaly", "facts_ingested"]));

    // p goes silent (requests hang); h's writes still arrive.
    p.hanging = true;
    await until("c's worker for p is stuck in a request", () => p.pending > 0, 20_000);
    const live = await write(h, { entity: "user:h", relation: "memory:n", value: { type: "number", v: 1 } });
    await until("h's fact reaches c", () => storedFacts(c).some((f) => f.id === live.id));
    expect(p.pending).toBeGreaterThan(0);
  });
});

describe("old facts", () => {
  let c: TestNode;
  let m: TestNode;
  let p: FakeReferencePeer;

  beforeAll(async () => {
    [c, m] = await Promise.all([startFedNode({ env: { STIGMEM_FEDERATION_PUSH: "true" } }), startFedNode()]);
    p = await FakeReferencePeer.start(6);
  });
  afterAll(async () => {
    await p?.stop();
    await Promise.all([c?.stop(), m?.stop()]);
  });

  it("a peer whose facts are older than 30 days completes its backfill", async () => {
    const old = Date.now() - 40 * DAY;
    p.facts = Array.from({ length: 700 }, (_, i) => p.fact(`user:old${i}`, `v${i}`, old + i));
    const peerId = await p.register(c, ["public"]);
    await until("all 700 old facts are on c", () => storedFacts(c).filter((f) => f.received_from === p.nodeId).length === 700);
    expect(c.node.stores.peers.replication(peerId)!.rejected).toBe(0);
    const one = (await admin(c).get(`/v1/facts/${p.facts[0]!.id as string}`)).body;
    expect(one.origin_hlc).toBe(`${old}.000`);
    expect(Number(one.hlc.split(".")[0])).toBeGreaterThan(Date.now() - DAY);
  });

  it("push keeps the past bound", async () => {
    await link(m, c, ["public"]);
    const body = { entity: "user:pushed", relation: "memory:n", source: m.node.nodeId, confidence: 1, scope: "public" as const };
    const fact = (wall: number) => ({
      ...body,
      id: crypto.randomUUID(),
      value: { type: "string", v: "x" },
      timestamp: new Date(wall).toISOString(),
      origin_hlc: `${wall}.000`,
      cid: computeCid({ ...body, value_type: "string", value_v: "x" }),
    });
    const token = await mintPeerToken({ signer: m.node.federation!.key, iss: m.node.nodeId, sub: c.node.nodeId, scopes: ["public"], nowMs: Date.now() });
    const res = await fetch(`${c.url}/v1/federation/facts/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ facts: [fact(Date.now() - 40 * DAY), fact(Date.now())] }),
    });
    const out = (await res.json()) as { accepted: number; rejected: number; errors: { error: string }[] };
    expect([res.status, out.accepted, out.rejected, out.errors.map((e) => e.error)]).toEqual([202, 1, 1, ["hlc_skew"]]);
  });
});
