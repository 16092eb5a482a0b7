/**
 * Every REST failure leaves through here: AppErrors, fastify's own errors
 * (bad JSON, wrong content type, body too large) and anything unexpected,
 * which becomes a logged 500 that reveals nothing.
 *
 * Body shape (protocol.md §7, docs/errors.md): the stable `code`, a human
 * `message` and any context fields at the top level of every error, so one
 * field serves every client; `detail` keeps the shape the reference uses on
 * that route, so its SDKs (which print `detail`) show a sentence:
 * - most routes: `detail` is the message text;
 * - codes the reference raises with a dict: `detail` is `{code, message, ...}`;
 * - field-level validation: FastAPI's list `[{loc, msg, type}]` with 422.
 *
 * @module
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, isAppError, type ErrCode, type FieldViolation } from "../../node/app-error.js";
import { auditDenial } from "../../node/auth/denial-audit.js";
import type { Principal } from "../../node/principal.js";
import type { NodeContext } from "../../node/node-context.js";
import { logRequestFailure } from "../../logger.js";
import { wireValidationMessage, wireViolations } from "../wire-names.js";
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
  readonly node: NodeContext;
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
  // A 501 is the contract saying "not yet", not a failure: logged at info, without a stack.
  logRequestFailure(req.log, status >= 500 && status !== 501, appError.code, appError);
  if (status === 401) reply.header("WWW-Authenticate", "Bearer");
  if (appError.retryAfterS !== undefined) reply.header("Retry-After", String(appError.retryAfterS));
  void reply.code(status).type("application/json").send(restErrorBody(appError, req.routeOptions.url));
}

/**
 * Codes whose `detail` the reference nests as an object on every route that
 * raises them (its routes pass a dict to HTTPException for exactly these).
 */
const NESTED_DETAIL: ReadonlySet<ErrCode> = new Set<ErrCode>([
  "cid_malformed",
  "cid_mismatch",
  "fact_chain_mismatch",
  "graph_depth_exceeded",
  "instruction_write_required",
  "time_travel_plugin_not_loaded",
]);

/** Route-specific nesting: the reference's graph route nests its cursor errors, its fact and conflict lists do not. */
const NESTED_ON_ROUTE: Readonly<Record<string, ReadonlySet<ErrCode>>> = {
  "/v1/graph/neighbors": new Set<ErrCode>(["invalid_cursor"]),
};

/** A REST error body (protocol.md §7); `detail` varies by route, the rest never does. */
export type RestErrorBody = {
  code: ErrCode;
  message: string;
  detail: string | readonly FieldViolation[] | ({ code: ErrCode; message: string } & Record<string, unknown>);
} & Record<string, unknown>;

/** The body for `e` answered on `route` (the fastify route pattern, when one matched). */
export function restErrorBody(e: AppError, route: string | undefined): RestErrorBody {
  // Context first, so a context field can never mask the code or the message.
  const top = { ...e.details, code: e.code, message: e.message };
  if (e.code === "validation_error") {
    return { detail: wireViolations(e.violations), ...top, message: wireValidationMessage(e.message, e.violations) };
  }
  const nested = NESTED_DETAIL.has(e.code) || (route !== undefined && NESTED_ON_ROUTE[route]?.has(e.code) === true);
  return { detail: nested ? top : e.message, ...top };
}

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && typeof (e as FastifyError).code === "string" && (e as FastifyError).code.startsWith("FST_");
}
