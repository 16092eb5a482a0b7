/**
 * A failed Connect, gRPC or gRPC-Web call → the typed SDK error. The stable
 * code is `google.rpc.ErrorInfo.reason` (protocol.md §1), its metadata the
 * context fields, `google.rpc.BadRequest` the field problems and
 * `google.rpc.RetryInfo` the retry delay: the same error REST gives.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "../../../../gen/proto/google/rpc/error_details_pb.js";
import { createStigmemError, FALLBACK_CODES, type ErrorKind, type StigmemError } from "../errors.js";
import type { TransportKind } from "../types.js";

/** Connect code → kind of failure; the Connect column of docs/errors.md, read backwards. */
export function kindForCode(code: Code): ErrorKind {
  switch (code) {
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return "validation";
    case Code.Unauthenticated:
      return "auth";
    case Code.PermissionDenied:
      return "permission";
    case Code.NotFound:
      return "not_found";
    case Code.AlreadyExists:
    case Code.Aborted:
    case Code.FailedPrecondition:
      return "conflict";
    case Code.ResourceExhausted:
      return "rate_limit";
    case Code.Unimplemented:
      return "not_implemented";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Canceled:
      return "unavailable";
    case Code.Internal:
    case Code.Unknown:
    case Code.DataLoss:
      return "internal";
  }
}

/** The code to report when the node sent no ErrorInfo (a transport failure, a proxy). */
function fallbackCode(code: Code, kind: ErrorKind): string {
  if (code === Code.DeadlineExceeded) return "deadline_exceeded";
  if (code === Code.Canceled) return "canceled";
  return FALLBACK_CODES[kind];
}

/** Converts anything a Connect client threw. */
export function connectError(e: unknown, transport: Exclude<TransportKind, "rest">): StigmemError {
  const err = ConnectError.from(e);
  const kind = kindForCode(err.code);
  const info = err.findDetails(ErrorInfoSchema)[0];
  const retry = err.findDetails(RetryInfoSchema)[0]?.retryDelay;
  const metaRetry = info?.metadata.retry_after;
  return createStigmemError(kind, {
    code: info?.reason || fallbackCode(err.code, kind),
    message: err.rawMessage,
    transport,
    details: info?.metadata ?? {},
    connectCode: Code[err.code].replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`)),
    fields: err.findDetails(BadRequestSchema).flatMap((b) =>
      b.fieldViolations.map((v) => ({ field: v.field, message: v.description, reason: v.reason })),
    ),
    retryAfter: retry !== undefined ? Number(retry.seconds) + retry.nanos / 1e9 : metaRetry === undefined ? undefined : Number(metaRetry),
    cause: e,
  });
}
