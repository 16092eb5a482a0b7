/**
 * The one place that reads SQLite's failures. better-sqlite3 throws a
 * `SqliteError` whose `code` is SQLite's extended result code as text
 * (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`, ...); this file turns that into
 * a small, closed set of storage failures the application layer maps to its
 * own error codes (node/app-error.ts), the way connect-node maps Node's
 * socket errors in one file. Nothing above `store/` looks at SQLite codes.
 *
 * @module
 */

/** What went wrong underneath, in terms a caller can act on. */
export type StorageFailureKind =
  /** Another connection holds the lock longer than the busy timeout: retry shortly. */
  | "busy"
  /** The disk (or the database's size limit) is full: nothing more can be written until space is freed. */
  | "full"
  /** A constraint refused the write: a duplicate key, or a trigger guarding an append-only table. */
  | "constraint"
  /** The file cannot be written (read-only mount, permissions) or read (I/O error, corruption, no memory). */
  | "fault";

export interface StorageFailure {
  readonly kind: StorageFailureKind;
  /** SQLite's extended result code, kept for the log. */
  readonly sqliteCode: string;
  /** Seconds a client should wait before retrying, for failures that pass by themselves. */
  readonly retryAfterS?: number;
}

/**
 * Seconds suggested to a client after a busy database. The node has already
 * waited its whole busy timeout, so the holder is a long transaction (a bulk
 * import, a backup); a second is long enough not to pile on and short enough
 * for an agent's retry loop.
 */
export const BUSY_RETRY_AFTER_S = 1;

/**
 * Classifies a thrown value; undefined when it is not a SQLite failure.
 * Checks the `code` text rather than the class, so errors that crossed a
 * worker boundary or another copy of the module classify too.
 */
export function classifySqliteError(e: unknown): StorageFailure | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return undefined;
  const primary = code.replace(/^(SQLITE_[A-Z]+)(_.*)?$/, "$1");
  switch (primary) {
    // BUSY: another connection (a CLI, a backup) holds the write lock past busy_timeout.
    // LOCKED: a conflict inside this process's shared cache or a schema change in progress.
    // Both clear when the other side commits, so the request is worth repeating.
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return { kind: "busy", sqliteCode: code, retryAfterS: BUSY_RETRY_AFTER_S };
    // FULL: the disk or the page limit is exhausted; retrying will not help until an operator acts.
    case "SQLITE_FULL":
      return { kind: "full", sqliteCode: code };
    // CONSTRAINT: UNIQUE/PRIMARY KEY collisions and the RAISE(ABORT) triggers that keep
    // `facts` and `audit_log` append-only: the request collided with stored state.
    case "SQLITE_CONSTRAINT":
      return { kind: "constraint", sqliteCode: code };
    // Everything else is the server's fault: READONLY, IOERR, CORRUPT, NOTADB, NOMEM, CANTOPEN...
    default:
      return { kind: "fault", sqliteCode: code };
  }
}
