/**
 * Converts anything a handler throws into a ConnectError whose details carry
 * a `google.rpc.ErrorInfo` with the stable ErrCode in `reason` (protocol.md
 * §1), so Connect and gRPC clients can branch on the same strings REST
 * clients see in `detail.code`.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "../../../gen/proto/google/rpc/error_details_pb.js";
import { AppError, isAppError } from "../../node/app-error.js";
import { wireValidationMessage, wireViolations } from "../wire-names.js";
import { connectCodeFor } from "./error-code.js";

/** `ErrorInfo.domain` of every error this node emits. */
export const ERROR_DOMAIN = "stigmem";

export function toConnectError(e: unknown): ConnectError {
  if (e instanceof ConnectError) {
    // connect-es answers methods without an implementation itself; give
    // those the same stable reason the REST gateway uses.
    if (e.code === Code.Unimplemented && e.details.length === 0) {
      return withInfo(new AppError("not_implemented", e.rawMessage));
    }
    return e;
  }
  return withInfo(isAppError(e) ? e : AppError.from(e));
}

/** Unpaired surrogates (echoed input) as U+FFFD: gRPC percent-encodes the message, which fails on them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, "\uFFFD");
}

function withInfo(e: AppError): ConnectError {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.details)) metadata[k] = typeof v === "string" ? v : JSON.stringify(v);
  const violations = wireViolations(e.violations);
  const message = e.code === "internal" ? "internal error" : wellFormed(wireValidationMessage(e.message, e.violations));
  const details: ConstructorParameters<typeof ConnectError>[3] = [
    { desc: ErrorInfoSchema, value: { reason: e.code, domain: ERROR_DOMAIN, metadata } },
  ];
  // A failure that passes by itself says when to retry, as REST's Retry-After does.
  if (e.retryAfterS !== undefined) {
    details.push({ desc: RetryInfoSchema, value: { retryDelay: { seconds: BigInt(e.retryAfterS) } } });
  }
  // Field-level failures (REST 422) also travel as google.rpc.BadRequest (common.proto).
  if (violations.length > 0) {
    details.push({
      desc: BadRequestSchema,
      value: {
        fieldViolations: violations.map((v) => ({ field: v.loc.join("."), description: v.msg, reason: v.type })),
      },
    });
  }
  // Busy storage, rate limits and shedding also say when to come back in a header, as REST's Retry-After does.
  const headers = e.retryAfterS === undefined ? undefined : new Headers({ "retry-after": String(e.retryAfterS) });
  return new ConnectError(message, connectCodeFor(e.code), headers, details, e.cause);
}
