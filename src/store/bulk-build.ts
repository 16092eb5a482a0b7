/**
 * The set-based half of a bulk load's build (bulk-load.ts): what the online
 * write step (node/facts/apply-fact.ts) keeps current fact by fact, derived
 * here once from all the rows, each step one SQL statement over the whole
 * store. Each step states the online rule it reproduces; the equivalence
 * test (test/integration/import-equivalence.test.ts) compares the results
 * with a node that wrote the same facts online.
 *
 * @module
 */
import type { Db } from "./database.js";

/** A triple whose verdict the caller must judge. */
export interface TripleKey {
  readonly entity: string;
  readonly relation: string;
  readonly scope: string;
}

export class BulkBuild {
  constructor(
    private readonly db: Db,
    /** The node's id: a local fact's origin in the fact order (core/fact-order.ts). */
    private readonly nodeId: string,
    /** The moment the import judges expiry at. */
    private readonly nowMs: number,
  ) {}

  /** Creates the indexes the load dropped, from their stored SQL (one sort each instead of a random insert per row). */
  recreateIndexes(sql: readonly string[]): void {
    for (const s of sql) this.db.exec(s);
  }

  /**
   * Indexes every fact above rowid `after` for full-text search, as the
   * write queue's per-commit catch-up does (lexical-index.ts), in one
   * statement: the facts the index built beside the load did not cover.
   */
  textIndex(after: number): number {
    return this.db
      .prepare(`INSERT INTO facts_fts (rowid, entity, relation, value_v) SELECT rowid, entity, relation, value_v FROM facts WHERE rowid > ? ORDER BY rowid`)
      .run(after).changes;
  }

  /**
   * `fact_overruled` from the resolved conflicts (node/conflicts/resolve-conflict.ts):
   * a resolution overrules the facts of its pair whose value differs from the
   * resolution fact's, and a fact overruled twice keeps its first resolution
   * (the online insert is OR IGNORE), hence resolution order.
   */
  overruled(): number {
    return this.db
      .prepare(
        `INSERT OR IGNORE INTO fact_overruled (fact_rowid, conflict_id, resolution_fact_id)
         SELECT f.rowid, c.conflict_id, r.id
         FROM conflicts c
         JOIN facts r ON r.id = c.resolved_by
         JOIN facts f ON f.rowid IN (c.fact_a_rowid, c.fact_b_rowid)
         WHERE c.status = 'resolved' AND (f.value_type <> r.value_type OR f.value_v <> r.value_v)
         ORDER BY r.rowid, f.rowid = c.fact_b_rowid`,
      )
      .run().changes;
  }

  /**
   * `fact_heads`: each chain K = (entity, relation, scope, source) is headed
   * by its ≺-greatest fact (core/supersession.ts): origin HLC as a pair, then
   * origin node (ours for a local fact), then CID, the last two by code point
   * — which is SQLite's BINARY order of their UTF-8. A head is live when its
   * confidence is above 0 and no resolution overruled it (what the online
   * path's `setHead` and `markHeadDead` leave). The window emits heads in
   * chain-key order, so the unique index on that key is written at its end.
   */
  heads(): number {
    return this.db
      .prepare(
        `INSERT INTO fact_heads (entity, relation, scope, source, head_rowid, hlc_w, hlc_c, live, value_key)
         SELECT entity, relation, scope, source, head, hlc_w, hlc_c, live, value_key FROM (
           SELECT entity, relation, scope, source, rowid AS head, hlc_w, hlc_c,
             confidence > 0 AND rowid NOT IN (SELECT fact_rowid FROM fact_overruled) AS live,
             value_type || ':' || value_v AS value_key,
             row_number() OVER (
               PARTITION BY entity, relation, scope, source
               ORDER BY origin_hlc_w DESC, origin_hlc_c DESC, coalesce(origin_node_id, @node) DESC, cid DESC) AS rank
           FROM facts)
         WHERE rank = 1`,
      )
      .run({ node: this.nodeId }).changes;
  }

  /**
   * Triples whose verdict row (`fact_triples`) may not be "no row": those
   * with heads of two or more chains, or a head that expires later than
   * now. Any other triple has at most one live head that never expires: not
   * contradicted, nothing to sweep, so no row (fact-store.ts `setTriple`).
   * The caller judges each with the online rule.
   */
  tripleCandidates(): TripleKey[] {
    return this.db
      .prepare<{ now: number }, TripleKey>(
        `SELECT entity, relation, scope FROM fact_heads GROUP BY entity, relation, scope HAVING count(*) > 1
         UNION
         SELECT f.entity, f.relation, f.scope FROM facts f JOIN fact_heads h ON h.head_rowid = f.rowid
         WHERE f.valid_until_ms > @now`,
      )
      .all({ now: this.nowMs });
  }
}
