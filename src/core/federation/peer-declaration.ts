/**
 * @module core/federation/peer-declaration
 *
 * The signed PeerDeclaration of the handshake (protocol.md §10): the exact
 * bytes both sides sign and verify, the `signed_at` format and its ±24 h
 * freshness window, and the shape checks a declaration must pass before a
 * node spends a discovery fetch on it.
 *
 * Signed bytes: UTF-8 of Python
 * `json.dumps({allowed_scopes, federation_pubkey, node_id, node_url, signed_at},
 * sort_keys=True, separators=(",", ":"))` — the default `ensure_ascii=True`,
 * which the reference's `verify_declaration_sig` and its `register-peer` CLI
 * use. We refuse characters outside printable ASCII in every field, so the
 * escaping rules only matter for bytes we compute, never for ones we accept.
 *
 * ```
 *  fields ──asciiJson──▶ signed text ──utf8──▶ bytes ──Ed25519──▶ declaration_sig (b64url, no pad)
 * ```
 */
import { asciiJson } from "../ascii-json.js";
import { isRfc3339, parseRfc3339 } from "../timestamp.js";
import { failed, passed, type Checked } from "./check-result.js";
import { decodePublicKey, decodeSignature, verifyEd25519, type Ed25519Signer } from "./ed25519.js";
import { encodeBase64url } from "./base64url.js";
import { checkPeerUrl } from "./peer-url.js";

/** How far `signed_at` may be from now, either way, before `declaration_stale` (§10, ours). */
export const DECLARATION_MAX_SKEW_MS = 24 * 60 * 60 * 1000;

/** Scopes a node may declare it shares (§10): never `local`. */
export const DECLARABLE_SCOPES = ["team", "company", "public"] as const;

/** Longest node_id accepted, in characters (printable ASCII). */
export const MAX_NODE_ID_LENGTH = 256;

/** The five signed fields, in the names of the wire. */
export interface DeclarationFields {
  readonly node_url: string;
  readonly node_id: string;
  /** Ed25519 public key, base64url without padding. */
  readonly federation_pubkey: string;
  /** What the declarer shares; kept in the order sent (senders sort it). */
  readonly allowed_scopes: readonly string[];
  /** `YYYY-MM-DDTHH:MM:SSZ` when we sign; any RFC 3339 instant is accepted. */
  readonly signed_at: string;
}

/** A full declaration: the signed fields plus their signature. */
export interface PeerDeclaration extends DeclarationFields {
  /** base64url Ed25519 signature of {@link declarationSigningBytes}; padding accepted. */
  readonly declaration_sig: string;
}

/** Why a declaration was refused before or at signature verification. */
export type DeclarationErrorCode =
  | "invalid_declaration"
  | "invalid_node_url"
  | "declaration_stale"
  | "key_mismatch"
  | "invalid_signature";

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const SIGNED_AT_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * The exact text whose UTF-8 bytes are signed: compact, keys sorted, the
 * scope array in the order given, everything outside printable ASCII
 * escaped as Python's `ensure_ascii` does (`\n`, `\u00e9`, surrogate pairs).
 *
 * @example
 * declarationSigningText({ node_url: "https://a.example", node_id: "stigmem:node:1",
 *   federation_pubkey: "K", allowed_scopes: ["company", "public"], signed_at: "2026-11-21T12:00:00Z" });
 * // '{"allowed_scopes":["company","public"],"federation_pubkey":"K","node_id":"stigmem:node:1",
 * //   "node_url":"https://a.example","signed_at":"2026-11-21T12:00:00Z"}'
 */
export function declarationSigningText(f: DeclarationFields): string {
  return asciiJson({
    allowed_scopes: [...f.allowed_scopes],
    federation_pubkey: f.federation_pubkey,
    node_id: f.node_id,
    node_url: f.node_url,
    signed_at: f.signed_at,
  });
}

/** UTF-8 of {@link declarationSigningText} (all ASCII, so one byte per character). */
export function declarationSigningBytes(f: DeclarationFields): Uint8Array {
  return new TextEncoder().encode(declarationSigningText(f));
}

/**
 * `signed_at` as we write it: `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, UTC),
 * the form of the reference CLI's `strftime("%Y-%m-%dT%H:%M:%SZ")`.
 *
 * @example
 * formatSignedAt(Date.UTC(2026, 10, 21, 12)); // "2026-11-21T12:00:00Z"
 */
export function formatSignedAt(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** True when `text` is exactly the form {@link formatSignedAt} writes. */
export function isCanonicalSignedAt(text: string): boolean {
  return SIGNED_AT_FORMAT.test(text) && isRfc3339(text);
}

/**
 * The ±24 h freshness rule (§10): a declaration signed more than
 * {@link DECLARATION_MAX_SKEW_MS} before or after `nowMs` is stale. Exactly
 * at the bound is fresh. `signed_at` must parse as RFC 3339.
 */
export function checkDeclarationFreshness(
  signedAt: string,
  nowMs: number,
  maxSkewMs: number = DECLARATION_MAX_SKEW_MS,
): Checked<number, "invalid_declaration" | "declaration_stale"> {
  if (!isRfc3339(signedAt)) return failed("invalid_declaration", "signed_at must be an RFC 3339 instant", "signed_at");
  const at = parseRfc3339(signedAt, "signed_at");
  if (Math.abs(nowMs - at) > maxSkewMs) {
    return failed("declaration_stale", `signed_at is more than ${maxSkewMs / 3_600_000} h from now`, "signed_at");
  }
  return passed(at);
}

function asciiString(x: unknown, field: string, max: number): Checked<string, "invalid_declaration"> {
  if (typeof x !== "string" || x.length === 0) return failed("invalid_declaration", `${field} must be a non-empty string`, field);
  if (x.length > max) return failed("invalid_declaration", `${field} is longer than ${max} characters`, field);
  if (!PRINTABLE_ASCII.test(x)) return failed("invalid_declaration", `${field} must be printable ASCII`, field);
  return passed(x);
}

/**
 * Checks an untrusted declaration body before any network work: every field
 * present and printable ASCII, a canonical 43-character public key, a
 * 64-byte signature (padded or not), scopes from {@link DECLARABLE_SCOPES},
 * an acceptable node URL (see `checkPeerUrl`), and `signed_at` within ±24 h
 * of `nowMs`. Unknown extra keys are ignored, as the reference does.
 *
 * @returns the declaration (fields copied, scope order kept) or the first failure.
 */
export function parseDeclaration(
  input: unknown,
  nowMs: number,
  opts: { readonly allowPlainHttp?: boolean; readonly maxSkewMs?: number } = {},
): Checked<PeerDeclaration, DeclarationErrorCode> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return failed("invalid_declaration", "a declaration is a JSON object");
  }
  const b = input as Record<string, unknown>;
  const nodeUrl = asciiString(b.node_url, "node_url", 2_048);
  if (!nodeUrl.ok) return nodeUrl;
  const url = checkPeerUrl(nodeUrl.value, { allowPlainHttp: opts.allowPlainHttp === true });
  if (!url.ok) return url;
  const nodeId = asciiString(b.node_id, "node_id", MAX_NODE_ID_LENGTH);
  if (!nodeId.ok) return nodeId;
  if (typeof b.federation_pubkey !== "string" || decodePublicKey(b.federation_pubkey) === undefined) {
    return failed("invalid_declaration", "federation_pubkey must be 43 base64url characters (32 bytes)", "federation_pubkey");
  }
  if (!Array.isArray(b.allowed_scopes)) return failed("invalid_declaration", "allowed_scopes must be an array", "allowed_scopes");
  const scopes: string[] = [];
  for (const s of b.allowed_scopes as unknown[]) {
    if (typeof s !== "string" || !(DECLARABLE_SCOPES as readonly string[]).includes(s)) {
      return failed("invalid_declaration", `allowed_scopes may hold only ${DECLARABLE_SCOPES.join(", ")}`, "allowed_scopes");
    }
    scopes.push(s);
  }
  const signedAt = asciiString(b.signed_at, "signed_at", 64);
  if (!signedAt.ok) return signedAt;
  if (typeof b.declaration_sig !== "string" || decodeSignature(b.declaration_sig) === undefined) {
    return failed("invalid_declaration", "declaration_sig must be base64url of 64 bytes", "declaration_sig");
  }
  const fresh = checkDeclarationFreshness(signedAt.value, nowMs, opts.maxSkewMs);
  if (!fresh.ok) return fresh;
  return passed({
    node_url: nodeUrl.value,
    node_id: nodeId.value,
    federation_pubkey: b.federation_pubkey,
    allowed_scopes: scopes,
    signed_at: signedAt.value,
    declaration_sig: b.declaration_sig,
  });
}

/**
 * Signs a declaration with the node key: fills `federation_pubkey` from the
 * signer and `signed_at` from `nowMs`, sorts and deduplicates the scopes
 * (what every sender does), and signs the exact bytes.
 *
 * @throws RangeError for a scope outside {@link DECLARABLE_SCOPES} or a
 *   field outside printable ASCII: we never sign what we would refuse.
 */
export async function signDeclaration(
  input: { readonly node_url: string; readonly node_id: string; readonly allowed_scopes: readonly string[] },
  signer: Ed25519Signer,
  nowMs: number,
): Promise<PeerDeclaration> {
  for (const s of input.allowed_scopes) {
    if (!(DECLARABLE_SCOPES as readonly string[]).includes(s)) throw new RangeError(`scope ${s} cannot be declared`);
  }
  for (const [k, v] of [["node_url", input.node_url], ["node_id", input.node_id]] as const) {
    if (v.length === 0 || !PRINTABLE_ASCII.test(v)) throw new RangeError(`${k} must be non-empty printable ASCII`);
  }
  const fields: DeclarationFields = {
    node_url: input.node_url,
    node_id: input.node_id,
    federation_pubkey: signer.publicKey,
    allowed_scopes: [...new Set(input.allowed_scopes)].sort(),
    signed_at: formatSignedAt(nowMs),
  };
  const sig = await signer.sign(declarationSigningBytes(fields));
  return { ...fields, declaration_sig: encodeBase64url(sig) };
}

/**
 * Handshake step 4 (§10): the key the declarer publishes in its discovery
 * document must equal the declared key (`key_mismatch` otherwise), and the
 * signature must verify over the exact bytes (`invalid_signature`).
 * Call after {@link parseDeclaration} and the discovery fetch.
 */
export async function verifyDeclarationSignature(
  decl: PeerDeclaration,
  publishedPubkey: string,
): Promise<Checked<PeerDeclaration, "key_mismatch" | "invalid_signature">> {
  if (publishedPubkey !== decl.federation_pubkey) {
    return failed("key_mismatch", "the declared key differs from the one the node publishes", "federation_pubkey");
  }
  const key = decodePublicKey(decl.federation_pubkey);
  const sig = decodeSignature(decl.declaration_sig);
  if (key === undefined || sig === undefined) {
    return failed("invalid_signature", "declaration key or signature is not decodable", "declaration_sig");
  }
  const ok = await verifyEd25519(sig, declarationSigningBytes(decl), key);
  return ok ? passed(decl) : failed("invalid_signature", "declaration_sig does not verify", "declaration_sig");
}
