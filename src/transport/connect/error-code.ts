/**
 * ErrCode → Connect code, written once. The stable ErrCode string itself
 * travels in `google.rpc.ErrorInfo.reason` (see to-connect-error.ts).
 *
 * @module
 */
import { Code } from "@connectrpc/connect";
import type { ErrCode } from "../../node/app-error.js";

export function connectCodeFor(code: ErrCode): Code {
  switch (code) {
    case "invalid_argument":
    case "validation_error":
    case "invalid_entity_uri":
    case "cid_malformed":
    case "invalid_cursor":
    case "key_too_short":
    case "invalid_scope":
    case "graph_depth_exceeded":
    case "invalid_utf8":
    case "invalid_protobuf":
    case "query_too_long":
    case "headers_too_large":
    case "fingerprint_mismatch":
    case "declaration_stale":
      return Code.InvalidArgument;
    case "auth_required":
    case "invalid_api_key":
    case "api_key_expired":
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
      return Code.Unauthenticated;
    case "permission_denied":
    case "scope_not_allowed":
    case "instruction_write_required":
    case "grant_exceeds_caller":
    case "garden_read_forbidden":
    case "no_permitted_scopes":
    case "scope_not_permitted":
      return Code.PermissionDenied;
    // REST 409, split as common.proto documents.
    case "key_exists":
    case "idempotency_key_reused":
    case "peer_exists":
      return Code.AlreadyExists;
    case "cid_mismatch":
    case "fact_chain_mismatch":
    case "write_conflict":
      return Code.Aborted;
    case "conflict_already_resolved":
    case "peer_not_pending":
    case "must_refetch":
      return Code.FailedPrecondition;
    case "not_found":
    case "garden_not_found":
    case "federation_disabled":
      return Code.NotFound;
    // Oversized input is a bad argument in gRPC terms; the reason says which.
    case "payload_too_large":
    case "value_too_large":
    case "unsupported_media_type":
      return Code.InvalidArgument;
    // 405 and 501 both mean "this node does not do that" (common.proto).
    case "method_not_allowed":
    case "push_disabled":
    case "not_implemented":
    case "time_travel_plugin_not_loaded":
      return Code.Unimplemented;
    case "unavailable":
    case "overloaded":
      return Code.Unavailable;
    case "storage_full":
      return Code.ResourceExhausted;
    // Rate limits (gRPC's own mapping of HTTP 429).
    case "quota_exceeded":
      return Code.ResourceExhausted;
    case "request_timeout":
      return Code.DeadlineExceeded;
    case "internal":
      return Code.Internal;
  }
}
