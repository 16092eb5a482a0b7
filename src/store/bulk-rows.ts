/**
 * The row writers of a bulk load (bulk-load.ts): facts with their rowids,
 * fact-chain links, graph edges and conflict records, each one prepared
 * statement, called into the load's open chunk.
 *
 * @module
 */
import type { ExportedConflict } from "../core/export/conflict-line.js";
import type { ExportedFact } from "../core/export/fact-line.js";
import type { Db } from "./database.js";

export class BulkRows {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      // Positional parameters: binding 26 named ones from an object cost a third of the insert.
      fact: db.prepare(`INSERT INTO facts (rowid, id, entity, relation, value_type, value_v, interpret_as, source,
          confidence, scope, garden_id, valid_until, valid_until_ms, timestamp, hlc_w, hlc_c, origin_hlc_w,
          origin_hlc_c, origin_node_id, received_from, actor, cid, supersedes, write_mode, derived_from, quarantine)
        VALUES (${Array(26).fill("?").join(", ")})`),
      edge: db.prepare("INSERT INTO fact_edges (fact_rowid, src, dst, relation, scope) VALUES (?, ?, ?, ?, ?)"),
      link: db.prepare("INSERT INTO fact_chain (chain_seq, fact_rowid, chain_hash) VALUES (?, ?, ?)"),
      conflict: db.prepare(`INSERT INTO conflicts (conflict_id, fact_a_rowid, fact_b_rowid, entity, relation, scope, status,
          detected_at, seq, resolved_by, resolution_note, resolver, resolved_at)
        SELECT @conflict_id, fa.rowid, fb.rowid, @entity, @relation, @scope, @status, @detected_at, @seq, @resolved_by,
          @resolution_note, @resolver, @resolved_at
        FROM facts fa, facts fb WHERE fa.id = @fact_a AND fb.id = @fact_b`),
      factRowid: db.prepare<[string], number>("SELECT rowid FROM facts WHERE id = ?").pluck(),
    };
  }

  /** Stores one fact row, keeping its rowid. */
  insertFact(f: ExportedFact): void {
    this.stmts.fact.run(
      f.rowid,
      f.id,
      f.entity,
      f.relation,
      f.value_type,
      f.value_v,
      f.interpret_as,
      f.source,
      f.confidence,
      f.scope,
      f.garden_id,
      f.valid_until,
      f.valid_until_ms,
      f.timestamp,
      f.hlc_w,
      f.hlc_c,
      f.origin_hlc_w,
      f.origin_hlc_c,
      f.origin_node_id,
      f.received_from,
      f.actor,
      f.cid,
      f.supersedes,
      f.write_mode,
      f.derived_from,
      f.quarantine,
    );
  }

  /** Stores the graph edge of a `ref` fact (`dst`: its value, normalized), as the write step does. */
  insertEdge(factRowid: number, src: string, dst: string, relation: string, scope: string): void {
    this.stmts.edge.run(factRowid, src, dst, relation, scope);
  }

  /** Stores one link of the fact chain (`hash`: the 32 raw bytes). */
  insertLink(seq: number, factRowid: number, hash: Buffer): void {
    this.stmts.link.run(seq, factRowid, hash);
  }

  /** Stores one conflict record; false when one of its facts is not stored. */
  insertConflict(c: ExportedConflict): boolean {
    return this.stmts.conflict.run(c).changes === 1;
  }

  /** Whether a fact with this id is stored. */
  hasFact(id: string): boolean {
    return this.stmts.factRowid.get(id) !== undefined;
  }
}
