/**
 * ErrCode → HTTP status, written once. protocol.md §7 fixes the statuses the
 * reference's clients rely on.
 *
 * @module
 */
import type { ErrCode } from "../../node/app-error.js";

export function httpStatusFor(code: ErrCode): number {
  switch (code) {
    // Malformed input that is not a field-level schema failure.
    case "invalid_argument":
    case "invalid_entity_uri":
    case "cid_malformed":
    case "invalid_cursor":
    case "invalid_scope":
    case "graph_depth_exceeded":
    // A body in the binary codec that does not decode as the method's message (Connect only).
    case "invalid_protobuf":
    case "fingerprint_mismatch":
    case "declaration_stale":
      return 400;
    // Field-level failures use FastAPI's 422 shape, which the ref SDK parses.
    case "validation_error":
    case "key_too_short":
    case "query_too_long":
    // Bytes that are not UTF-8 are not text at all (RFC 8259 §8.1): refused like a bad field.
    case "invalid_utf8":
      return 422;
    // No or bad credentials: 401 with WWW-Authenticate (added by the handler).
    case "auth_required":
    case "invalid_api_key":
    case "api_key_expired":
    // A peer token refused at one of the §10 steps.
    case "invalid_token":
    case "peer_not_registered":
    case "peer_not_approved":
    case "invalid_signature":
    case "token_expired":
    case "invalid_sub":
    case "invalid_iss":
    case "iat_too_old":
    case "iat_in_future":
    case "token_lifetime_exceeded":
    case "nbf_in_future":
    case "nonce_already_seen":
      return 401;
    case "permission_denied":
    case "scope_not_allowed":
    case "instruction_write_required":
    case "grant_exceeds_caller":
    case "garden_read_forbidden":
    case "no_permitted_scopes":
    case "scope_not_permitted":
      return 403;
    case "not_found":
    case "garden_not_found":
    // The reference answers every federation route 404 while federation is off.
    case "federation_disabled":
      return 404;
    // The connection sent its request too slowly (answered by the server before routing).
    case "request_timeout":
      return 408;
    case "method_not_allowed":
    case "push_disabled":
      return 405;
    // The stored state disagrees with the request: duplicates, integrity, finished work.
    case "key_exists":
    case "idempotency_key_reused":
    case "cid_mismatch":
    case "fact_chain_mismatch":
    case "conflict_already_resolved":
    case "write_conflict":
    case "peer_exists":
    case "peer_not_pending":
    // The feed cursor names a log this node no longer continues: pull again from the start.
    case "must_refetch":
      return 409;
    case "payload_too_large":
    case "value_too_large":
      return 413;
    // Per-key or per-IP rate limit; the answer carries Retry-After.
    case "quota_exceeded":
      return 429;
    // Request line and headers over the server's limit (answered before routing).
    case "headers_too_large":
      return 431;
    case "unsupported_media_type":
      return 415;
    // The route exists in the contract but its feature has not landed.
    case "not_implemented":
    case "time_travel_plugin_not_loaded":
      return 501;
    case "unavailable":
    // Load shedding: the admission queue is full or the wait was too long; Retry-After says when.
    case "overloaded":
      return 503;
    // WebDAV's "Insufficient Storage": the server, not the request, is out of room.
    case "storage_full":
      return 507;
    case "internal":
      return 500;
  }
}
