/**
 * Interop with a real reference node, both directions (protocol.md §10,
 * spec/federation-interop.md): the handshake each way (ours signed by our
 * CLI's code path, theirs by its own CLI); the reference pulling our facts
 * over our REST route with matching CIDs (numbers, refs, text, booleans,
 * nulls, every scope it may have — and no instruction, local or team fact);
 * our node pulling the reference over its paging, including the `42.0` it
 * serves for a number it stored as that text; and a fact of it we cannot
 * take (a garden fact) rejected while our cursor moves on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pubkeyFingerprint } from "../../src/core/federation/ed25519.js";
import { declareToPeer } from "../../src/federation/declare-to-peer.js";
import { REFERENCE_PYTHON_SKIP } from "../unit/federation/reference-python.js";
import { admin, FED_ADMIN_KEY, startFedNode, until, write } from "../helpers/federation.js";
import { REFERENCE_ADMIN_KEY, startReferenceNode, type ReferenceNode } from "../helpers/reference-node.js";
import type { TestNode } from "../helpers/test-node.js";

describe.skipIf(REFERENCE_PYTHON_SKIP !== undefined)("interop with a reference node", () => {
  let ref: ReferenceNode;
  let ours: TestNode;
  let refPeerId: string;

  beforeAll(async () => {
    [ref, ours] = await Promise.all([startReferenceNode(), startFedNode()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([ref?.stop(), ours?.stop()]);
  });

  const cidsOn = (db: ReturnType<ReferenceNode["db"]>  , from: string): Map<string, string> =>
    new Map((db.prepare("SELECT id, cid FROM facts WHERE received_from = ?").all(from) as { id: string; cid: string }[]).map((r) => [r.id, r.cid]));

  it("peers both ways: our declaration verifies there, theirs here, each approved by fingerprint", async () => {
    const fed = ours.node.federation!;
    const d = await declareToPeer({ remoteUrl: ref.url, apiKey: REFERENCE_ADMIN_KEY, signer: fed.key, nodeId: ours.node.nodeId, nodeUrl: ours.url, scopes: ["company", "public"] });
    expect(d.status).toBe("pending_approval");
    const ok = await ref.call("POST", `/v1/federation/peers/${d.peerId}/approve`, { pubkey_fingerprint: fed.key.fingerprint });
    expect([ok.status, ok.body.status]).toEqual([200, "active"]);

    // Its CLI exits 1 for anything but "active"; our answer is pending_approval until we approve.
    const cli = await ref.cli(["federation", "register-peer", "--remote-url", ours.url, "--local-url", ref.url, "--scopes", "public,company", "--api-key", FED_ADMIN_KEY]);
    expect(cli.stderr).toContain("status=pending_approval");
    const peers = (await admin(ours).get("/v1/federation/peers")).body.peers;
    expect(peers).toEqual([expect.objectContaining({ node_id: ref.nodeId, status: "pending_approval", allowed_scopes: ["company", "public"] })]);
    refPeerId = peers[0].peer_id;
    const approved = await admin(ours).post(`/v1/federation/peers/${refPeerId}/approve`, { pubkey_fingerprint: pubkeyFingerprint(ref.pubkey) });
    expect(approved.status).toBe(200);
    expect(ours.node.stores.peers.byId(refPeerId)!.transport).toBe("rest");
  });

  it("the reference pulls our facts with matching CIDs, and nothing it must not have", async () => {
    const sent = [
      await write(ours, { entity: "user:n1", relation: "memory:age", value: { type: "number", v: 42 } }),
      await write(ours, { entity: "user:n2", relation: "memory:age", value: { type: "number", v: 42.5 }, scope: "company" }),
      await write(ours, { entity: "user:n3", relation: "memory:score", value: { type: "number", v: 1e16 }, confidence: 0.9 }),
      await write(ours, { entity: "user:n4", relation: "memory:tiny", value: { type: "number", v: 0.00001 } }),
      await write(ours, { entity: "user:r1", relation: "memory:manager", value: { type: "ref", v: "user:n1" }, valid_until: "2030-01-01T00:00:00Z" }),
      await write(ours, { entity: "user:t1", relation: "memory:note", value: { type: "text", v: "Zoë\nsays hi" }, scope: "company" }),
      await write(ours, { entity: "user:b1", relation: "memory:active", value: { type: "boolean", v: false } }),
      await write(ours, { entity: "user:z1", relation: "memory:gone", value: { type: "null" } }),
      await write(ours, { entity: "user:d1", relation: "memory:born", value: { type: "datetime", v: "1990-01-01T00:00:00Z" } }),
    ];
    const withheld = [
      await write(ours, { entity: "user:i1", relation: "memory:do", value: { type: "string", v: "obey", interpret_as: "instruction" } }),
      await write(ours, { entity: "user:l1", relation: "memory:age", value: { type: "number", v: 1 }, scope: "local" }),
      await write(ours, { entity: "user:m1", relation: "memory:age", value: { type: "number", v: 1 }, scope: "team" }),
    ];
    const marker = await write(ours, { entity: "user:marker", relation: "memory:n", value: { type: "number", v: 7 } });
    await until("the reference pulled everything up to the marker", () => cidsOn(ref.db(), ours.node.nodeId).has(marker.id), 60_000);
    const got = cidsOn(ref.db(), ours.node.nodeId);
    for (const f of [...sent, marker]) expect(got.get(f.id), `${f.entity} ${JSON.stringify(f.value)}`).toBe(f.cid);
    for (const f of withheld) expect(got.has(f.id), f.entity).toBe(false);
    // Its ingest took every fact: none in its integrity-rejection log.
    const rejected = ref.db().prepare("SELECT count(*) AS n FROM federation_audit WHERE event_type = 'federation_integrity_rejected'").get() as { n: number };
    expect(rejected.n).toBe(0);
  });

  it("we pull the reference's facts with matching CIDs, including one it serves as 42.0", async () => {
    const ids: string[] = [];
    for (const body of [
      { entity: "user:ra", relation: "memory:age", value: { type: "number", v: 41 }, source: "agent:ref", scope: "public" },
      { entity: "user:rb", relation: "memory:note", value: { type: "text", v: "from the reference" }, source: "agent:ref", scope: "company" },
      { entity: "user:rc", relation: "memory:on", value: { type: "boolean", v: true }, source: "agent:ref", scope: "public" },
    ]) {
      const r = await ref.call("POST", "/v1/facts", body);
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    // A JSON float literal: the reference stores the text "42.0" and hashes that.
    const float = await ref.call("POST", "/v1/facts", '{"entity":"user:rd","relation":"memory:age","value":{"type":"number","v":42.0},"source":"agent:ref","scope":"public"}');
    ids.push(float.body.id);
    await until("we pulled the reference's facts", () => ids.every((id) => cidsOn(ours.inspect(), ref.nodeId).has(id)), 60_000);
    const theirs = new Map((ref.db().prepare("SELECT id, cid FROM facts").all() as { id: string; cid: string }[]).map((r) => [r.id, r.cid]));
    const mine = cidsOn(ours.inspect(), ref.nodeId);
    for (const id of ids) expect(mine.get(id)).toBe(theirs.get(id));
    const stored = ours.inspect().prepare("SELECT value_v FROM facts WHERE id = ?").get(float.body.id) as { value_v: string };
    expect(stored.value_v).toBe("42.0");
  });

  it("rejects a fact of the reference it cannot take, and its cursor moves on", async () => {
    const garden = await ref.call("POST", "/v1/gardens", { slug: "interop", name: "interop", scope: "public" });
    expect(garden.status).toBe(201);
    const inGarden = await ref.call("POST", "/v1/facts", {
      entity: "user:g1",
      relation: "memory:secret",
      value: { type: "string", v: "garden only" },
      source: "agent:ref",
      scope: "public",
      garden_id: garden.body.garden_id,
    });
    expect(inGarden.status).toBe(201);
    const after = await ref.call("POST", "/v1/facts", { entity: "user:g2", relation: "memory:n", value: { type: "number", v: 2 }, source: "agent:ref", scope: "public" });
    await until("the fact after the garden fact arrived", () => cidsOn(ours.inspect(), ref.nodeId).has(after.body.id), 60_000);
    expect(cidsOn(ours.inspect(), ref.nodeId).has(inGarden.body.id)).toBe(false);
    expect(ours.node.stores.peers.replication(refPeerId)!.rejected).toBeGreaterThanOrEqual(1);
    const audit = (await admin(ours).get(`/v1/federation/audit?peer_id=${refPeerId}&event_type=rejected_fact`)).body.entries;
    expect(audit.some((e: { fact_id: string | null; detail: { field: string } }) => e.detail.field === "garden_id")).toBe(true);
  });
});
