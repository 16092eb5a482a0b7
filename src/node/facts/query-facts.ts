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
import { and, eq, type Condition } from "../../core/access/condition.js";
import { readPolicyFor, requireReadableGarden, requireReadableScope } from "../access/read-policy.js";
import { readCondition } from "../access/read-rules.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { QueryParams } from "../query-params.js";
import { toFact, type Fact } from "./fact.js";
import { verifyMany } from "./read-integrity.js";

export interface QueryResult {
  readonly facts: Fact[];
  /** Every match, not just this page. */
  readonly total: number;
  /** Where the next page starts; null on the last page. */
  readonly cursor: string | null;
  /** Some rows failed CID verification and were left out. */
  readonly degraded: boolean;
}

/**
 * A listing's parameters as they arrive, under their camelCase names: REST
 * query strings or typed Connect values (query-params.ts reads either).
 */
export interface FactQueryDraft {
  readonly entity?: unknown;
  readonly relation?: unknown;
  readonly source?: unknown;
  readonly scope?: unknown;
  readonly gardenId?: unknown;
  readonly minConfidence?: unknown;
  readonly includeContradicted?: unknown;
  readonly includeExpired?: unknown;
  readonly includeSuperseded?: unknown;
  readonly after?: unknown;
  readonly asOf?: unknown;
  readonly order?: unknown;
  readonly cursor?: unknown;
  readonly limit?: unknown;
}

export function queryFactsUseCase(node: NodeContext, principal: Principal, raw: FactQueryDraft): QueryResult {
  const policy = readPolicyFor(principal);
  const q = new QueryParams(raw);
  const v = q.violations;
  const entityRaw = q.str("entity");
  const relation = q.str("relation");
  const sourceRaw = q.str("source");
  const scope = q.str("scope");
  const gardenId = q.str("gardenId");
  const minConfidence = q.num("minConfidence", 0, 0, 1, false);
  const limit = q.num("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, true);
  const includeContradicted = q.bool("includeContradicted");
  const includeExpired = q.bool("includeExpired");
  const includeSuperseded = q.bool("includeSuperseded");
  const orderRaw = q.str("order") ?? "desc";
  if (orderRaw !== "asc" && orderRaw !== "desc") v.add(["query", "order"], "Input should be 'asc' or 'desc'", "enum");
  const order: SortOrder = orderRaw === "asc" ? "asc" : "desc";
  const after = q.str("after");
  const afterMs = after === undefined ? undefined : v.capture(["query", "after"], () => parseRfc3339(after, "after"));
  if (scope !== undefined && !isScope(scope)) v.add(["query", "scope"], "Input should be local, team, company or public", "enum");
  const asOf = q.str("asOf");
  const cursorText = q.str("cursor");
  v.throwIfAny();

  if (asOf !== undefined) {
    throw new AppError("time_travel_plugin_not_loaded", "as_of queries are not available on this node yet");
  }
  // Asking for a scope the key may not use is refused; broad reads filter silently (§8).
  if (scope !== undefined) requireReadableScope(policy, scope);
  if (gardenId !== undefined) requireReadableGarden(policy, gardenId);
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
  const filters: Condition[] = [];
  const filter = (attr: "entity" | "relation" | "source" | "scope" | "garden_id", value: string | undefined): void => {
    if (value !== undefined) filters.push(eq(attr, value));
  };
  filter("entity", entity);
  filter("relation", relation);
  filter("source", source);
  filter("scope", scope);
  filter("garden_id", gardenId);
  const read = readCondition(policy, {
    kind: includeSuperseded ? "history" : "current",
    nowMs: now,
    includeExpired,
    includeContradicted,
    minConfidence,
  });
  const page = runQuery(
    node.stores.facts,
    {
      view: includeSuperseded ? "history" : "current",
      where: and(read, ...filters),
      afterTimestamp: afterMs === undefined ? undefined : formatTimestamp(afterMs),
    },
    { order, after: position, limit },
  );
  const last = page.rows.at(-1);
  const verified = verifyMany(node.stores.audit, page.rows, policy.actor);
  return {
    facts: verified.rows.map((r) => toFact(r, now)),
    total: page.total,
    cursor:
      page.hasMore && last !== undefined
        ? encodeCursor({ order, wall: last.hlc_w, counter: last.hlc_c, id: last.id }, fh)
        : null,
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
