/**
 * The full-text index of a bulk load, built on the import's second thread
 * while the first stores the rows, in a database file of its own — then
 * adopted by the loaded store ({@link adoptTextIndex}).
 *
 * Why: tokenizing every fact is the largest single step of a bulk build
 * that is not a sort, and SQLite lets one connection write a file at a
 * time. FTS5 keeps an index in its shadow tables (`%_data`, `%_idx`,
 * `%_docsize`, `%_config`) whose content depends only on the rows indexed
 * and the table's definition; so the builder creates a table with the very
 * definition of `facts_fts` (external content, same tokenizer), inserts the
 * same (rowid, entity, relation, value_v), and the store copies the shadow
 * tables over its empty ones. FTS5's `integrity-check` in the tests compares
 * the adopted index with the facts it must cover.
 *
 * @module
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import type { Db } from "./database.js";

/** The index's shadow tables, copied on adoption. */
const SHADOW = ["data", "idx", "docsize", "config"] as const;

/** Rows per transaction of the builder. */
const COMMIT_EVERY = 50_000;

export class TextIndexBuilder {
  private readonly insert;
  private pending = 0;
  /** The greatest rowid indexed so far: rows at or below it are never added twice. */
  private watermark: number;

  /** False once a gap would open: the index must stay a prefix of the facts (see {@link open}). */
  private readonly adding: boolean;

  private constructor(
    private readonly db: Db,
    from: number,
  ) {
    this.insert = db.prepare("INSERT INTO facts_fts (rowid, entity, relation, value_v) VALUES (?, ?, ?, ?)");
    this.watermark = (db.prepare("SELECT coalesce(max(id), 0) FROM facts_fts_docsize").pluck().get() as number) ?? 0;
    this.adding = this.watermark >= from;
    db.exec("BEGIN");
  }

  /**
   * Opens (creating if needed) the builder's file with `definition`, the
   * CREATE statement of the store's `facts_fts`, for facts after rowid
   * `from` (where a resumed load starts reading). The index always covers
   * exactly the facts up to its greatest rowid, so that the store can index
   * the rest itself: a resumed load whose earlier run committed less of the
   * index than of the facts adds nothing to it.
   */
  static open(file: string, definition: string, from = 0): TextIndexBuilder {
    const db = new Database(file);
    // A rollback journal, so a killed import leaves the last committed index; removed after each commit.
    db.pragma("journal_mode = DELETE");
    db.pragma("synchronous = OFF");
    db.pragma("locking_mode = EXCLUSIVE");
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'facts_fts'").get() !== undefined;
    if (!exists) db.exec(definition);
    return new TextIndexBuilder(db, from);
  }

  /** Indexes one fact, unless a previous run already did (rows come in rowid order). */
  add(rowid: number, entity: string, relation: string, valueV: string): void {
    if (!this.adding || rowid <= this.watermark) return;
    this.insert.run(rowid, entity, relation, valueV);
    this.watermark = rowid;
    if (++this.pending >= COMMIT_EVERY) {
      this.db.exec("COMMIT; BEGIN");
      this.pending = 0;
    }
  }

  /** Commits and closes; returns the greatest rowid indexed. */
  finish(): number {
    this.db.exec("COMMIT");
    this.db.close();
    return this.watermark;
  }

  /** Closes without committing what the current transaction added (a failed import). */
  abandon(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Makes the index built in `file` the store's `facts_fts` index: the
 * store's (empty) shadow tables get the builder's rows. Returns the
 * greatest rowid that index covers; the caller indexes any fact above it.
 * Call inside the build's transaction.
 */
export function adoptTextIndex(db: Db, file: string): number {
  if (!fs.existsSync(file)) return 0;
  db.exec(`ATTACH DATABASE '${file.replaceAll("'", "''")}' AS text_index`);
  try {
    // The shadow tables are read-only to SQL unless defensive mode is off; only for this copy.
    db.unsafeMode(true);
    try {
      for (const t of SHADOW) {
        db.exec(`DELETE FROM main.facts_fts_${t}; INSERT INTO main.facts_fts_${t} SELECT * FROM text_index.facts_fts_${t}`);
      }
    } finally {
      db.unsafeMode(false);
    }
    return (db.prepare("SELECT coalesce(max(id), 0) FROM main.facts_fts_docsize").pluck().get() as number) ?? 0;
  } finally {
    db.exec("DETACH DATABASE text_index");
  }
}
