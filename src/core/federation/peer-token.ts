/**
 * @module core/federation/peer-token
 *
 * The single-use EdDSA JWT a peer presents on every federation request and
 * stream (protocol.md §10), minted and checked exactly as the reference
 * does, so tokens cross both ways: header `{"alg":"EdDSA","typ":"JWT"}`,
 * payload `{iss, sub, iat, exp, nonce, scopes}` with `iat`/`exp` in epoch
 * MILLISECONDS (the reference's choice; a standard JWT library would read
 * them as seconds, so we never hand these to one).
 *
 * Verification runs the §10 steps in order and stops at the first failure,
 * returning its stable code. It is pure: time, the peer table and the nonce
 * store are injected, so every code has a table test and the store decides
 * later how nonces persist.
 *
 * ```
 *  token ─▶ decode ─▶ 1 peer known+active ─▶ 2 alg+signature ─▶ 3 exp ─▶ 4 sub, iss
 *        ─▶ 5 iat window ─▶ 6 lifetime ≤ 1 h ─▶ 7 nbf ─▶ 8 nonce unseen ─▶ claims
 * ```
 */
import { randomUUID } from "node:crypto";
import { decodeBase64url, encodeBase64url } from "./base64url.js";
import { failed, type Failed } from "./check-result.js";
import { decodePublicKey, verifyEd25519, type Ed25519Signer } from "./ed25519.js";

/** Lifetime of the tokens we mint for single requests (§10). */
export const REQUEST_TOKEN_TTL_MS = 60_000;
/** Longest lifetime (`exp − iat`) minted or accepted; stream tokens use up to this (§10, ours). */
export const MAX_TOKEN_LIFETIME_MS = 3_600_000;
/** Clock leeway on `exp`, `iat` and `nbf`, as the reference's `peer_token_leeway_s` default. */
export const TOKEN_LEEWAY_MS = 30_000;
/** Oldest acceptable `iat` (§10 step 5), as the reference. */
export const MAX_IAT_AGE_MS = 24 * 60 * 60 * 1000;
/** Nonces are kept at least this long past now (§10 step 8). */
export const NONCE_MIN_RETENTION_MS = 300_000;
/** Longest token text accepted; a bigger one is refused before any decoding work. */
export const MAX_TOKEN_LENGTH = 8_192;

/** The §10 verification failure codes, in step order. */
export const PEER_TOKEN_ERROR_CODES = [
  "invalid_token",
  "peer_not_registered",
  "peer_not_approved",
  "invalid_signature",
  "token_expired",
  "invalid_sub",
  "invalid_iss",
  "iat_too_old",
  "iat_in_future",
  "token_lifetime_exceeded",
  "nbf_in_future",
  "nonce_already_seen",
] as const;

/** One of {@link PEER_TOKEN_ERROR_CODES}; each is a 401 with this `code` and an audit `rejected_token`. */
export type PeerTokenErrorCode = (typeof PEER_TOKEN_ERROR_CODES)[number];

/** The verified payload. Times are epoch milliseconds. */
export interface PeerTokenClaims {
  /** node_id of the issuing (calling) peer. */
  readonly iss: string;
  /** node_id of the node the token is for. */
  readonly sub: string;
  readonly iat: number;
  readonly exp: number;
  /** Single-use nonce; uuid4 when we mint. */
  readonly nonce: string;
  /** Scopes the caller asks for; the server serves their intersection with the peer's (see served-scopes). */
  readonly scopes: readonly string[];
  readonly nbf?: number;
}

/** What verification needs to know about the peer named by `iss`. */
export interface TokenPeer {
  readonly nodeId: string;
  /** Only `active` peers may authenticate (§10 step 1). */
  readonly status: string;
  /** The peer's pinned Ed25519 public key, base64url. */
  readonly publicKey: string;
}

/** The injected world of {@link verifyPeerToken}. */
export interface PeerTokenContext<P extends TokenPeer> {
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** This node's node_id: the only acceptable `sub`. */
  readonly localNodeId: string;
  /** The peer registered under this node_id, if any. */
  lookupPeer(iss: string): P | undefined | Promise<P | undefined>;
  /**
   * Records the nonce until `retainUntilMs` and returns true, or returns
   * false when it was already recorded (atomically: one of two concurrent
   * uses must lose). Called only after every other check passed.
   */
  consumeNonce(nonce: string, retainUntilMs: number, peer: P): boolean | Promise<boolean>;
}

/** Outcome of {@link verifyPeerToken}; a failure carries what is known for the audit entry. */
export type PeerTokenCheck<P extends TokenPeer> =
  | { readonly ok: true; readonly claims: PeerTokenClaims; readonly peer: P }
  | (Failed<PeerTokenErrorCode> & { readonly iss?: string; readonly peer?: P });

const HEADER_B64 = encodeBase64url(new TextEncoder().encode('{"alg":"EdDSA","typ":"JWT"}'));
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const MAX_SCOPES = 16;

function jsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps nonces until `max(exp + leeway, now + 300 s)` (§10 step 8). */
export function nonceRetentionUntil(expMs: number, nowMs: number): number {
  return Math.max(expMs + TOKEN_LEEWAY_MS, nowMs + NONCE_MIN_RETENTION_MS);
}

/**
 * Mints a peer token. `iat` is `nowMs` (whole ms), `exp = iat + ttlMs`.
 *
 * @param input.ttlMs - {@link REQUEST_TOKEN_TTL_MS} by default; a stream
 *   token may ask up to {@link MAX_TOKEN_LIFETIME_MS}.
 * @param input.nonce - a fresh uuid4 by default; injectable for known-answer tests.
 * @throws RangeError for a lifetime outside (0, 1 h] or a non-integer time.
 */
export async function mintPeerToken(input: {
  readonly signer: Ed25519Signer;
  readonly iss: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly nowMs: number;
  readonly ttlMs?: number;
  readonly nonce?: string;
}): Promise<string> {
  const ttl = input.ttlMs ?? REQUEST_TOKEN_TTL_MS;
  if (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl > MAX_TOKEN_LIFETIME_MS) {
    throw new RangeError(`token lifetime must be 1..${MAX_TOKEN_LIFETIME_MS} ms`);
  }
  const iat = Math.floor(input.nowMs);
  if (!Number.isSafeInteger(iat)) throw new RangeError("nowMs must be epoch milliseconds");
  // Key order as the reference writes it; the signature covers these exact bytes, so order is free.
  const payload = {
    iss: input.iss,
    sub: input.sub,
    iat,
    exp: iat + ttl,
    nonce: input.nonce ?? randomUUID(),
    scopes: [...input.scopes],
  };
  const signingInput = `${HEADER_B64}.${encodeBase64url(new TextEncoder().encode(JSON.stringify(payload)))}`;
  const sig = await input.signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${encodeBase64url(sig)}`;
}

type ClaimsOrFailure = PeerTokenClaims | string;

/** Types of the claims (after the signature, so garbage from a known key is still "invalid_token"). */
function readClaims(p: Record<string, unknown>, iss: string): ClaimsOrFailure {
  const int = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x);
  if (!int(p.iat) || !int(p.exp)) return "iat and exp must be integer epoch milliseconds";
  if (p.nbf !== undefined && !int(p.nbf)) return "nbf must be integer epoch milliseconds";
  if (typeof p.sub !== "string") return "sub must be a string";
  if (typeof p.nonce !== "string" || p.nonce.length > 128 || !PRINTABLE_ASCII.test(p.nonce)) {
    return "nonce must be 1–128 printable ASCII characters";
  }
  const scopes = p.scopes;
  if (!Array.isArray(scopes) || scopes.length > MAX_SCOPES || !scopes.every((s) => typeof s === "string" && s.length <= 64)) {
    return `scopes must be an array of at most ${MAX_SCOPES} short strings`;
  }
  const claims: PeerTokenClaims = { iss, sub: p.sub, iat: p.iat, exp: p.exp, nonce: p.nonce, scopes: scopes as string[] };
  return p.nbf === undefined ? claims : { ...claims, nbf: p.nbf };
}

/**
 * Verifies a presented token (the Bearer value) in the §10 order.
 *
 * A token that is not a decodable JWS compact string with an `iss` is
 * `invalid_token` before any lookup. Then: unknown `iss` →
 * `peer_not_registered`; peer not active → `peer_not_approved`; `alg` not
 * EdDSA or a `crit` header → `invalid_token`; bad signature →
 * `invalid_signature`; ill-typed claims → `invalid_token`; `now > exp + 30 s`
 * → `token_expired`; `sub` not us → `invalid_sub`; `iss` not the peer's
 * node_id → `invalid_iss`; `iat` older than 24 h → `iat_too_old`, later than
 * now + 30 s → `iat_in_future`; `exp − iat > 1 h` → `token_lifetime_exceeded`
 * (`exp < iat` → `invalid_token`); `nbf > now + 30 s` → `nbf_in_future`;
 * nonce seen → `nonce_already_seen` (audit `replay_attempt` too).
 */
export async function verifyPeerToken<P extends TokenPeer>(token: string, ctx: PeerTokenContext<P>): Promise<PeerTokenCheck<P>> {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split(".") : [];
  const header = parts.length === 3 ? jsonSegment(parts[0]!) : undefined;
  const payload = header !== undefined ? jsonSegment(parts[1]!) : undefined;
  if (header === undefined || payload === undefined) return failed("invalid_token", "not a JWS compact token");
  const iss = payload.iss;
  if (typeof iss !== "string" || iss === "") return failed("invalid_token", "the token names no iss");

  const peer = await ctx.lookupPeer(iss);
  if (peer === undefined) return { ...failed("peer_not_registered", "no peer is registered under this iss"), iss };
  const fail = (code: PeerTokenErrorCode, message: string): PeerTokenCheck<P> => ({ ...failed(code, message), iss, peer });
  if (peer.status !== "active") return fail("peer_not_approved", `peer is ${peer.status}`);

  if (header.alg !== "EdDSA" || header.crit !== undefined) return fail("invalid_token", "alg must be EdDSA, with no crit");
  const sig = decodeBase64url(parts[2]!);
  if (sig === undefined) return fail("invalid_token", "the signature segment is not base64url");
  const key = decodePublicKey(peer.publicKey);
  const signingInput = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (key === undefined || !(await verifyEd25519(sig, signingInput, key))) {
    return fail("invalid_signature", "the signature does not verify with the peer's key");
  }

  const claims = readClaims(payload, iss);
  if (typeof claims === "string") return fail("invalid_token", claims);
  const now = ctx.nowMs;
  if (now > claims.exp + TOKEN_LEEWAY_MS) return fail("token_expired", "the token has expired");
  if (claims.sub !== ctx.localNodeId) return fail("invalid_sub", "the token is for another node");
  if (claims.iss !== peer.nodeId) return fail("invalid_iss", "iss is not the peer's node_id");
  if (claims.iat < now - MAX_IAT_AGE_MS) return fail("iat_too_old", "iat is more than 24 h old");
  if (claims.iat > now + TOKEN_LEEWAY_MS) return fail("iat_in_future", "iat is in the future");
  if (claims.exp < claims.iat) return fail("invalid_token", "exp is before iat");
  if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_MS) return fail("token_lifetime_exceeded", "the token lives longer than 1 h");
  if (claims.nbf !== undefined && claims.nbf > now + TOKEN_LEEWAY_MS) return fail("nbf_in_future", "nbf is in the future");
  const fresh = await ctx.consumeNonce(claims.nonce, nonceRetentionUntil(claims.exp, now), peer);
  if (!fresh) return fail("nonce_already_seen", "this nonce was already used");
  return { ok: true, claims, peer };
}
