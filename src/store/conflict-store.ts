/**
 * SQL for conflict records (protocol.md §6): created when contradicting
 * facts arrive, listed in detection order, closed by a resolution.
 *
 * @module
 */
import type { Condition } from "../core/access/condition.js";
import { renderSql } from "../core/access/condition-sql.js";
import { CONFLICT_FACT_A_COLUMNS, CONFLICT_FACT_B_COLUMNS } from "./access-columns.js";
import type { Db } from "./database.js";

export interface ConflictRow {
  conflict_id: string;
  fact_a_rowid: number;
  fact_b_rowid: number;
  entity: string;
  relation: string;
  scope: string;
  status: "unresolved" | "resolved";
  detected_at: string;
  seq: number;
  resolved_by: string | null;
  resolution_note: string | null;
  resolver: string | null;
  resolved_at: string | null;
}

export interface ConflictListFilter {
  status?: "unresolved" | "resolved";
  /** Which facts the caller may read (node/access/read-rules.ts): a record is listed only if it may read both. */
  readable: Condition;
  /** Only records with seq below this (keyset, newest first). */
  beforeSeq?: number;
  limit: number;
}

export class ConflictStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare(`INSERT OR IGNORE INTO conflicts (conflict_id, fact_a_rowid, fact_b_rowid, entity, relation, scope,
          status, detected_at, seq)
        VALUES (@conflict_id, @fact_a_rowid, @fact_b_rowid, @entity, @relation, @scope, 'unresolved', @detected_at,
          (SELECT COALESCE(MAX(seq), 0) + 1 FROM conflicts))`),
      byId: db.prepare<[string], ConflictRow>("SELECT * FROM conflicts WHERE conflict_id = ?"),
      resolve: db.prepare(`UPDATE conflicts SET status = 'resolved', resolved_by = @resolved_by,
          resolution_note = @resolution_note, resolver = @resolver, resolved_at = @resolved_at
        WHERE conflict_id = @conflict_id AND status = 'unresolved'`),
    };
  }

  /** Records a conflict between a new fact (a) and an existing one (b) once. Returns whether it is new. */
  insert(c: {
    conflict_id: string;
    fact_a_rowid: number;
    fact_b_rowid: number;
    entity: string;
    relation: string;
    scope: string;
    detected_at: string;
  }): boolean {
    // A pair is only ever recorded when its newer fact arrives, so (a, b) never
    // reappears reversed; the UNIQUE constraint makes a repeat a no-op.
    return this.stmts.insert.run(c).changes === 1;
  }

  byId(id: string): ConflictRow | undefined {
    return this.stmts.byId.get(id);
  }

  /** The record `id` if the caller may read both of its facts (`readable`), else undefined. */
  readableById(id: string, readable: Condition): ConflictRow | undefined {
    const params: Record<string, unknown> = { id };
    const where = bothReadable(readable, params);
    return this.db
      .prepare(`SELECT c.* FROM conflicts c ${PAIR_JOINS} WHERE c.conflict_id = @id AND ${where}`)
      .get(params) as ConflictRow | undefined;
  }

  /** Closes an unresolved conflict. Returns false if it was already resolved. */
  resolve(r: {
    conflict_id: string;
    resolved_by: string;
    resolution_note: string | null;
    resolver: string;
    resolved_at: string;
  }): boolean {
    return this.stmts.resolve.run(r).changes === 1;
  }

  /** One page of conflicts, newest first, plus the total under the same filter. */
  list(f: ConflictListFilter): { rows: ConflictRow[]; total: number; hasMore: boolean } {
    const params: Record<string, unknown> = {};
    const where = [bothReadable(f.readable, params)];
    if (f.status !== undefined) {
      where.push("c.status = @status");
      params.status = f.status;
    }
    const from = `conflicts c ${PAIR_JOINS}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where.join(" AND ")}`).get(params) as { n: number }).n;
    if (f.beforeSeq !== undefined) {
      where.push("c.seq < @before");
      params.before = f.beforeSeq;
    }
    params.limit = f.limit + 1;
    const rows = this.db
      .prepare(`SELECT c.* FROM ${from} WHERE ${where.join(" AND ")} ORDER BY c.seq DESC LIMIT @limit`)
      .all(params) as ConflictRow[];
    const hasMore = rows.length > f.limit;
    if (hasMore) rows.pop();
    return { rows, total, hasMore };
  }
}

/** The two facts of a record, for the read rules. */
const PAIR_JOINS = "JOIN facts fa ON fa.rowid = c.fact_a_rowid JOIN facts fb ON fb.rowid = c.fact_b_rowid";

/** `readable` must hold for both facts of the pair. */
function bothReadable(readable: Condition, params: Record<string, unknown>): string {
  return `${renderSql(readable, CONFLICT_FACT_A_COLUMNS, params, "fa")} AND ${renderSql(readable, CONFLICT_FACT_B_COLUMNS, params, "fb")}`;
}
