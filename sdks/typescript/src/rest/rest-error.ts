/**
 * A failed REST response → the typed SDK error. Reads the stable `code` and
 * `message` from the top of the body (protocol.md §7), the context fields
 * beside them, FastAPI's `detail[]` for field problems, and `Retry-After`
 * for rate limits. Bodies from older nodes (`detail: {code, message}`) and
 * from proxies (no JSON) still give the right class by status.
 *
 * @module
 */
import {
  createStigmemError,
  FALLBACK_CODES,
  type ErrorKind,
  type FieldIssue,
  type StigmemError,
} from "../errors.js";

/** HTTP status → kind of failure; the same table as docs/errors.md, read backwards. */
export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return "validation";
    case 401:
      return "auth";
    case 403:
      return "permission";
    case 404:
      return "not_found";
    case 405:
    case 501:
      return "not_implemented";
    case 409:
      return "conflict";
    case 429:
      return "rate_limit";
    case 502:
    case 503:
    case 504:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "validation";
  }
}

/** Keys of an error body that are not context fields. */
const ENVELOPE = new Set(["code", "message", "detail", "error"]);

/** Builds the error for a non-2xx `response` whose body parsed to `body` (undefined when not JSON). */
export function restError(response: Response, body: unknown): StigmemError {
  const kind = kindForStatus(response.status);
  const b = isRecord(body) ? body : {};
  const nested = isRecord(b.detail) ? b.detail : {};
  const code = firstString(b.code, nested.code, b.error) ?? FALLBACK_CODES[kind];
  const message =
    firstString(b.message, typeof b.detail === "string" ? b.detail : undefined, nested.message) ??
    `HTTP ${response.status} ${response.statusText}`.trim();
  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...nested, ...b })) {
    // Strings as they are, anything else as JSON text: the rule Connect metadata follows.
    if (!ENVELOPE.has(k) && v !== undefined) details[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return createStigmemError(kind, {
    code,
    message,
    transport: "rest",
    details,
    httpStatus: response.status,
    fields: Array.isArray(b.detail) ? b.detail.filter(isRecord).map(fieldIssue) : [],
    retryAfter: retryAfter(response.headers.get("retry-after"), b.retry_after),
  });
}

/** A request that got no HTTP answer at all (refused, reset, timed out). */
export function restNetworkError(e: unknown): StigmemError {
  const timeout = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
  return createStigmemError("unavailable", {
    code: timeout ? "deadline_exceeded" : "unavailable",
    message: e instanceof Error ? e.message : String(e),
    transport: "rest",
    cause: e,
  });
}

function fieldIssue(v: Record<string, unknown>): FieldIssue {
  const loc = Array.isArray(v.loc) ? v.loc : [];
  return { field: loc.join("."), message: typeof v.msg === "string" ? v.msg : "", reason: typeof v.type === "string" ? v.type : "" };
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date), else the body's `retry_after`. */
function retryAfter(header: string | null, body: unknown): number | undefined {
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return seconds;
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }
  return typeof body === "number" && Number.isFinite(body) ? body : undefined;
}

function firstString(...xs: unknown[]): string | undefined {
  return xs.find((x): x is string => typeof x === "string" && x !== "");
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
