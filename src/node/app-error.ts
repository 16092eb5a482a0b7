/**
 * The one error type the application layer throws. Each {@link ErrCode} is a
 * stable string clients can branch on; the transports map it once to an HTTP
 * status (`transport/rest/error-status.ts`) and once to a Connect code
 * (`transport/connect/error-code.ts`). The catalogue lives in docs/errors.md
 * and a test keeps the two in step.
 *
 * @module
 */
import { classifySqliteError } from "../store/sqlite-error.js";

/** Every stable error code the node can answer with. */
export const ERR_CODES = [
  // generic
  "invalid_argument",
  "validation_error",
  "not_found",
  "not_implemented",
  "payload_too_large",
  "unsupported_media_type",
  "invalid_utf8",
  "invalid_protobuf",
  "headers_too_large",
  "request_timeout",
  "method_not_allowed",
  "unavailable",
  "storage_full",
  "write_conflict",
  "overloaded",
  "quota_exceeded",
  "internal",
  // auth and permissions
  "auth_required",
  "invalid_api_key",
  "api_key_expired",
  "permission_denied",
  "scope_not_allowed",
  "instruction_write_required",
  "grant_exceeds_caller",
  "key_too_short",
  "key_exists",
  // facts
  "invalid_entity_uri",
  "value_too_large",
  "cid_malformed",
  "cid_mismatch",
  "invalid_cursor",
  "idempotency_key_reused",
  "time_travel_plugin_not_loaded",
  "garden_not_found",
  "garden_read_forbidden",
  // conflicts
  "conflict_already_resolved",
  // recall, cards and graph
  "invalid_scope",
  "query_too_long",
  "graph_depth_exceeded",
  "fact_chain_mismatch",
  // federation (protocol.md §10)
  "federation_disabled",
  "peer_exists",
  "peer_not_pending",
  "fingerprint_mismatch",
  "declaration_stale",
  "push_disabled",
  "no_permitted_scopes",
  "scope_not_permitted",
  "must_refetch",
  // peer tokens (§10 verification, in step order)
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

export type ErrCode = (typeof ERR_CODES)[number];

/** One entry of a field-level validation failure, in the REST `detail[]` shape. */
export interface FieldViolation {
  /** Path to the offending input, e.g. `["body", "value", "v"]`. */
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  /** Machine-readable reason, e.g. `missing`, `string_type`, `invalid_entity_uri`. */
  readonly type: string;
}

/**
 * An application error. `details` carries extra JSON fields for the error
 * body (e.g. `computed_cid`); `violations` is set for `validation_error`.
 * Serializable on purpose: guards check `name`, not the prototype.
 */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly violations: readonly FieldViolation[];
  /** Seconds the client should wait before trying again (REST `Retry-After`, Connect `RetryInfo`). */
  readonly retryAfterS: number | undefined;

  constructor(
    code: ErrCode,
    message: string,
    opts: {
      details?: Record<string, unknown>;
      violations?: FieldViolation[];
      cause?: unknown;
      retryAfterS?: number;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.details = opts.details ?? {};
    this.violations = opts.violations ?? [];
    this.retryAfterS = opts.retryAfterS;
  }

  /**
   * Wraps anything thrown into an AppError, keeping the cause. Storage
   * failures get the code a client can act on (store/sqlite-error.ts);
   * anything else unknown is `internal`.
   */
  static from(e: unknown): AppError {
    if (isAppError(e)) return e;
    const storage = classifySqliteError(e);
    switch (storage?.kind) {
      case "busy":
        return new AppError("unavailable", "the database is busy; retry shortly", {
          cause: e,
          retryAfterS: storage.retryAfterS,
        });
      case "full":
        return new AppError("storage_full", "the node's storage is full; nothing was written", { cause: e });
      case "constraint":
        return new AppError("write_conflict", "the write collided with stored state; nothing was written", { cause: e });
      case "fault":
      case undefined:
        return new AppError("internal", "internal error", { cause: e });
    }
  }

  toJSON(): { code: ErrCode; message: string } & Record<string, unknown> {
    return { ...this.details, code: this.code, message: this.message };
  }
}

/** True for an {@link AppError}, also across module copies. */
export function isAppError(e: unknown): e is AppError {
  return e instanceof Error && e.name === "AppError" && typeof (e as AppError).code === "string";
}
