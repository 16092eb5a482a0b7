/**
 * The §10 PeerDeclaration: exact signed bytes, signatures and fingerprints
 * as known answers computed with the reference kit's own Python code
 * (`canonical_declaration_json`, `cryptography` Ed25519), freshness, shape
 * checks, and a live round trip through the reference's verifier and its
 * CLI's signing code path.
 */
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../../../src/core/federation/base64url.js";
import { pubkeyFingerprint, signerFromSeed } from "../../../src/core/federation/ed25519.js";
import {
  checkDeclarationFreshness,
  declarationSigningText,
  formatSignedAt,
  isCanonicalSignedAt,
  parseDeclaration,
  signDeclaration,
  verifyDeclarationSignature,
  type PeerDeclaration,
} from "../../../src/core/federation/peer-declaration.js";
import { REFERENCE_PYTHON_SKIP, runReferencePython } from "./reference-python.js";

const SEED_A = Uint8Array.from({ length: 32 }, (_, i) => i);
const SEED_B = new Uint8Array(32).fill(0x42);
const PUB_A = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";
const PUB_B = "IVL40Zt5HSRFMkLhXy6rbLfP-ntqXtMAl5YOBpiB2xI";
const NODE_ID = "stigmem:node:0b0e4d3c-8f5a-4c61-9d2e-7a1b2c3d4e5f";
const SIGNED_AT = "2026-11-21T12:00:00Z";
const NOW = Date.parse(SIGNED_AT);

const FIELDS = {
  node_url: "https://a.example",
  node_id: NODE_ID,
  federation_pubkey: PUB_A,
  allowed_scopes: ["company", "public"],
  signed_at: SIGNED_AT,
};
/** Computed by the reference kit: `canonical_declaration_json(**FIELDS)`, signed with SEED_A. */
const KAT_TEXT =
  `{"allowed_scopes":["company","public"],"federation_pubkey":"${PUB_A}",` +
  `"node_id":"${NODE_ID}","node_url":"https://a.example","signed_at":"2026-11-21T12:00:00Z"}`;
const KAT_SIG = "HRAF8P77FgHytdF1hZqa627ZIFfwIuOWbButUV93Umjo_6Za21MEWjkYTP0llfDE7zagXW1QW3F4BlJHdP7PAg";
const DECL: PeerDeclaration = { ...FIELDS, declaration_sig: KAT_SIG };

describe("keys and fingerprints (known answers from the reference)", () => {
  it.each([
    [SEED_A, PUB_A, "sha256:b43cdfe1bf180ef4e22bb93ea9cc8f0ef23b762de714053b3bf0acdda2d7470d"],
    [SEED_B, PUB_B, "sha256:d72692c6a9900ebd08902ecfea9a7ff8d9309578bfeade048f488987aa8fb3fc"],
  ])("seed → public key → fingerprint", async (seed, pub, fp) => {
    const signer = await signerFromSeed(seed);
    expect(signer.publicKey).toBe(pub);
    expect(pubkeyFingerprint(pub)).toBe(fp);
  });

  it("keeps the seed out of the signer's properties", async () => {
    const signer = await signerFromSeed(SEED_A);
    expect(JSON.stringify(signer)).not.toContain(encodeBase64url(SEED_A));
    expect(Object.values(signer).some((v) => v instanceof Uint8Array)).toBe(false);
  });
});

describe("signed bytes", () => {
  it("equal the reference's canonical_declaration_json", () => {
    expect(declarationSigningText(FIELDS)).toBe(KAT_TEXT);
  });

  it("escape outside printable ASCII as Python's ensure_ascii, keeping the scope order", () => {
    const odd = { ...FIELDS, node_url: 'https://zoë.example/\n\t\b\f\r\u0001\u007f\u2028\u{1F600}"\\', allowed_scopes: ["public", "company"] };
    expect(declarationSigningText(odd)).toBe(
      `{"allowed_scopes":["public","company"],"federation_pubkey":"${PUB_A}","node_id":"${NODE_ID}",` +
        `"node_url":"https://zo\\u00eb.example/\\n\\t\\b\\f\\r\\u0001\\u007f\\u2028\\ud83d\\ude00\\"\\\\","signed_at":"2026-11-21T12:00:00Z"}`,
    );
  });

  it("signed with the seed give the reference's signature (Ed25519 is deterministic)", async () => {
    const decl = await signDeclaration(
      { node_url: FIELDS.node_url, node_id: NODE_ID, allowed_scopes: ["public", "company", "public"] },
      await signerFromSeed(SEED_A),
      NOW + 999,
    );
    expect(decl).toEqual(DECL);
  });
});

describe("signed_at", () => {
  it("is written as YYYY-MM-DDTHH:MM:SSZ, whole seconds", () => {
    expect(formatSignedAt(Date.UTC(2026, 10, 21, 12, 0, 0, 999))).toBe(SIGNED_AT);
    expect(isCanonicalSignedAt(SIGNED_AT)).toBe(true);
    expect(isCanonicalSignedAt("2026-11-21T12:00:00.000Z")).toBe(false);
    expect(isCanonicalSignedAt("2026-02-30T12:00:00Z")).toBe(false);
  });

  const DAY = 86_400_000;
  it.each([
    [NOW, true],
    [NOW + DAY, true],
    [NOW - DAY, true],
    [NOW + DAY + 1, false],
    [NOW - DAY - 1, false],
  ])("at now=%d it is fresh: %s (±24 h inclusive)", (now, fresh) => {
    const r = checkDeclarationFreshness(SIGNED_AT, now);
    expect(r.ok ? "fresh" : r.code).toBe(fresh ? "fresh" : "declaration_stale");
  });

  it("accepts any RFC 3339 instant (the reference's isoformat too) and refuses the rest", () => {
    expect(checkDeclarationFreshness("2026-11-21T13:00:00.123456+01:00", NOW).ok).toBe(true);
    const r = checkDeclarationFreshness("21 Nov 2026 12:00", NOW);
    expect(r.ok ? "ok" : r.code).toBe("invalid_declaration");
  });
});

describe("parseDeclaration", () => {
  it("accepts the known declaration, and a padded signature", () => {
    expect(parseDeclaration(DECL, NOW)).toEqual({ ok: true, value: DECL });
    expect(parseDeclaration({ ...DECL, declaration_sig: `${KAT_SIG}==`, extra: 1 }, NOW).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string?]>([
    ["not an object", { __replace: [] }, "invalid_declaration"],
    ["missing node_id", { node_id: undefined }, "invalid_declaration", "node_id"],
    ["empty node_id", { node_id: "" }, "invalid_declaration", "node_id"],
    ["non-ASCII node_id", { node_id: "stigmem:node:zoë" }, "invalid_declaration", "node_id"],
    ["control char in node_id", { node_id: "a\nb" }, "invalid_declaration", "node_id"],
    ["non-ASCII node_url", { node_url: "https://zoë.example" }, "invalid_declaration", "node_url"],
    ["relative node_url", { node_url: "/peer" }, "invalid_node_url", "node_url"],
    ["ftp node_url", { node_url: "ftp://a.example" }, "invalid_node_url", "node_url"],
    ["http off loopback", { node_url: "http://a.example" }, "invalid_node_url", "node_url"],
    ["credentials", { node_url: "https://u:p@a.example" }, "invalid_node_url", "node_url"],
    ["query", { node_url: "https://a.example/?x=1" }, "invalid_node_url", "node_url"],
    ["padded pubkey", { federation_pubkey: `${PUB_A}=` }, "invalid_declaration", "federation_pubkey"],
    ["short pubkey", { federation_pubkey: PUB_A.slice(1) }, "invalid_declaration", "federation_pubkey"],
    ["scopes not an array", { allowed_scopes: "public" }, "invalid_declaration", "allowed_scopes"],
    ["local scope", { allowed_scopes: ["local"] }, "invalid_declaration", "allowed_scopes"],
    ["unknown scope", { allowed_scopes: ["Public"] }, "invalid_declaration", "allowed_scopes"],
    ["short signature", { declaration_sig: KAT_SIG.slice(2) }, "invalid_declaration", "declaration_sig"],
    ["standard base64 signature", { declaration_sig: KAT_SIG.replaceAll("_", "/") }, "invalid_declaration", "declaration_sig"],
    ["stale", { signed_at: "2026-11-19T12:00:00Z" }, "declaration_stale", "signed_at"],
    ["future", { signed_at: "2026-11-23T12:00:00Z" }, "declaration_stale", "signed_at"],
  ])("refuses %s", (_name, patch, code, field) => {
    const input = "__replace" in patch ? patch.__replace : { ...DECL, ...patch };
    const r = parseDeclaration(input, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      if (field !== undefined) expect(r.field).toBe(field);
    }
  });

  it("accepts http for loopback hosts, and anywhere with allowPlainHttp", () => {
    for (const url of ["http://127.0.0.1:8765", "http://[::1]:8765", "http://localhost:8765", "http://node.localhost"]) {
      expect(parseDeclaration({ ...DECL, node_url: url }, NOW).ok).toBe(true);
    }
    expect(parseDeclaration({ ...DECL, node_url: "http://10.0.0.7:8765" }, NOW, { allowPlainHttp: true }).ok).toBe(true);
  });
});

describe("verifyDeclarationSignature", () => {
  it("passes the reference-signed declaration", async () => {
    expect((await verifyDeclarationSignature(DECL, PUB_A)).ok).toBe(true);
    expect((await verifyDeclarationSignature({ ...DECL, declaration_sig: `${KAT_SIG}==` }, PUB_A)).ok).toBe(true);
  });

  it("refuses a key the node does not publish", async () => {
    const r = await verifyDeclarationSignature(DECL, PUB_B);
    expect(r.ok ? "ok" : r.code).toBe("key_mismatch");
  });

  it.each<[string, Partial<PeerDeclaration>]>([
    ["scopes reordered", { allowed_scopes: ["public", "company"] }],
    ["scope dropped", { allowed_scopes: ["public"] }],
    ["url changed", { node_url: "https://a.example/" }],
    ["signed_at changed", { signed_at: "2026-11-21T12:00:01Z" }],
    ["signature of other bytes", { declaration_sig: "va3xW5Dea_qwiECoKYY5Wi6t2S46UsILI3WKlgsNyijWlROhnI1ZYmM8QpQ_Sf4sdGdUARrg_tiquqAbExbvCw" }],
  ])("refuses a tampered declaration: %s", async (_name, patch) => {
    const r = await verifyDeclarationSignature({ ...DECL, ...patch }, PUB_A);
    expect(r.ok ? "ok" : r.code).toBe("invalid_signature");
  });

  it("round-trips our own signing through parse and verify", async () => {
    const signer = await signerFromSeed(SEED_B);
    const decl = await signDeclaration({ node_url: "http://127.0.0.1:9", node_id: "stigmem:node:x", allowed_scopes: ["team"] }, signer, NOW);
    const parsed = parseDeclaration(JSON.parse(JSON.stringify(decl)), NOW + 1000);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect((await verifyDeclarationSignature(parsed.value, signer.publicKey)).ok).toBe(true);
  });

  it("never signs what it would refuse", async () => {
    const signer = await signerFromSeed(SEED_A);
    await expect(signDeclaration({ node_url: "https://a.example", node_id: NODE_ID, allowed_scopes: ["local"] }, signer, NOW)).rejects.toThrow(RangeError);
    await expect(signDeclaration({ node_url: "https://zoë.example", node_id: NODE_ID, allowed_scopes: [] }, signer, NOW)).rejects.toThrow(RangeError);
  });
});

describe.skipIf(REFERENCE_PYTHON_SKIP !== undefined)("interop with the reference's Python code path", () => {
  it("the reference verifies ours, and we verify what its register-peer CLI signs", async () => {
    const signer = await signerFromSeed(SEED_B);
    const ours = await signDeclaration(
      { node_url: "https://b.example", node_id: "stigmem:node:22222222-2222-4222-8222-222222222222", allowed_scopes: ["public", "company"] },
      signer,
      Date.now(),
    );
    // The reference's verifier, and its CLI's signing steps (cli/federation.py) verbatim in effect:
    // json.dumps(sort_keys=True, separators=(",", ":")) of the five fields, Ed25519, b64url stripped.
    const out = runReferencePython(
      `
import base64, json, sys
from datetime import UTC, datetime
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from stigmem_node.federation.peer_token import verify_declaration_sig
inp = json.load(sys.stdin)
d = inp["ours"]
fields = {k: d[k] for k in ("allowed_scopes", "federation_pubkey", "node_id", "node_url", "signed_at")}
ok = verify_declaration_sig(fields, d["declaration_sig"], d["federation_pubkey"])
priv = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
pub = base64.urlsafe_b64encode(priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode().rstrip("=")
signed_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
theirs = {"allowed_scopes": sorted(["public", "company"]), "federation_pubkey": pub,
          "node_id": "stigmem:node:ref", "node_url": "http://127.0.0.1:18765", "signed_at": signed_at}
canonical = json.dumps(theirs, sort_keys=True, separators=(",", ":")).encode("utf-8")
theirs["declaration_sig"] = base64.urlsafe_b64encode(priv.sign(canonical)).decode().rstrip("=")
print(json.dumps({"ok": ok, "theirs": theirs}))
`,
      { ours },
    ) as { ok: boolean; theirs: PeerDeclaration };
    expect(out.ok).toBe(true);
    const parsed = parseDeclaration(out.theirs, Date.now());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect((await verifyDeclarationSignature(parsed.value, PUB_A)).ok).toBe(true);
  });
});
