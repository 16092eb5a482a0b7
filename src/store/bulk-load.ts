/**
 * The bulk loader behind `stigmem import`: builds a node's database from an
 * export the way database restore tools do — rows first, indexes and
 * projections after, in bulk — instead of writing fact by fact through the
 * online write step (node/facts/apply-fact.ts), which keeps every index and
 * projection current after each fact and so cannot go much past ~13,000
 * facts/s on this machine (bench/RESULTS.md).
 *
 * - **Its own file.** The load goes into `<db>.importing` beside the node's
 *   database: a copy of the node's (empty) store, or a new one. The node's
 *   file is replaced by it only when everything is built ({@link publish}),
 *   so a node never starts on a half-built store, and the loader may drop
 *   indexes and write without a write-ahead log.
 * - **Rows in commit order.** Facts keep their rowid (their position in the
 *   exporting node's commit order and federation feed); the id and HLC
 *   indexes, which grow at their ends in that order, stay; the others are
 *   dropped while rows load and created once after.
 * - **Checkpoints.** Rows (written by bulk-rows.ts) commit in large transactions, each with a
 *   checkpoint (where in the file the load got to, and the fact chain's last
 *   link) in `node_meta`, so a killed import resumes where the last commit
 *   left it and stores nothing twice.
 * - **Build.** One transaction creates the indexes, the full-text index,
 *   chain heads, overruled facts and graph edges with set-based SQL (bulk-build.ts),
 *   then the caller judges the few triples that need a verdict with the
 *   online path's own rule and records the import.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { AuditLog } from "./audit-log.js";
import { BulkBuild } from "./bulk-build.js";
import { BulkRows } from "./bulk-rows.js";
import { adoptTextIndex } from "./bulk-text-index.js";
import { openDatabase, type Db } from "./database.js";
import { FactStore } from "./fact-store.js";
import { applyMigrations } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";
import { NodeMetaStore } from "./node-meta-store.js";

/** Suffix of the file a load builds, beside the node's database. */
export const STAGING_SUFFIX = ".importing";
/** Suffix (after the staging file's name) of the full-text index built beside it. */
const TEXT_INDEX_SUFFIX = "-text";

/** node_meta key holding the import's progress (and, once published, its record). */
const STATE_KEY = "bulk_import";

/** Where an import stands; stored as JSON in node_meta. */
export interface ImportState {
  /** `loading` rows, all rows `loaded`, projections `built`, or `published` as the node's database. */
  readonly phase: "loading" | "loaded" | "built" | "published";
  /** SHA-256 (hex) of the file's header line: a resume must read the same export. */
  readonly headerHash: string;
  readonly nodeId: string;
  /** Bytes of the file consumed by committed work. */
  readonly offset: number;
  /** Lines consumed by committed work. */
  readonly line: number;
  readonly facts: number;
  readonly conflicts: number;
  /** Rowid of the last fact stored (rowids must ascend). */
  readonly lastRowid: number;
  /** Seq of the last conflict stored. */
  readonly lastSeq: number;
  /** The fact chain's last link: its seq and hex hash (null before the first). */
  readonly chainSeq: number;
  readonly chainHash: string | null;
  /** SQL of the indexes dropped for the load, created again by the build. */
  readonly droppedIndexes: readonly string[];
  /** How many times the import resumed after being stopped. */
  readonly resumes: number;
}

/** The node's store already holds facts: a bulk load only goes into an empty one. */
export class StoreNotEmptyError extends Error {
  override readonly name = "StoreNotEmptyError";
  constructor(
    readonly dbPath: string,
    readonly facts: number,
  ) {
    super(`${dbPath} already holds ${facts} facts; import only into an empty store (a fresh data folder)`);
  }
}

export class BulkLoader {
  readonly meta: NodeMetaStore;
  /** The row writers, into the open chunk. */
  readonly rows: BulkRows;

  private constructor(
    /** The node's database file, replaced on publish. */
    readonly dbPath: string,
    private readonly db: Db,
  ) {
    this.meta = new NodeMetaStore(db);
    this.rows = new BulkRows(db);
  }

  /**
   * Opens the load for the node database at `dbPath`: the staging file of
   * an import in progress, else a copy of the node's store (which must hold
   * no facts), else a new database.
   * @throws StoreNotEmptyError when the node's store holds facts.
   */
  static async open(dbPath: string): Promise<BulkLoader> {
    const staging = dbPath + STAGING_SUFFIX;
    if (!fs.existsSync(staging)) {
      if (fs.existsSync(dbPath)) {
        const current = openDatabase(dbPath);
        try {
          const facts = current.prepare("SELECT count(*) FROM facts").pluck().get() as number;
          if (facts > 0) throw new StoreNotEmptyError(dbPath, facts);
          // A consistent copy of the empty store (its keys, audit log, node id), built aside.
          await current.backup(`${staging}.partial`);
        } finally {
          current.close();
        }
        // The copy starts an import of its own: a record of an earlier one (of an empty export) goes.
        const copy = new Database(`${staging}.partial`);
        try {
          copy.prepare("DELETE FROM node_meta WHERE key = ?").run(STATE_KEY);
        } finally {
          copy.close();
        }
        fs.renameSync(`${staging}.partial`, staging);
      } else {
        openDatabase(staging).close();
      }
    }
    return new BulkLoader(dbPath, openForLoad(staging));
  }

  /**
   * The header hash (SHA-256) of the import that built the database at
   * `dbPath`, if an import did and nothing else has written facts since
   * it; undefined otherwise.
   */
  static importedFrom(dbPath: string): string | undefined {
    if (!fs.existsSync(dbPath)) return undefined;
    const db = openDatabase(dbPath);
    try {
      const record = new NodeMetaStore(db).get(STATE_KEY);
      if (record === undefined) return undefined;
      const state = JSON.parse(record) as ImportState;
      const facts = db.prepare("SELECT count(*) FROM facts").pluck().get() as number;
      return state.phase === "published" && facts === state.facts ? state.headerHash : undefined;
    } finally {
      db.close();
    }
  }

  /** The file the load builds. */
  get stagingPath(): string {
    return this.dbPath + STAGING_SUFFIX;
  }

  /** The file the second thread builds the full-text index in (bulk-text-index.ts). */
  get textIndexPath(): string {
    return this.dbPath + STAGING_SUFFIX + TEXT_INDEX_SUFFIX;
  }

  /** The CREATE statement of the store's full-text table, for the index built beside it. */
  textIndexDefinition(): string {
    return this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'facts_fts'").pluck().get() as string;
  }

  /**
   * Makes the index built beside the load the store's, in a transaction of
   * its own (a database is attached only outside transactions), and
   * returns the greatest rowid it covers. Idempotent: a build that runs
   * again after a crash adopts it again.
   */
  adoptTextIndex(): number {
    return adoptTextIndex(this.db, this.textIndexPath);
  }

  /** The progress of the import this file holds, if one began. */
  state(): ImportState | undefined {
    const text = this.meta.get(STATE_KEY);
    return text === undefined ? undefined : (JSON.parse(text) as ImportState);
  }

  /**
   * Starts the load: drops the secondary indexes of `facts` that do not
   * grow at their end in commit order (created again by the build) and
   * records `state`. Runs in its own transaction.
   */
  begin(state: Omit<ImportState, "droppedIndexes">): ImportState {
    return this.db.transaction(() => {
      const dropped = this.db
        .prepare<[], { name: string; sql: string }>(
          // Unique indexes stay (the id and HLC ones grow at their end and catch duplicates); the rest go.
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        )
        .all();
      for (const ix of dropped) this.db.exec(`DROP INDEX "${ix.name}"`);
      const full: ImportState = { ...state, droppedIndexes: dropped.map((ix) => ix.sql) };
      this.meta.set(STATE_KEY, JSON.stringify(full));
      return full;
    })();
  }

  /**
   * Runs `work` and records `state` in one transaction: the rows and the
   * checkpoint that covers them commit together.
   */
  commit(work: () => void, state: ImportState): void {
    this.db.transaction(() => {
      work();
      this.meta.set(STATE_KEY, JSON.stringify(state));
    })();
  }

  /**
   * Opens the transaction of the next chunk, if none is open. Rows are
   * stored into it as they are read ({@link insertFact} …), across the
   * reader's waits, and become durable only with {@link commitChunk}.
   */
  openChunk(): void {
    if (!this.db.inTransaction) this.db.exec("BEGIN");
  }

  /** Records `state` and commits the open chunk: its rows and the checkpoint that covers them. */
  commitChunk(state: ImportState): void {
    this.openChunk();
    this.meta.set(STATE_KEY, JSON.stringify(state));
    this.db.exec("COMMIT");
  }

  /** Drops the open chunk's rows (the chunk failed a check). */
  rollbackChunk(): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  /**
   * Runs the build — `steps`, given the set-based builder (bulk-build.ts),
   * plus whatever the caller adds with the online path's own rules — in one
   * transaction that ends by recording the state `built`: killed halfway,
   * nothing of it remains and the next run builds again.
   */
  build(state: ImportState, nodeId: string, nowMs: number, steps: (b: BulkBuild) => void): void {
    this.db.transaction(() => {
      steps(new BulkBuild(this.db, nodeId, nowMs));
      this.meta.set(STATE_KEY, JSON.stringify({ ...state, phase: "built" } satisfies ImportState));
    })();
  }

  /** A fact store on the load's connection, for the online path's rules that read and write projections. */
  factStore(): FactStore {
    return new FactStore(this.db);
  }

  /** The audit log of the loaded database. */
  auditLog(): AuditLog {
    return new AuditLog(this.db);
  }

  /**
   * Makes the built store the node's database: back to WAL mode, closed
   * (which flushes it to disk), then renamed over `dbPath`. A write-ahead
   * log the old file left behind is removed first, or SQLite would replay
   * it into the new file.
   */
  publish(): void {
    const state = this.state();
    if (state?.phase !== "built" && state?.phase !== "published") throw new Error("publish before build");
    this.meta.set(STATE_KEY, JSON.stringify({ ...state, phase: "published" } satisfies ImportState));
    this.db.pragma("journal_mode = WAL");
    this.db.close();
    // The load never synced (synchronous = OFF): make the file durable before it becomes the node's database.
    syncFile(this.stagingPath);
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(this.dbPath + suffix, { force: true });
    fs.renameSync(this.stagingPath, this.dbPath);
    syncFile(path.dirname(this.dbPath));
    fs.rmSync(this.textIndexPath, { force: true });
  }

  /** Closes the load, leaving its file for a resume (an open chunk is rolled back). */
  close(): void {
    if (!this.db.open) return;
    this.rollbackChunk();
    this.db.close();
  }
}

/**
 * Opens the staging file for loading: no write-ahead log (pages are
 * written once, and new pages at the file's end are not journaled at
 * all), an exclusive lock, and a large page cache. The rollback journal
 * stays, so a killed load rolls back to its last checkpoint.
 */
function openForLoad(file: string): Db {
  const db = new Database(file);
  sqliteVec.load(db);
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("journal_mode = TRUNCATE");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -524288");
  db.pragma("temp_store = MEMORY");
  applyMigrations(db, MIGRATIONS);
  return db;
}

/** fsync of a file or folder. */
function syncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
