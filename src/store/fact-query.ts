/**
 * Builds the SQL behind fact listings (protocol.md §6): the current view or
 * all history, narrowed by a condition the caller built from the read rules
 * (node/access/read-rules.ts) and its filters, keyset-paged in local HLC
 * order, with the true total. Nothing the condition excludes is returned or
 * counted.
 *
 * @module
 */
import type { Condition } from "../core/access/condition.js";
import { renderSql } from "../core/access/condition-sql.js";
import { HISTORY_COLUMNS, VIEW_COLUMNS } from "./access-columns.js";
import { FACT_COLUMNS, FACT_JOINS, type FactRow, type FactStore } from "./fact-store.js";

export interface FactSelection {
  /** Current view (one row per chain, from `fact_heads`) or every stored fact. */
  readonly view: "current" | "history";
  /** Which facts: the read rules and the caller's filters. */
  readonly where: Condition;
  /** Only facts whose timestamp text sorts after this (same fixed format, so text order = time order). */
  readonly afterTimestamp?: string;
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
export function queryFacts(store: FactStore, selection: FactSelection, page: PageRequest): FactPage {
  const params: Record<string, unknown> = {};
  // The current view reads from fact_heads (one row per chain); history from facts.
  const current = selection.view === "current";
  const view = current ? "hh" : "f";
  const from = current ? `fact_heads hh JOIN facts f ON f.rowid = hh.head_rowid ${FACT_JOINS}` : `facts f ${FACT_JOINS}`;
  const where = [renderSql(selection.where, current ? VIEW_COLUMNS : HISTORY_COLUMNS, params)];
  if (selection.afterTimestamp !== undefined) {
    where.push("f.timestamp > @after_ts");
    params.after_ts = selection.afterTimestamp;
  }

  const whereSql = `WHERE ${where.join(" AND ")}`;
  const total = store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${whereSql}`, params)!.n;

  const dir = page.order === "asc" ? "ASC" : "DESC";
  const keyset = [...where];
  if (page.after !== undefined) {
    keyset.push(`(${view}.hlc_w, ${view}.hlc_c) ${page.order === "asc" ? ">" : "<"} (@cw, @cc)`);
    params.cw = page.after.wall;
    params.cc = page.after.counter;
  }
  params.limit = page.limit + 1;
  const rows = store.all<FactRow>(
    `SELECT ${FACT_COLUMNS} FROM ${from} WHERE ${keyset.join(" AND ")}
     ORDER BY ${view}.hlc_w ${dir}, ${view}.hlc_c ${dir} LIMIT @limit`,
    params,
  );
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, total, hasMore };
}
