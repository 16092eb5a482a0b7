/**
 * Builds the SQL behind fact listings (protocol.md §6): the current view by
 * default, or all history with `includeSuperseded`; keyset-paged in local
 * HLC order; with the true total. Filters arrive validated and normalized.
 *
 * @module
 */
import { FACT_COLUMNS, FACT_JOINS, type FactRow, type FactStore } from "./fact-store.js";

export interface FactFilters {
  entity?: string;
  relation?: string;
  source?: string;
  /** Exact scope, already checked against the caller's key scopes. */
  scope?: string;
  /** Scopes the caller may read; null = all. Applied in SQL so nothing unreadable is counted. */
  readableScopes: readonly string[] | null;
  gardenId?: string;
  minConfidence: number;
  includeContradicted: boolean;
  includeExpired: boolean;
  includeSuperseded: boolean;
  /** Only facts whose timestamp text sorts after this (same fixed format, so text order = time order). */
  afterTimestamp?: string;
  nowMs: number;
}

export interface PageRequest {
  order: "asc" | "desc";
  /** The last row of the previous page. */
  after?: { wall: number; counter: number };
  limit: number;
}

export interface FactPage {
  rows: FactRow[];
  total: number;
  hasMore: boolean;
}

/** Lists one page of facts and counts all matches. */
export function queryFacts(store: FactStore, filters: FactFilters, page: PageRequest): FactPage {
  const params: Record<string, unknown> = { now: filters.nowMs, min_conf: filters.minConfidence };
  const where: string[] = [];
  // The current view reads from fact_heads (one row per chain); history from facts.
  const view = filters.includeSuperseded ? "f" : "hh";
  const from = filters.includeSuperseded
    ? `facts f ${FACT_JOINS}`
    : `fact_heads hh JOIN facts f ON f.rowid = hh.head_rowid ${FACT_JOINS}`;

  const eq = (column: string, name: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`${view}.${column} = @${name}`);
    params[name] = value;
  };
  eq("entity", "entity", filters.entity);
  eq("relation", "relation", filters.relation);
  eq("source", "source", filters.source);
  eq("scope", "scope", filters.scope);
  if (filters.gardenId !== undefined) {
    where.push("f.garden_id = @garden_id");
    params.garden_id = filters.gardenId;
  }
  if (filters.readableScopes !== null) {
    if (filters.readableScopes.length === 0) return { rows: [], total: 0, hasMore: false };
    const names = filters.readableScopes.map((s, i) => {
      params[`rs${i}`] = s;
      return `@rs${i}`;
    });
    where.push(`${view}.scope IN (${names.join(", ")})`);
  }
  if (filters.minConfidence > 0) where.push("f.confidence >= @min_conf");
  if (filters.afterTimestamp !== undefined) {
    where.push("f.timestamp > @after_ts");
    params.after_ts = filters.afterTimestamp;
  }
  if (!filters.includeSuperseded) {
    where.push("hh.live = 1");
    if (!filters.includeExpired) where.push("(f.valid_until_ms IS NULL OR f.valid_until_ms > @now)");
    // A contradicted triple shows its winner's value unless losers are asked for (§6).
    if (!filters.includeContradicted) where.push("(t.contradicted IS NOT 1 OR hh.value_key = t.winner_key)");
  }

  const whereSql = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
  const total = store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${whereSql}`, params)!.n;

  const dir = page.order === "asc" ? "ASC" : "DESC";
  const keyset: string[] = [...where];
  if (page.after !== undefined) {
    keyset.push(`(${view}.hlc_w, ${view}.hlc_c) ${page.order === "asc" ? ">" : "<"} (@cw, @cc)`);
    params.cw = page.after.wall;
    params.cc = page.after.counter;
  }
  params.limit = page.limit + 1;
  const rows = store.all<FactRow>(
    `SELECT ${FACT_COLUMNS} FROM ${from} ${keyset.length === 0 ? "" : `WHERE ${keyset.join(" AND ")}`}
     ORDER BY ${view}.hlc_w ${dir}, ${view}.hlc_c ${dir} LIMIT @limit`,
    params,
  );
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, total, hasMore };
}
