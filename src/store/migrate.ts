/**
 * Forward-only schema migrations. Each migration runs once, in order, inside
 * its own transaction, and is recorded in `schema_migrations`; a database
 * newer than this build is refused rather than silently misread.
 *
 * @module
 */
import type Database from "better-sqlite3";

/** One schema step. `version` values are consecutive from 1. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The schema on disk is newer than this build understands. */
export class SchemaTooNewError extends Error {
  override readonly name = "SchemaTooNewError";
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this build supports (${known}); upgrade stigmem`);
  }
}

/** Applies every migration newer than the recorded version. Returns the versions applied. */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const current =
    (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  if (current > known) throw new SchemaTooNewError(current, known);

  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}
