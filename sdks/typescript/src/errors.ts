/**
 * Typed errors, the same whichever transport failed: the class follows the
 * kind of failure (REST status, Connect code), `code` is the node's stable
 * error code (REST body `code`, Connect `ErrorInfo.reason`; docs/errors.md),
 * `details` its context fields as strings (the Connect metadata rule applied
 * to REST too), and `fields` the per-field problems of a validation failure.
 *
 * Errors stay plain data: `toJSON()` keeps every field, and
 * {@link isStigmemError} checks `name` rather than the class, so the guard
 * holds when two copies of the SDK are bundled side by side.
 *
 * @module
 */
import type { TransportKind } from "./types.js";

/** One offending input of a validation failure. */
export interface FieldIssue {
  /** Dotted path of the input, e.g. `body.value.v` (REST `loc` joined). */
  readonly field: string;
  readonly message: string;
  /** Machine-readable reason, e.g. `missing`, `less_than_equal`. */
  readonly reason: string;
}

/** Everything an error carries, for the constructors and for JSON. */
export interface StigmemErrorInit {
  /** The node's stable code, e.g. `not_found`, `cid_mismatch`. */
  code: string;
  message: string;
  transport: TransportKind;
  details?: Readonly<Record<string, string>>;
  /** The HTTP status, when the error came over REST. */
  httpStatus?: number;
  /** The Connect code name (e.g. `not_found`), when it came over Connect, gRPC or gRPC-Web. */
  connectCode?: string;
  fields?: readonly FieldIssue[];
  /** Seconds to wait before retrying (rate limits). */
  retryAfter?: number;
  cause?: unknown;
}

/** Base of every error the SDK throws for a failed call. */
export class StigmemError extends Error {
  override readonly name: string = "StigmemError";
  readonly code: string;
  readonly transport: TransportKind;
  readonly details: Readonly<Record<string, string>>;
  readonly httpStatus: number | undefined;
  readonly connectCode: string | undefined;

  constructor(init: StigmemErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.transport = init.transport;
    this.details = init.details ?? {};
    this.httpStatus = init.httpStatus;
    this.connectCode = init.connectCode;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      transport: this.transport,
      details: this.details,
      httpStatus: this.httpStatus,
      connectCode: this.connectCode,
    };
  }
}

/** 401 / `unauthenticated`: no key, an unknown or revoked key, or an expired one. */
export class AuthError extends StigmemError {
  override readonly name: string = "AuthError";
}

/** 403 / `permission_denied`: the key lacks a permission or may not use a scope. */
export class PermissionError extends StigmemError {
  override readonly name: string = "PermissionError";
}

/** 404 / `not_found`: no such resource, or the caller may not know it exists. */
export class NotFoundError extends StigmemError {
  override readonly name: string = "NotFoundError";
}

/** 409 / `already_exists`, `aborted`, `failed_precondition`: stored state disagrees with the request. */
export class ConflictError extends StigmemError {
  override readonly name: string = "ConflictError";
}

/** 400, 413, 415, 422 / `invalid_argument`: the request is not acceptable; `fields` lists what, when known. */
export class ValidationError extends StigmemError {
  override readonly name: string = "ValidationError";
  readonly fields: readonly FieldIssue[];

  constructor(init: StigmemErrorInit) {
    super(init);
    this.fields = init.fields ?? [];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fields: this.fields };
  }
}

/** 429 / `resource_exhausted`: slow down; `retryAfter` says for how long, in seconds, when the node says. */
export class RateLimitError extends StigmemError {
  override readonly name: string = "RateLimitError";
  readonly retryAfter: number | undefined;

  constructor(init: StigmemErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfter };
  }
}

/** 502–504 / `unavailable`, `deadline_exceeded`, or no answer at all: retry later. */
export class UnavailableError extends StigmemError {
  override readonly name: string = "UnavailableError";
}

/** 405, 501 / `unimplemented`: the operation is in the contract but this node does not do it (yet). */
export class NotImplementedError extends StigmemError {
  override readonly name: string = "NotImplementedError";
}

/** 500 / `internal`, `unknown`: a bug on the node; its log has the cause under the request id. */
export class InternalError extends StigmemError {
  override readonly name: string = "InternalError";
}

/** The kinds of failure, one class each. */
export type ErrorKind = "auth" | "permission" | "not_found" | "conflict" | "validation" | "rate_limit" | "unavailable" | "not_implemented" | "internal";

const CLASSES: Readonly<Record<ErrorKind, new (init: StigmemErrorInit) => StigmemError>> = {
  auth: AuthError,
  permission: PermissionError,
  not_found: NotFoundError,
  conflict: ConflictError,
  validation: ValidationError,
  rate_limit: RateLimitError,
  unavailable: UnavailableError,
  not_implemented: NotImplementedError,
  internal: InternalError,
};

/** Literal names: a minifier may rename the classes, never these strings. */
const NAMES: ReadonlySet<string> = new Set([
  "StigmemError",
  "AuthError",
  "PermissionError",
  "NotFoundError",
  "ConflictError",
  "ValidationError",
  "RateLimitError",
  "UnavailableError",
  "NotImplementedError",
  "InternalError",
]);

/** Builds the error class for `kind`. */
export function createStigmemError(kind: ErrorKind, init: StigmemErrorInit): StigmemError {
  return new CLASSES[kind](init);
}

/** True for any SDK error, also across bundles and module copies: checks `name` and `code`. */
export function isStigmemError(e: unknown): e is StigmemError {
  return e instanceof Error && NAMES.has(e.name) && typeof (e as StigmemError).code === "string";
}

/** The stable code used when a failure came with none (a proxy's 502, a dropped connection). */
export const FALLBACK_CODES: Readonly<Record<ErrorKind, string>> = {
  auth: "auth_required",
  permission: "permission_denied",
  not_found: "not_found",
  conflict: "conflict",
  validation: "invalid_argument",
  rate_limit: "quota_exceeded",
  unavailable: "unavailable",
  not_implemented: "not_implemented",
  internal: "internal",
};
