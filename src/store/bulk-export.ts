/**
 * Reads everything an export carries from a node's database, as one
 * consistent snapshot: a connection of its own holds one read transaction
 * for the whole export, so a node serving the same file (WAL mode) keeps
 * writing while the export sees the store exactly as it was when it began.
 * Rows come in pages by rowid and by conflict seq, so an exporter can stream
 * a store of any size in bounded memory.
 *
 * @module
 */
import fs from "node:fs";
import type { ExportedConflict } from "../core/export/conflict-line.js";
import type { ExportedFact } from "../core/export/fact-line.js";
import { databaseInfo, openDatabase, type Db } from "./database.js";

/** What the header of an export says, read from the snapshot. */
export interface SnapshotInfo {
  /** The node's id; undefined when the node never started (then it has no facts either). */
  readonly nodeId: string | undefined;
  readonly schemaVersion: number;
  readonly facts: number;
  readonly conflicts: number;
  /** The node's persisted clock (HLC text), if any. */
  readonly hlc: string | null;
  /** The federation feed's epoch, when the node has one. */
  readonly feedEpoch: string | null;
  /** The last fact's rowid (0 for an empty store). */
  readonly lastRowid: number;
}

/** The node_meta keys an export reads; `feed_epoch` is the federation feed's (store/feed-store.ts on that branch). */
const META = { nodeId: "node_id", hlc: "hlc", feedEpoch: "feed_epoch" } as const;

export class ExportSnapshot {
  private readonly stmts;
  private closed = false;

  private constructor(
    private readonly db: Db,
    /** What the snapshot holds. */
    readonly info: SnapshotInfo,
  ) {
    this.stmts = {
      facts: db.prepare<[number, number], ExportedFact>(
        `SELECT rowid, id, cid, entity, relation, value_type, value_v, interpret_as, source, confidence, scope,
           garden_id, valid_until, valid_until_ms, timestamp, hlc_w, hlc_c, origin_hlc_w, origin_hlc_c,
           origin_node_id, received_from, actor, supersedes, write_mode, derived_from, quarantine
         FROM facts WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      ),
      conflicts: db.prepare<[number, number], ExportedConflict>(
        `SELECT c.seq, c.conflict_id, fa.id AS fact_a, fb.id AS fact_b, c.entity, c.relation, c.scope, c.status,
           c.detected_at, c.resolved_by, c.resolution_note, c.resolver, c.resolved_at
         FROM conflicts c JOIN facts fa ON fa.rowid = c.fact_a_rowid JOIN facts fb ON fb.rowid = c.fact_b_rowid
         WHERE c.seq > ? ORDER BY c.seq LIMIT ?`,
      ),
    };
  }

  /**
   * Opens the database at `dbPath` (which must exist) and starts the
   * snapshot. Close it when done: the open read transaction keeps a serving
   * node's write-ahead log from being recycled.
   */
  static open(dbPath: string): ExportSnapshot {
    if (!fs.existsSync(dbPath)) throw new Error(`no node database at ${dbPath}`);
    const db = openDatabase(dbPath);
    try {
      // The first read of the transaction fixes the snapshot every later page reads.
      db.exec("BEGIN");
      const meta = db.prepare<[string], { value: string }>("SELECT value FROM node_meta WHERE key = ?");
      const metaValue = (key: string): string | null => meta.get(key)?.value ?? null;
      const one = (sql: string): number => (db.prepare(sql).pluck().get() as number | null) ?? 0;
      const info: SnapshotInfo = {
        nodeId: metaValue(META.nodeId) ?? undefined,
        schemaVersion: databaseInfo(db).schemaVersion,
        facts: one("SELECT count(*) FROM facts"),
        conflicts: one("SELECT count(*) FROM conflicts"),
        hlc: metaValue(META.hlc),
        feedEpoch: metaValue(META.feedEpoch),
        lastRowid: one("SELECT max(rowid) FROM facts"),
      };
      return new ExportSnapshot(db, info);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Up to `limit` facts after `rowid`, in commit order. */
  factsAfter(rowid: number, limit: number): ExportedFact[] {
    return this.stmts.facts.all(rowid, limit);
  }

  /** Up to `limit` conflict records after `seq`, in detection order. */
  conflictsAfter(seq: number, limit: number): ExportedConflict[] {
    return this.stmts.conflicts.all(seq, limit);
  }

  /** Ends the snapshot and closes the connection (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.db.inTransaction) this.db.exec("COMMIT");
    this.db.close();
  }
}
