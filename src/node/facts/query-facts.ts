/**
 * `GET /v1/facts` and `FactService.QueryFacts` (protocol.md §6): the current
 * view (or all history), filtered, keyset-paged with an opaque cursor bound
 * to its filters, with the true total. Authorization is part of the SQL, so
 * nothing the caller may not read is returned or counted.
 *
 * @module
 */
import { decodeCursor, encodeCursor, filterHash, type SortOrder } from "../../core/cursor.js";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../../core/limits.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { isScope } from "../../core/scope.js";
import { formatTimestamp, parseRfc3339 } from "../../core/timestamp.js";
import { queryFacts as runQuery } from "../../store/fact-query.js";
import { AppError } from "../app-error.js";
import { requirePermission, requireScope, type Principal } from "../principal.js";
import type { StigmemNode } from "../stigmem-node.js";
import { Violations } from "../validation.js";
import { toFactRecord, type FactRecord } from "./fact-record.js";
import { verifyMany } from "./read-integrity.js";

export interface QueryResult {
  facts: FactRecord[];
  total: number;
  cursor: string | null;
  tombstone_notices: never[];
  /** Some rows failed CID verification and were left out. */
  degraded: boolean;
}

/** Query parameters as they arrive: REST strings or typed Connect values. */
export type RawQuery = Record<string, unknown>;

export function queryFactsUseCase(node: StigmemNode, principal: Principal, raw: RawQuery): QueryResult {
  requirePermission(principal, "read");
  const v = new Violations();
  const str = (name: string): string | undefined => {
    const x = raw[name];
    if (x === undefined || x === null || x === "") return undefined;
    if (typeof x !== "string") {
      v.add(["query", name], "Input should be a valid string", "string_type");
      return undefined;
    }
    return x;
  };
  const bool = (name: string): boolean => {
    const x = raw[name];
    if (x === undefined || x === null || x === "") return false;
    if (typeof x === "boolean") return x;
    if (typeof x === "string" && /^(true|1|yes|on)$/i.test(x)) return true;
    if (typeof x === "string" && /^(false|0|no|off)$/i.test(x)) return false;
    v.add(["query", name], "Input should be a valid boolean", "bool_parsing");
    return false;
  };
  const num = (name: string, fallback: number, min: number, max: number, integer: boolean): number => {
    const x = raw[name];
    if (x === undefined || x === null || x === "") return fallback;
    const n = typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" ? Number(x) : Number.NaN;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      v.add(["query", name], `Input should be a valid ${integer ? "integer" : "number"}`, integer ? "int_parsing" : "float_parsing");
      return fallback;
    }
    if (n < min || n > max) {
      v.add(["query", name], `Input should be between ${min} and ${max}`, n < min ? "greater_than_equal" : "less_than_equal");
      return fallback;
    }
    return n;
  };

  const entityRaw = str("entity");
  const relation = str("relation");
  const sourceRaw = str("source");
  const scope = str("scope");
  const gardenId = str("garden_id");
  const minConfidence = num("min_confidence", 0, 0, 1, false);
  const limit = num("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, true);
  const includeContradicted = bool("include_contradicted");
  const includeExpired = bool("include_expired");
  const includeSuperseded = bool("include_superseded");
  const orderRaw = str("order") ?? "desc";
  if (orderRaw !== "asc" && orderRaw !== "desc") v.add(["query", "order"], "Input should be 'asc' or 'desc'", "enum");
  const order: SortOrder = orderRaw === "asc" ? "asc" : "desc";
  const after = str("after");
  const afterMs = after === undefined ? undefined : v.capture(["query", "after"], () => parseRfc3339(after, "after"));
  if (scope !== undefined && !isScope(scope)) v.add(["query", "scope"], "Input should be local, team, company or public", "enum");
  const asOf = str("as_of");
  const cursorText = str("cursor");
  v.throwIfAny();

  if (asOf !== undefined) {
    throw new AppError("time_travel_plugin_not_loaded", "as_of queries are not available on this node yet");
  }
  // Asking for a scope the key may not use is refused; broad reads filter silently (§8).
  if (scope !== undefined) requireScope(principal, scope);
  const entity = entityRaw === undefined ? undefined : normalizeOrFail(entityRaw, "entity");
  const source = sourceRaw === undefined ? undefined : normalizeOrFail(sourceRaw, "source");

  const fh = filterHash({
    entity: entity ?? null,
    relation: relation ?? null,
    source: source ?? null,
    scope: scope ?? null,
    garden_id: gardenId ?? null,
    min_confidence: String(minConfidence),
    include_contradicted: includeContradicted,
    include_expired: includeExpired,
    include_superseded: includeSuperseded,
    after: afterMs ?? null,
    order,
  });
  let position: { wall: number; counter: number } | undefined;
  if (cursorText !== undefined) {
    try {
      const pos = decodeCursor(cursorText, fh);
      position = { wall: pos.wall, counter: pos.counter };
    } catch (e) {
      throw new AppError("invalid_cursor", (e as Error).message);
    }
  }

  const now = Date.now();
  const page = runQuery(
    node.stores.facts,
    {
      entity,
      relation,
      source,
      scope,
      readableScopes: principal.allowedScopes,
      gardenId,
      minConfidence,
      includeContradicted,
      includeExpired,
      includeSuperseded,
      afterTimestamp: afterMs === undefined ? undefined : formatTimestamp(afterMs),
      nowMs: now,
    },
    { order, after: position, limit },
  );
  const last = page.rows.at(-1);
  const verified = verifyMany(node, page.rows, principal.entityUri);
  return {
    facts: verified.rows.map((r) => toFactRecord(r, now)),
    total: page.total,
    cursor:
      page.hasMore && last !== undefined
        ? encodeCursor({ order, wall: last.hlc_w, counter: last.hlc_c, id: last.id }, fh)
        : null,
    tombstone_notices: [],
    degraded: verified.degraded,
  };
}

function normalizeOrFail(raw: string, field: string): string {
  try {
    return normalizeEntityUri(raw, field);
  } catch (e) {
    throw new AppError("invalid_entity_uri", (e as Error).message, { details: { field } });
  }
}
