/**
 * @module core/federation
 *
 * The pure rules of federation (protocol.md §10): signed declarations,
 * peer tokens, the feed cursor, the reference text-cursor workaround,
 * served scopes, backoff, the puller state machine, address classes and
 * the per-fact ingest checks. Listed by name so the surface is reviewed.
 */
export { decodeBase64url, encodeBase64url } from "./base64url.js";
export { failed, passed } from "./check-result.js";
export type { Checked, Failed, Passed } from "./check-result.js";
export {
  decodePublicKey,
  decodeSignature,
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SEED_BYTES,
  ED25519_SIGNATURE_BYTES,
  pubkeyFingerprint,
  signerFromSeed,
  verifyEd25519,
} from "./ed25519.js";
export type { Ed25519Signer } from "./ed25519.js";
export { BACKOFF_BASE_MS, BACKOFF_JITTER, BACKOFF_MAX_MS, backoffDelayMs } from "./backoff.js";
export {
  decodeFeedCursor,
  encodeFeedCursor,
  FEED_CURSOR_VERSION,
  resumeFeed,
  scopeSetHash,
} from "./feed-cursor.js";
export type { FeedCursor, FeedResume } from "./feed-cursor.js";
export { classifyIp, IP_KINDS, isPublicIp, parseIpv4, parseIpv6 } from "./ip-class.js";
export type { IpClass, IpKind, Ipv4Carrier } from "./ip-class.js";
export {
  checkDeclarationFreshness,
  DECLARABLE_SCOPES,
  DECLARATION_MAX_SKEW_MS,
  declarationSigningBytes,
  declarationSigningText,
  formatSignedAt,
  isCanonicalSignedAt,
  MAX_NODE_ID_LENGTH,
  parseDeclaration,
  signDeclaration,
  verifyDeclarationSignature,
} from "./peer-declaration.js";
export type { DeclarationErrorCode, DeclarationFields, PeerDeclaration } from "./peer-declaration.js";
export {
  MAX_IAT_AGE_MS,
  MAX_TOKEN_LENGTH,
  MAX_TOKEN_LIFETIME_MS,
  mintPeerToken,
  NONCE_MIN_RETENTION_MS,
  nonceRetentionUntil,
  PEER_TOKEN_ERROR_CODES,
  REQUEST_TOKEN_TTL_MS,
  TOKEN_LEEWAY_MS,
  verifyPeerToken,
} from "./peer-token.js";
export type { PeerTokenCheck, PeerTokenClaims, PeerTokenContext, PeerTokenErrorCode, TokenPeer } from "./peer-token.js";
export { checkPeerUrl, DISCOVERY_PATH, isLoopbackHost, MAX_NODE_URL_LENGTH } from "./peer-url.js";
export type { PeerUrl } from "./peer-url.js";
export {
  initialPullerState,
  PERMANENT_ERROR_ATTEMPT,
  PULLER_EVENT_TYPES,
  PULLER_STATE_KINDS,
  transition,
} from "./puller-state.js";
export type {
  PullCursor,
  PullerAction,
  PullerContext,
  PullerEvent,
  PullerState,
  PullerTransition,
  StreamPhase,
  TransientKind,
} from "./puller-state.js";
export { referenceNextCursor } from "./reference-cursor.js";
export { servedScopes } from "./served-scopes.js";
export { checkWireFact, WIRE_FACT_ERROR_CODES } from "./wire-fact.js";
export type { WireFact, WireFactCheck, WireFactContext, WireFactErrorCode, WireFactRejection } from "./wire-fact.js";
