/**
 * Converts anything a handler throws into a ConnectError whose details carry
 * a `google.rpc.ErrorInfo` with the stable ErrCode in `reason` (protocol.md
 * §1), so Connect and gRPC clients can branch on the same strings REST
 * clients see in `detail.code`.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../../../gen/proto/google/rpc/error_details_pb.js";
import { AppError, isAppError } from "../../node/app-error.js";
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
  const message = e.code === "internal" ? "internal error" : wellFormed(e.message);
  const details: ConstructorParameters<typeof ConnectError>[3] = [
    { desc: ErrorInfoSchema, value: { reason: e.code, domain: ERROR_DOMAIN, metadata } },
  ];
  // Field-level failures (REST 422) also travel as google.rpc.BadRequest (common.proto).
  if (e.violations.length > 0) {
    details.push({
      desc: BadRequestSchema,
      value: {
        fieldViolations: e.violations.map((v) => ({ field: v.loc.join("."), description: v.msg, reason: v.type })),
      },
    });
  }
  // Rate limits and shedding say when to come back, as REST's Retry-After does.
  const retryAfter = e.details.retry_after;
  const headers = typeof retryAfter === "number" ? new Headers({ "retry-after": String(retryAfter) }) : undefined;
  return new ConnectError(message, connectCodeFor(e.code), headers, details, e.cause);
}
