/**
 * The pull server's refusals and its scope rules, over real nodes
 * (protocol.md §10): tokens replayed, expired, forged, too long-lived or
 * for another node are refused with their codes and audited; nonces
 * survive a restart; unapproved, rejected and revoked peers get nothing;
 * and the scope matrix — each declaration × each token × team opt-in —
 * serves exactly `declared ∩ token − local − team (unless opted in)`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signerFromSeed } from "../../src/core/federation/ed25519.js";
import { mintPeerToken } from "../../src/core/federation/peer-token.js";
import { admin, approve, declare, startFedNode, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

const SCOPES = ["local", "team", "company", "public"] as const;

/** Pulls `a`'s REST feed as `b` with a token built from `over`. */
async function pull(a: TestNode, b: TestNode, over: Partial<Parameters<typeof mintPeerToken>[0]> = {}, query = ""): Promise<{ status: number; body: any }> {
  const token = await mintPeerToken({ signer: b.node.federation!.key, iss: b.node.nodeId, sub: a.node.nodeId, scopes: ["company", "public"], nowMs: Date.now(), ...over });
  return pullWith(a, token, query);
}

async function pullWith(a: TestNode, token: string, query = ""): Promise<{ status: number; body: any }> {
  const res = await fetch(`${a.url}/v1/federation/facts${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

/** Registers `b` at `a` with `scopes` (replacing an earlier registration) and approves it. */
async function register(a: TestNode, b: TestNode, scopes: readonly string[]): Promise<string> {
  const known = (await admin(a).get("/v1/federation/peers")).body.peers.find((p: { node_id: string }) => p.node_id === b.node.nodeId);
  if (known !== undefined && known.status !== "revoked") await admin(a).post(`/v1/federation/peers/${known.peer_id}/revoke`, {});
  const d = await declare(b, a, scopes);
  await approve(a, d.peerId, b);
  return d.peerId;
}

describe("the pull server", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-pull-auth-"));
  let a: TestNode;
  let b: TestNode;
  let peerId: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode({ dataDir: dir }), startFedNode()]);
    for (const scope of SCOPES) await write(a, { entity: `user:${scope}`, relation: "memory:scope", value: { type: "string", v: scope }, scope });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives nothing to an unknown, pending, rejected or revoked peer", async () => {
    expect((await pull(a, b)).body.code).toBe("peer_not_registered");
    const d = await declare(b, a, ["public"]);
    expect((await pull(a, b)).body.code).toBe("peer_not_approved");
    await admin(a).post(`/v1/federation/peers/${d.peerId}/revoke`, {});
    expect((await pull(a, b)).body.code).toBe("peer_not_approved");
    peerId = await register(a, b, ["company", "public"]);
    const ok = await pull(a, b);
    expect(ok.status).toBe(200);
    expect(ok.body.facts.map((f: { scope: string }) => f.scope).sort()).toEqual(["company", "public"]);
    const noToken = await fetch(`${a.url}/v1/federation/facts`);
    expect(noToken.status).toBe(401);
  });

  it("refuses replayed, expired, forged, too long-lived and misaddressed tokens, and audits each", async () => {
    const once = await mintPeerToken({ signer: b.node.federation!.key, iss: b.node.nodeId, sub: a.node.nodeId, scopes: ["public"], nowMs: Date.now() });
    expect((await pullWith(a, once)).status).toBe(200);
    const other = await signerFromSeed(new Uint8Array(32).fill(3));
    const cases: [string, Promise<{ status: number; body: any }>][] = [
      ["nonce_already_seen", pullWith(a, once)],
      ["token_expired", pull(a, b, { nowMs: Date.now() - 2 * 3_600_000, ttlMs: 3_600_000 })],
      ["invalid_signature", pull(a, b, { signer: other })],
      ["invalid_sub", pull(a, b, { sub: "stigmem:node:00000000-0000-4000-8000-000000000000" })],
      ["iat_in_future", pull(a, b, { nowMs: Date.now() + 120_000 })],
      ["invalid_token", pullWith(a, "not.a.token")],
    ];
    for (const [code, r] of cases) {
      const { status, body } = await r;
      expect([status, body.code], code).toEqual([401, code]);
    }
    // Too long-lived: mintPeerToken refuses to make one, so sign the payload ourselves.
    const now = Date.now();
    const head = Buffer.from('{"alg":"EdDSA","typ":"JWT"}').toString("base64url");
    const body = Buffer.from(JSON.stringify({ iss: b.node.nodeId, sub: a.node.nodeId, iat: now, exp: now + 2 * 3_600_000, nonce: "n-long", scopes: ["public"] })).toString("base64url");
    const sig = Buffer.from(await b.node.federation!.key.sign(new TextEncoder().encode(`${head}.${body}`))).toString("base64url");
    const long = await pullWith(a, `${head}.${body}.${sig}`);
    expect([long.status, long.body.code]).toEqual([401, "token_lifetime_exceeded"]);

    const audit = (await admin(a).get(`/v1/federation/audit?peer_id=${peerId}&limit=50`)).body.entries;
    const refused = audit.filter((e: { event_type: string }) => e.event_type === "rejected_token").map((e: { detail: { code: string } }) => e.detail.code);
    // The two refusals of the first test (pending, then revoked) and one entry per attack above.
    expect(refused.sort()).toEqual([
      "iat_in_future",
      "invalid_signature",
      "invalid_sub",
      "nonce_already_seen",
      "peer_not_approved",
      "peer_not_approved",
      "token_expired",
      "token_lifetime_exceeded",
    ]);
    expect(audit.filter((e: { event_type: string }) => e.event_type === "replay_attempt")).toHaveLength(1);
  });

  it("refuses a scope the peer is not served (audited), and an empty intersection", async () => {
    const r = await pull(a, b, { scopes: ["public"] }, "?scope=company");
    expect([r.status, r.body.code]).toEqual([403, "scope_not_permitted"]);
    const none = await pull(a, b, { scopes: ["local"] });
    expect([none.status, none.body.code]).toEqual([403, "no_permitted_scopes"]);
    const audit = (await admin(a).get(`/v1/federation/audit?event_type=scope_violation`)).body.entries;
    expect(audit[0]).toMatchObject({ peer_id: peerId, event_type: "scope_violation" });
  });

  it("refuses a new token that reuses a nonce", async () => {
    const nonce = "3f1d8f0e-8f8a-4d55-9d7c-0c5b7c0b9e11";
    expect((await pull(a, b, { nonce })).status).toBe(200);
    const reused = await pull(a, b, { nonce, nowMs: Date.now() + 1 });
    expect([reused.status, reused.body.code]).toEqual([401, "nonce_already_seen"]);
  });

  it("keeps used nonces across a restart", async () => {
    const token = await mintPeerToken({ signer: b.node.federation!.key, iss: b.node.nodeId, sub: a.node.nodeId, scopes: ["public"], nowMs: Date.now() });
    expect((await pullWith(a, token)).status).toBe(200);
    await a.stop();
    a = await startFedNode({ dataDir: dir });
    const replay = await pullWith(a, token);
    expect([replay.status, replay.body.code]).toEqual([401, "nonce_already_seen"]);
  });

  describe.each([false, true])("the scope matrix (team opted in: %s)", (allowTeam) => {
    let pub: TestNode;
    let sub: TestNode;
    beforeAll(async () => {
      [pub, sub] = await Promise.all([startFedNode({ env: { STIGMEM_FEDERATION_ALLOW_TEAM: String(allowTeam) } }), startFedNode()]);
      for (const scope of SCOPES) await write(pub, { entity: `user:${scope}`, relation: "memory:scope", value: { type: "string", v: scope }, scope });
    });
    afterAll(async () => {
      await Promise.all([pub?.stop(), sub?.stop()]);
    });
    const declarations = [["public"], ["company"], ["company", "public"], ["team", "company", "public"]];
    const tokens = [["public"], ["company", "public"], ["local", "team", "company", "public"], ["team"]];
    it.each(declarations.map((d) => [d]))("declared %j", async (declared) => {
      await register(pub, sub, declared);
      for (const token of tokens) {
        const expected = SCOPES.filter((s) => s !== "local" && (s !== "team" || allowTeam) && declared.includes(s) && token.includes(s));
        const r = await pull(pub, sub, { scopes: token });
        if (expected.length === 0) {
          expect([r.status, r.body.code], `token ${token.join(",")}`).toEqual([403, "no_permitted_scopes"]);
          continue;
        }
        expect(r.status, `token ${token.join(",")}`).toBe(200);
        expect(r.body.facts.map((f: { scope: string }) => f.scope).sort(), `token ${token.join(",")}`).toEqual([...expected].sort());
      }
    });
  });
});
