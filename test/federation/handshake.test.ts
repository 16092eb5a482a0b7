/**
 * The handshake between two real nodes (protocol.md §10): discovery fields
 * only with federation on, registration verified against the declarer's
 * published key, approval by fingerprint only, reject/revoke and
 * registering again, the 409 rules, and every step in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signDeclaration } from "../../src/core/federation/peer-declaration.js";
import { signerFromSeed } from "../../src/core/federation/ed25519.js";
import { admin, approve, declare, startFedNode } from "../helpers/federation.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

describe("federation handshake", () => {
  let a: TestNode;
  let b: TestNode;
  let off: TestNode;

  beforeAll(async () => {
    [a, b, off] = await Promise.all([startFedNode(), startFedNode(), startTestNode()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), off?.stop()]);
  });

  it("advertises the key and endpoints only with federation on", async () => {
    const wk = (await new RestClient(a.url).get("/.well-known/stigmem")).body;
    expect(wk).toMatchObject({
      federation: "enabled",
      federation_pubkey: a.node.federation!.key.publicKey,
      federation_version: "0.5",
      federation_endpoints: { peers: "/v1/federation/peers", facts: "/v1/federation/facts", push: null, pull_stream: "/stigmem.v1.FederationService/PullFacts" },
    });
    const plain = (await new RestClient(off.url).get("/.well-known/stigmem")).body;
    expect(plain.federation).toBe("disabled");
    expect(plain).not.toHaveProperty("federation_pubkey");
    expect((await new RestClient(off.url).get("/v1/federation/peers")).body.code).toBe("federation_disabled");
  });

  it("registers a verified declaration as pending, and approves it only with the right fingerprint", async () => {
    const d = await declare(a, b, ["public", "company"]);
    expect(d.status).toBe("pending_approval");
    const listed = (await admin(b).get("/v1/federation/peers")).body.peers;
    expect(listed).toEqual([
      expect.objectContaining({ peer_id: d.peerId, node_id: a.node.nodeId, node_url: a.url, status: "pending_approval", allowed_scopes: ["company", "public"], established_at: null, pubkey_fingerprint: a.node.federation!.key.fingerprint }),
    ]);
    const again = await declare(a, b, ["public"]).catch((e: { code: string; status: number }) => [e.status, e.code]);
    expect(again).toEqual([409, "peer_exists"]);

    const wrong = await admin(b).post(`/v1/federation/peers/${d.peerId}/approve`, { pubkey_fingerprint: `sha256:${"0".repeat(64)}` });
    expect([wrong.status, wrong.body.code]).toEqual([400, "fingerprint_mismatch"]);
    const widen = await admin(b).post(`/v1/federation/peers/${d.peerId}/approve`, {
      pubkey_fingerprint: a.node.federation!.key.fingerprint,
      allowed_scopes: ["team"],
    });
    expect([widen.status, widen.body.code]).toEqual([422, "validation_error"]);
    await approve(b, d.peerId, a, ["public"]);
    const after = (await admin(b).get("/v1/federation/peers")).body.peers[0];
    expect([after.status, after.allowed_scopes, typeof after.established_at]).toEqual(["active", ["public"], "string"]);
    const twice = await admin(b).post(`/v1/federation/peers/${d.peerId}/approve`, { pubkey_fingerprint: a.node.federation!.key.fingerprint });
    expect([twice.status, twice.body.code]).toEqual([409, "peer_not_pending"]);

    const events = (await admin(b).get(`/v1/federation/audit?peer_id=${d.peerId}`)).body.entries.map((e: { event_type: string }) => e.event_type);
    expect(events).toEqual(["peer_approved", "peer_approval_failed", "peer_verified", "peer_registered"]);
  });

  it("rejects a declaration whose signature or published key does not match, and lets it register again", async () => {
    // A declaration for a's identity signed with another key: b fetches a's real key, which differs.
    const impostor = await signerFromSeed(new Uint8Array(32).fill(9));
    const forged = await signDeclaration({ node_url: a.url, node_id: "stigmem:node:00000000-0000-4000-8000-000000000009", allowed_scopes: ["public"] }, impostor, Date.now());
    const r = await admin(a).post("/v1/federation/peers", forged);
    expect([r.status, r.body.status]).toEqual([201, "rejected"]);
    // Declared key differs from the one a publishes, and a's node_id differs too.
    const peers = (await admin(a).get("/v1/federation/peers")).body.peers;
    expect(peers.find((p: { peer_id: string }) => p.peer_id === r.body.peer_id).status).toBe("rejected");
    const again = await admin(a).post("/v1/federation/peers", forged);
    expect([again.status, again.body.peer_id]).toEqual([201, r.body.peer_id]);
  });

  it("refuses stale and malformed declarations, and callers without federate", async () => {
    const fed = b.node.federation!;
    const stale = await signDeclaration({ node_url: b.url, node_id: b.node.nodeId, allowed_scopes: ["public"] }, fed.key, Date.now() - 25 * 3_600_000);
    const r = await admin(a).post("/v1/federation/peers", stale);
    expect([r.status, r.body.code]).toEqual([400, "declaration_stale"]);
    const bad = await admin(a).post("/v1/federation/peers", { node_url: "ftp://x", node_id: "n" });
    expect([bad.status, bad.body.code]).toEqual([422, "validation_error"]);
    const anon = await new RestClient(a.url).post("/v1/federation/peers", stale);
    expect(anon.status).toBe(401);
    const reader = await admin(a).post("/v1/auth/keys", { entity_uri: "agent:reader", permissions: ["read"] });
    const denied = await new RestClient(a.url, reader.body.raw_key).get("/v1/federation/peers");
    expect([denied.status, denied.body.code]).toEqual([403, "permission_denied"]);
  });

  it("revokes a peer, which may then register again and be approved with its fingerprint", async () => {
    const peerId = (await admin(b).get("/v1/federation/peers")).body.peers[0].peer_id;
    const revoked = await admin(b).post(`/v1/federation/peers/${peerId}/revoke`, { reason: "key rotation" });
    expect([revoked.status, revoked.body.status]).toEqual([200, "revoked"]);
    const d = await declare(a, b, ["public", "company"]);
    expect([d.peerId, d.status]).toEqual([peerId, "pending_approval"]);
    await approve(b, peerId, a);
    const p = (await admin(b).get("/v1/federation/peers")).body.peers[0];
    expect([p.status, p.allowed_scopes]).toEqual(["active", ["company", "public"]]);
    const events = (await admin(b).get(`/v1/federation/audit?peer_id=${peerId}&event_type=peer_revoked`)).body.entries;
    expect(events.map((e: { detail: { reason: string } }) => e.detail.reason)).toEqual(["key rotation"]);
  });
});
