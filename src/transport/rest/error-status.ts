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
      return 400;
    // Field-level failures use FastAPI's 422 shape, which the ref SDK parses.
    case "validation_error":
      return 422;
    // No or bad credentials: 401 with WWW-Authenticate (added by the handler).
    case "auth_required":
    case "invalid_api_key":
    case "api_key_expired":
      return 401;
    case "permission_denied":
      return 403;
    case "not_found":
      return 404;
    case "method_not_allowed":
      return 405;
    case "payload_too_large":
      return 413;
    case "unsupported_media_type":
      return 415;
    // The route exists in the contract but its feature has not landed.
    case "not_implemented":
      return 501;
    case "unavailable":
      return 503;
    case "internal":
      return 500;
  }
}
