/**
 * Keeps the full-text index `facts_fts` in step with `facts`. Called once per
 * write transaction, just before its commit, so a transaction's new facts
 * become searchable atomically with the facts themselves and FTS5 writes one
 * segment per commit instead of one per fact (see migration 007).
 *
 * @module
 */
import type { Db } from "./database.js";

export class LexicalIndex {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      // facts_fts_docsize has one row per indexed fact, keyed by its rowid;
      // facts are append-only, so every rowid above the greatest is unindexed.
      watermark: db.prepare<[], { w: number }>("SELECT coalesce(max(id), 0) AS w FROM facts_fts_docsize"),
      indexAfter: db.prepare(`INSERT INTO facts_fts (rowid, entity, relation, value_v)
        SELECT rowid, entity, relation, value_v FROM facts WHERE rowid > ? ORDER BY rowid`),
    };
  }

  /** Indexes every fact not indexed yet; returns how many. Runs inside the caller's transaction. */
  catchUp(): number {
    const after = this.stmts.watermark.get()!.w;
    return this.stmts.indexAfter.run(after).changes;
  }
}
