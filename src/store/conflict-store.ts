/**
 * SQL for conflict records (protocol.md §6): created when contradicting
 * facts arrive, listed in detection order, closed by a resolution.
 *
 * @module
 */
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
  /** Scopes the caller may read; null = all. Both facts of a pair share the triple's scope. */
  readableScopes: readonly string[] | null;
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
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (f.status !== undefined) {
      where.push("status = @status");
      params.status = f.status;
    }
    if (f.readableScopes !== null) {
      if (f.readableScopes.length === 0) return { rows: [], total: 0, hasMore: false };
      where.push(`scope IN (${f.readableScopes.map((s, i) => ((params[`s${i}`] = s), `@s${i}`)).join(", ")})`);
    }
    const whereSql = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM conflicts ${whereSql}`).get(params) as { n: number }).n;
    if (f.beforeSeq !== undefined) {
      where.push("seq < @before");
      params.before = f.beforeSeq;
    }
    params.limit = f.limit + 1;
    const rows = this.db
      .prepare(`SELECT * FROM conflicts ${where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`} ORDER BY seq DESC LIMIT @limit`)
      .all(params) as ConflictRow[];
    const hasMore = rows.length > f.limit;
    if (hasMore) rows.pop();
    return { rows, total, hasMore };
  }
}
