/**
 * Opens the node's SQLite database with the settings every connection needs
 * and brings its schema up to date.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { applyMigrations } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";

export type Db = Database.Database;

/**
 * How long a connection waits for another's write lock by default. A CLI
 * beside the node (`stigmem keys create`) holds it for milliseconds; a
 * bulk import or backup may hold it longer, and then a request fails with
 * 503 and Retry-After instead of waiting without bound.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /** Wait at most this long for another connection's lock (SQLite `busy_timeout`). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the database at `dbPath`, in WAL mode, and
 * applies pending migrations. The parent folder is created with mode 0700
 * because it also holds key material.
 */
export function openDatabase(dbPath: string, opts: OpenOptions = {}): Db {
  fs.mkdirSync(path.dirname(dbPath), { recursive: true, mode: 0o700 });
  const db = new Database(dbPath);
  // sqlite-vec provides the vec0 tables of the semantic channel (protocol.md §1,
  // storage); every connection loads it so any of them may touch those tables.
  sqliteVec.load(db);
  // WAL lets readers proceed while a writer commits; NORMAL sync is durable
  // across process crashes (not power loss) and is the usual WAL pairing.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  // A concurrent CLI process (e.g. `stigmem keys create`) may hold the write
  // lock briefly; wait instead of failing with SQLITE_BUSY.
  db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
  // Index pages of a large store are touched at random (CIDs, UUIDs): a page
  // cache far above SQLite's default keeps them from being evicted and
  // rewritten on every commit. Memory is only used as the store grows.
  db.pragma("cache_size = -262144");
  db.pragma("temp_store = MEMORY");
  // Checkpoint every ~32 MiB of WAL instead of SQLite's 4 MiB: a page that
  // many commits touch (index roots, projections) is copied back once per
  // checkpoint, so fewer checkpoints mean less copying per fact.
  db.pragma("wal_autocheckpoint = 8192");
  db.pragma("journal_size_limit = 67108864");
  applyMigrations(db, MIGRATIONS);
  return db;
}

/** Versions of the storage engine and of the applied schema, for diagnostics. */
export function databaseInfo(db: Db): { sqliteVersion: string; schemaVersion: number } {
  const { v } = db.prepare("SELECT sqlite_version() AS v").get() as { v: string };
  const { s } = db.prepare("SELECT COALESCE(MAX(version), 0) AS s FROM schema_migrations").get() as { s: number };
  return { sqliteVersion: v, schemaVersion: s };
}
