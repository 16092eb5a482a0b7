/**
 * Replication between real nodes over the Connect PullFacts stream
 * (protocol.md §10): both directions after the handshake, live commits
 * after the backlog, origin ids, timestamps and HLCs kept, local HLCs
 * received, and what never leaves (local, garden, quarantined, relayed,
 * system and derived facts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, peerBoth, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

describe("replication between two nodes", () => {
  let a: TestNode;
  let b: TestNode;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode(), startFedNode()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("replicates the backlog both ways once peered, keeping origin id, CID, timestamp and HLC", async () => {
    const fa = await write(a, { entity: "user:alice", relation: "memory:role", value: { type: "string", v: "engineer" } });
    const fb = await write(b, { entity: "user:bob", relation: "memory:age", value: { type: "number", v: 42 }, scope: "company" });
    await peerBoth(a, b);
    await until("both facts are on both nodes", () => storedFacts(a).length === 2 && storedFacts(b).length === 2);
    const onB = (await admin(b).get(`/v1/facts/${fa.id}`)).body;
    expect(onB).toMatchObject({
      id: fa.id,
      cid: fa.cid,
      timestamp: fa.timestamp,
      origin_hlc: fa.hlc,
      received_from: a.node.nodeId,
      origin_node_id: a.node.nodeId,
      source_trust: 0.5,
    });
    expect(onB.hlc > fa.hlc || onB.hlc.length > fa.hlc.length).toBe(true);
    const onA = (await admin(a).get(`/v1/facts/${fb.id}`)).body;
    expect(onA).toMatchObject({ id: fb.id, cid: fb.cid, value: { type: "number", v: 42 }, received_from: b.node.nodeId });
  });

  it("tails new commits live after the backlog", async () => {
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => write(a, { entity: `user:live${i}`, relation: "memory:n", value: { type: "number", v: i } })),
    );
    await until("the live writes reach b", () => {
      const ids = new Set(storedFacts(b).map((f) => f.id));
      return writes.every((w) => ids.has(w.id));
    });
  });

  it("never sends local, garden, quarantined, relayed, system or derived facts", async () => {
    const kept = [
      await write(a, { entity: "user:x", relation: "memory:local", value: { type: "string", v: "l" }, scope: "local" }),
      await write(a, { entity: "user:x", relation: "stigmem:internal", value: { type: "string", v: "s" } }),
      await write(a, { entity: "user:x", relation: "memory:derived", value: { type: "string", v: "d" }, derived_from: [{ fact_id: "x" }] }),
      await write(a, { entity: "user:x", relation: "memory:team", value: { type: "string", v: "t" }, scope: "team" }),
    ];
    const marker = await write(a, { entity: "user:x", relation: "memory:marker", value: { type: "string", v: "m" } });
    await until("the marker reaches b", () => storedFacts(b).some((f) => f.id === marker.id));
    const onB = new Set(storedFacts(b).map((f) => f.id));
    for (const f of kept) expect(onB.has(f.id), f.relation).toBe(false);
    // b's copy of a's fact is not sent back to a (no relaying; a already has it by id anyway), and
    // nothing b received from a is among what b serves: its own facts only.
    const fromA = storedFacts(a).filter((f) => f.received_from !== null);
    expect(fromA.every((f) => f.received_from === b.node.nodeId)).toBe(true);
  });

  it("reports the cursor, counts and catching up in the replication state", async () => {
    const st = b.node.stores.peers.replications();
    expect(st).toHaveLength(1);
    expect(st[0]!.cursor).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(st[0]!.accepted).toBeGreaterThanOrEqual(22);
    expect(st[0]!.rejected).toBe(0);
    expect(st[0]!.caughtUpMs).not.toBeNull();
  });
});
