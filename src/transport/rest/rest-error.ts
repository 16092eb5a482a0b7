/**
 * Every REST failure leaves through here: AppErrors, fastify's own errors
 * (bad JSON, wrong content type, body too large) and anything unexpected,
 * which becomes a logged 500 that reveals nothing.
 *
 * Body shapes (protocol.md §7): `{"detail":{"code","message",...}}`, and for
 * field-level validation FastAPI's `{"detail":[{loc,msg,type}]}` with 422.
 *
 * @module
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, isAppError } from "../../node/app-error.js";
import { auditDenial } from "../../node/auth/denial-audit.js";
import type { Principal } from "../../node/principal.js";
import type { StigmemNode } from "../../node/stigmem-node.js";
import { httpStatusFor } from "./error-status.js";

/** Maps a fastify framework error (code `FST_ERR_*`) to an AppError, or undefined if it is not one. */
export function fromFastifyError(e: FastifyError): AppError | undefined {
  switch (e.code) {
    // Unparseable JSON body: FastAPI answers 422 json_invalid, and so do we.
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("validation_error", "request body is not valid JSON", {
        violations: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }],
      });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("validation_error", "request body is required", {
        violations: [{ loc: ["body"], msg: "Field required", type: "missing" }],
      });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("payload_too_large", "request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new AppError("unsupported_media_type", "unsupported content type; send application/json");
    default:
      break;
  }
  // Any other framework error with a 4xx status is the client's mistake.
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError("invalid_argument", e.message);
  }
  return undefined;
}

/** The authenticated caller of a failed request, when the gateway got that far. */
export interface RestCaller {
  readonly node: StigmemNode;
  readonly principal: Principal;
}

/** Fastify error handler for the REST scope; refusals of a known caller are audited (protocol.md §11). */
export function handleRestError(e: unknown, req: FastifyRequest, reply: FastifyReply, caller?: RestCaller): void {
  const appError = isAppError(e)
    ? e
    : ((isFastifyError(e) ? fromFastifyError(e) : undefined) ?? AppError.from(e));
  if (caller !== undefined) {
    const operation = (req.routeOptions.config as { operationId?: string } | undefined)?.operationId ?? req.url;
    auditDenial(caller.node, caller.principal, appError, { transport: "rest", operation });
  }
  const status = httpStatusFor(appError.code);
  // A 501 is the contract saying "not yet", not a failure: the request line (info) is enough.
  if (status >= 500 && status !== 501) {
    req.log.error({ err: appError.cause ?? appError, code: appError.code }, "request failed");
  }
  if (status === 401) reply.header("WWW-Authenticate", "Bearer");
  const detail = appError.code === "validation_error" ? appError.violations : appError.toJSON();
  void reply.code(status).type("application/json").send({ detail });
}

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && typeof (e as FastifyError).code === "string" && (e as FastifyError).code.startsWith("FST_");
}
