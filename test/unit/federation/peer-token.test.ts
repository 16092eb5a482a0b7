/**
 * Peer JWTs (§10): a known-answer token byte-equal to the reference's PyJWT
 * output, one table row per verification code, the order of the checks,
 * nonce retention, and live interop with the reference's own mint and
 * verify functions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../../../src/core/federation/base64url.js";
import { signerFromSeed, type Ed25519Signer } from "../../../src/core/federation/ed25519.js";
import {
  MAX_TOKEN_LIFETIME_MS,
  mintPeerToken,
  nonceRetentionUntil,
  PEER_TOKEN_ERROR_CODES,
  verifyPeerToken,
  type PeerTokenContext,
  type TokenPeer,
} from "../../../src/core/federation/peer-token.js";
import { REFERENCE_PYTHON_SKIP, runReferencePython } from "./reference-python.js";

const SEED_A = Uint8Array.from({ length: 32 }, (_, i) => i);
const SEED_B = new Uint8Array(32).fill(0x42);
const PUB_A = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";
const PEER = "stigmem:node:11111111-1111-4111-8111-111111111111";
const US = "stigmem:node:22222222-2222-4222-8222-222222222222";
const NOW = 1_795_268_267_955;
const NONCE = "3b241101-e2bb-4255-8caf-4136c566a962";
const HOUR = 3_600_000;

/** PyJWT `jwt.encode(payload, Ed25519PrivateKey.from_private_bytes(SEED_A), algorithm="EdDSA")`, as the reference mints. */
const KAT_TOKEN =
  "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdGlnbWVtOm5vZGU6MTExMTExMTEtMTExMS00MTExLTgxMTEtMTExMTExMTExMTExIiwic3ViIjoic3RpZ21lbTpub2RlOjIyMjIyMjIyLTIyMjItNDIyMi04MjIyLTIyMjIyMjIyMjIyMiIsImlhdCI6MTc5NTI2ODI2Nzk1NSwiZXhwIjoxNzk1MjY4MzI3OTU1LCJub25jZSI6IjNiMjQxMTAxLWUyYmItNDI1NS04Y2FmLTQxMzZjNTY2YTk2MiIsInNjb3BlcyI6WyJjb21wYW55IiwicHVibGljIl19.s1HmeXcmZacDysHZ868onU3xx6o6N22XfMrrBoESppZ4oY6_YM_Y0-Hu_bahDFd8n2YfiEiUFLhpPBOWrrEgDQ";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const seg = (x: unknown): string => encodeBase64url(utf8(typeof x === "string" ? x : JSON.stringify(x)));

/** Signs any header and payload, for tokens our minter would never produce. */
async function rawToken(signer: Ed25519Signer, header: unknown, payload: unknown): Promise<string> {
  const input = `${seg(header)}.${seg(payload)}`;
  return `${input}.${encodeBase64url(await signer.sign(utf8(input)))}`;
}

const HEADER = { alg: "EdDSA", typ: "JWT" };
const claims = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: PEER,
  sub: US,
  iat: NOW,
  exp: NOW + 60_000,
  nonce: NONCE,
  scopes: ["public"],
  ...patch,
});

interface World {
  ctx: PeerTokenContext<TokenPeer & { id: string }>;
  consumed: Array<[string, number]>;
}

function world(opts: { status?: string; publicKey?: string; nodeId?: string; now?: number; seen?: Set<string> } = {}): World {
  const seen = opts.seen ?? new Set<string>();
  const consumed: Array<[string, number]> = [];
  const peer = { id: "peer-1", nodeId: opts.nodeId ?? PEER, status: opts.status ?? "active", publicKey: opts.publicKey ?? PUB_A };
  return {
    consumed,
    ctx: {
      nowMs: opts.now ?? NOW,
      localNodeId: US,
      lookupPeer: (iss) => (iss.toLowerCase() === PEER ? peer : undefined),
      consumeNonce: (nonce, until) => {
        consumed.push([nonce, until]);
        if (seen.has(nonce)) return false;
        seen.add(nonce);
        return true;
      },
    },
  };
}

const A = await signerFromSeed(SEED_A);
const B = await signerFromSeed(SEED_B);

describe("minting", () => {
  it("produces exactly the token the reference's PyJWT mints for the same claims", async () => {
    const token = await mintPeerToken({ signer: A, iss: PEER, sub: US, scopes: ["company", "public"], nowMs: NOW, nonce: NONCE });
    expect(token).toBe(KAT_TOKEN);
  });

  it("uses a fresh uuid4 nonce and millisecond times", async () => {
    const t = await mintPeerToken({ signer: A, iss: PEER, sub: US, scopes: [], nowMs: NOW, ttlMs: HOUR });
    const payload = JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(payload.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([payload.iat, payload.exp]).toEqual([NOW, NOW + HOUR]);
  });

  it.each([0, -1, MAX_TOKEN_LIFETIME_MS + 1, 1.5])("refuses a lifetime of %d ms", async (ttlMs) => {
    await expect(mintPeerToken({ signer: A, iss: PEER, sub: US, scopes: [], nowMs: NOW, ttlMs })).rejects.toThrow(RangeError);
  });
});

describe("verification, one row per code", () => {
  it("accepts a valid token and consumes its nonce until max(exp + 30 s, now + 300 s)", async () => {
    const w = world();
    const r = await verifyPeerToken(KAT_TOKEN, w.ctx);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.claims).toEqual({ iss: PEER, sub: US, iat: NOW, exp: NOW + 60_000, nonce: NONCE, scopes: ["company", "public"] });
      expect(r.peer.id).toBe("peer-1");
    }
    expect(w.consumed).toEqual([[NONCE, NOW + 300_000]]);
    expect(nonceRetentionUntil(NOW + HOUR, NOW)).toBe(NOW + HOUR + 30_000);
  });

  type Row = [string, () => Promise<string>, Parameters<typeof world>[0], string];
  const rows: Row[] = [
    ["garbage", async () => "not a token", {}, "invalid_token"],
    ["two segments", async () => KAT_TOKEN.split(".").slice(0, 2).join("."), {}, "invalid_token"],
    ["four segments", async () => `${KAT_TOKEN}.x`, {}, "invalid_token"],
    ["padded segment", async () => KAT_TOKEN.replace(".", "=."), {}, "invalid_token"],
    ["header not JSON", async () => `${seg("{")}.${KAT_TOKEN.split(".").slice(1).join(".")}`, {}, "invalid_token"],
    ["payload an array", async () => rawToken(A, HEADER, [PEER]), {}, "invalid_token"],
    ["no iss", async () => rawToken(A, HEADER, claims({ iss: undefined })), {}, "invalid_token"],
    ["oversized", async () => rawToken(A, HEADER, claims({ pad: "x".repeat(9000) })), {}, "invalid_token"],
    ["unknown iss", async () => rawToken(A, HEADER, claims({ iss: "stigmem:node:nobody" })), {}, "peer_not_registered"],
    ["pending peer", async () => KAT_TOKEN, { status: "pending_approval" }, "peer_not_approved"],
    ["revoked peer", async () => KAT_TOKEN, { status: "revoked" }, "peer_not_approved"],
    ["alg none", async () => rawToken(A, { alg: "none", typ: "JWT" }, claims()), {}, "invalid_token"],
    ["alg HS256", async () => rawToken(A, { alg: "HS256", typ: "JWT" }, claims()), {}, "invalid_token"],
    ["crit header", async () => rawToken(A, { ...HEADER, crit: ["exp"] }, claims()), {}, "invalid_token"],
    ["signature not base64url", async () => `${KAT_TOKEN.slice(0, -4)}+/+/`, {}, "invalid_token"],
    ["signed by another key", async () => rawToken(B, HEADER, claims()), {}, "invalid_signature"],
    ["payload swapped", async () => { const [h, , s] = KAT_TOKEN.split("."); return `${h}.${seg(claims({ scopes: ["company"] }))}.${s}`; }, {}, "invalid_signature"],
    ["peer key unusable", async () => KAT_TOKEN, { publicKey: "not-a-key" }, "invalid_signature"],
    ["iat a string", async () => rawToken(A, HEADER, claims({ iat: String(NOW) })), {}, "invalid_token"],
    ["exp fractional", async () => rawToken(A, HEADER, claims({ exp: NOW + 0.5 })), {}, "invalid_token"],
    ["nbf a string", async () => rawToken(A, HEADER, claims({ nbf: "0" })), {}, "invalid_token"],
    ["sub missing", async () => rawToken(A, HEADER, claims({ sub: undefined })), {}, "invalid_token"],
    ["nonce missing", async () => rawToken(A, HEADER, claims({ nonce: undefined })), {}, "invalid_token"],
    ["nonce empty", async () => rawToken(A, HEADER, claims({ nonce: "" })), {}, "invalid_token"],
    ["nonce not ASCII", async () => rawToken(A, HEADER, claims({ nonce: "nonce-ë" })), {}, "invalid_token"],
    ["scopes not an array", async () => rawToken(A, HEADER, claims({ scopes: "public" })), {}, "invalid_token"],
    ["too many scopes", async () => rawToken(A, HEADER, claims({ scopes: new Array(17).fill("public") })), {}, "invalid_token"],
    ["expired", async () => KAT_TOKEN, { now: NOW + 60_000 + 30_001 }, "token_expired"],
    ["seconds, not ms", async () => rawToken(A, HEADER, claims({ iat: Math.floor(NOW / 1000), exp: Math.floor(NOW / 1000) + 60 })), {}, "token_expired"],
    ["for another node", async () => rawToken(A, HEADER, claims({ sub: PEER })), {}, "invalid_sub"],
    ["iss not the peer's node_id", async () => rawToken(A, HEADER, claims({ iss: PEER.toUpperCase() })), {}, "invalid_iss"],
    ["iat too old", async () => rawToken(A, HEADER, claims({ iat: NOW - 86_400_001, exp: NOW + 60_000 })), {}, "iat_too_old"],
    ["iat in the future", async () => rawToken(A, HEADER, claims({ iat: NOW + 30_001, exp: NOW + 90_000 })), {}, "iat_in_future"],
    ["exp before iat", async () => rawToken(A, HEADER, claims({ iat: NOW, exp: NOW - 1 })), {}, "invalid_token"],
    ["lifetime over 1 h", async () => rawToken(A, HEADER, claims({ exp: NOW + HOUR + 1 })), {}, "token_lifetime_exceeded"],
    ["nbf in the future", async () => rawToken(A, HEADER, claims({ nbf: NOW + 30_001 })), {}, "nbf_in_future"],
    ["nonce already seen", async () => KAT_TOKEN, { seen: new Set([NONCE]) }, "nonce_already_seen"],
  ];

  it.each(rows)("%s → %s", async (_name, make, opts, code) => {
    const w = world(opts);
    const r = await verifyPeerToken(await make(), w.ctx);
    expect(r.ok ? "ok" : r.code).toBe(code);
    // Only a token that passed every other check may burn a nonce.
    expect(w.consumed.length).toBe(code === "nonce_already_seen" ? 1 : 0);
  });

  it("covers every code in the catalogue", () => {
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(PEER_TOKEN_ERROR_CODES));
  });

  it.each<[string, Record<string, unknown>, number]>([
    ["exp + 30 s exactly", {}, NOW + 60_000 + 30_000],
    ["iat exactly 24 h old", { iat: NOW - 86_400_000, exp: NOW - 86_400_000 + HOUR }, NOW - 86_400_000 + HOUR],
    ["iat exactly now + 30 s", { iat: NOW + 30_000, exp: NOW + 90_000 }, NOW],
    ["lifetime exactly 1 h", { exp: NOW + HOUR }, NOW],
    ["nbf exactly now + 30 s", { nbf: NOW + 30_000 }, NOW],
  ])("accepts the boundary: %s", async (_name, patch, now) => {
    const r = await verifyPeerToken(await rawToken(A, HEADER, claims(patch)), world({ now }).ctx);
    expect(r.ok ? "ok" : r.code).toBe("ok");
  });
});

describe("verification order (§10): the first failing step wins", () => {
  it.each<[string, () => Promise<string>, Parameters<typeof world>[0], string]>([
    ["unregistered and forged", async () => rawToken(B, HEADER, claims({ iss: "stigmem:node:x" })), {}, "peer_not_registered"],
    ["unapproved and forged", async () => rawToken(B, HEADER, claims()), { status: "pending_approval" }, "peer_not_approved"],
    ["forged and expired", async () => rawToken(B, HEADER, claims({ exp: NOW - HOUR, iat: NOW - 2 * HOUR })), {}, "invalid_signature"],
    ["expired and for another node", async () => rawToken(A, HEADER, claims({ sub: PEER, exp: NOW - 31_000, iat: NOW - 91_000 })), {}, "token_expired"],
    ["other node and iat too old", async () => rawToken(A, HEADER, claims({ sub: PEER, iat: NOW - 2 * 86_400_000 })), {}, "invalid_sub"],
    ["iat too old and too long", async () => rawToken(A, HEADER, claims({ iat: NOW - 25 * HOUR })), {}, "iat_too_old"],
    ["too long and nbf ahead", async () => rawToken(A, HEADER, claims({ exp: NOW + 2 * HOUR, nbf: NOW + HOUR })), {}, "token_lifetime_exceeded"],
    ["nbf ahead and nonce seen", async () => rawToken(A, HEADER, claims({ nbf: NOW + HOUR })), { seen: new Set([NONCE]) }, "nbf_in_future"],
  ])("%s → %s", async (_name, make, opts, code) => {
    const r = await verifyPeerToken(await make(), world(opts).ctx);
    expect(r.ok ? "ok" : r.code).toBe(code);
  });

  it("reports the iss and the peer with a failure, for the audit entry", async () => {
    const r = await verifyPeerToken(KAT_TOKEN, world({ now: NOW + HOUR }).ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.iss, r.peer?.id]).toEqual(["token_expired", PEER, "peer-1"]);
  });

  it("refuses a replay, and a new token reusing the nonce", async () => {
    const seen = new Set<string>();
    const first = await verifyPeerToken(KAT_TOKEN, world({ seen }).ctx);
    const replay = await verifyPeerToken(KAT_TOKEN, world({ seen }).ctx);
    const sameNonce = await mintPeerToken({ signer: A, iss: PEER, sub: US, scopes: [], nowMs: NOW + 1, nonce: NONCE });
    const reused = await verifyPeerToken(sameNonce, world({ seen }).ctx);
    expect([first.ok, replay.ok ? "ok" : replay.code, reused.ok ? "ok" : reused.code]).toEqual([true, "nonce_already_seen", "nonce_already_seen"]);
  });
});

describe.skipIf(REFERENCE_PYTHON_SKIP !== undefined)("interop with the reference's mint and verify", () => {
  it("the reference verifies our tokens with its own checks, and we verify its tokens", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-ref-token-"));
    try {
      const now = Date.now();
      const mint = (patch: { ttlMs?: number; nowMs?: number; nonce?: string } = {}): Promise<string> =>
        mintPeerToken({ signer: A, iss: PEER, sub: US, scopes: ["public"], nowMs: now, ...patch });
      const valid = await mint();
      const tokens = [valid, valid, await mint({ nowMs: now - 2 * HOUR, ttlMs: HOUR }), await rawToken(B, HEADER, claims({ iat: now, exp: now + 60_000 }))];
      // The reference node: node_id US, key SEED_B; we are its active peer PEER with key A.
      const out = runReferencePython(
        `
import json, sys
inp = json.load(sys.stdin)
from stigmem_node.db import apply_migrations, db
apply_migrations()
from stigmem_node.federation.peer_token import TokenError, create_peer_token, verify_peer_token
with db() as conn:
    conn.execute("INSERT INTO peers (id, node_id, node_url, federation_pubkey, allowed_scopes, status, declaration_sig, signed_at)"
                 " VALUES ('peer-1', ?, 'http://127.0.0.1:1', ?, '[\\"public\\"]', 'active', 'sig', 'at')",
                 (inp["peer"], inp["peer_pub"]))
results = []
for t in inp["tokens"]:
    try:
        verify_peer_token(t, inp["peer_pub"], "peer-1")
        results.append("ok")
    except TokenError as e:
        results.append(e.kind)
print(json.dumps({"results": results, "theirs": create_peer_token(inp["peer"], ["public", "company"], ttl_ms=60000)}))
`,
        { tokens, peer: PEER, peer_pub: PUB_A },
        {
          STIGMEM_DB_PATH: path.join(dir, "ref.db"),
          STIGMEM_NODE_ID: US,
          STIGMEM_FEDERATION_PUBKEY: B.publicKey,
          STIGMEM_FEDERATION_PRIVKEY: encodeBase64url(SEED_B),
        },
      ) as { results: string[]; theirs: string };
      expect(out.results).toEqual(["ok", "nonce_already_seen", "token_expired", "invalid_signature"]);

      // Now the roles swap: the reference (US, key B) calls us (PEER).
      const r = await verifyPeerToken(out.theirs, {
        nowMs: Date.now(),
        localNodeId: PEER,
        lookupPeer: (iss) => (iss === US ? { nodeId: US, status: "active", publicKey: B.publicKey } : undefined),
        consumeNonce: () => true,
      });
      expect(r.ok ? r.claims.scopes : r.code).toEqual(["public", "company"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
