/**
 * One node per data folder. Two nodes writing the same keys, clock and
 * database would each believe they own the folder, so `stigmem serve` takes
 * an exclusive lock before it touches anything and a second one exits 2.
 *
 * Why this lock: it must die with its process, or a node killed with
 * SIGKILL (or an OOM kill, or a power cut) would leave a lock that blocks
 * the next start. A pid file checked for liveness fails on pid reuse and on
 * folders shared between containers (each has its own pid 1); an OS lock
 * does neither. Node has no flock(), so the lock is SQLite's own POSIX
 * record lock on a tiny, empty database file (`node.lock`): an exclusive
 * transaction held open for the life of the process. The kernel drops it
 * when the process ends, however it ends, and it holds across containers
 * that share a volume. SQLite also makes two connections of ONE process
 * conflict, so in-process tests see the same behaviour. Nothing is ever
 * stored in that file.
 *
 * Beside it, `node.lock.json` says who holds the lock (pid, URL, start
 * time) so the refusal and `stigmem doctor` can name the holder; it is
 * informational only — the OS lock alone decides.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** File whose OS lock marks the folder as served. */
export const LOCK_FILE = "node.lock";
/** Who holds the lock; informational only. */
export const LOCK_INFO_FILE = "node.lock.json";

/** What the holder of a data folder wrote about itself. */
export interface LockHolder {
  readonly pid: number;
  readonly started_at: string;
  /** The bound URL, once the port is bound. */
  readonly url?: string;
}

/** The data folder is served by another live process. */
export class DataFolderLockedError extends Error {
  override readonly name = "DataFolderLockedError";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who =
      holder === undefined
        ? "another stigmem process"
        : `another stigmem process (pid ${holder.pid}${holder.url === undefined ? "" : `, ${holder.url}`})`;
    super(`${dataDir} is in use by ${who}; stop it or choose another data folder`);
  }
}

/** A held lock on a data folder. */
export interface DataFolderLock {
  readonly dataDir: string;
  /** Records the bound URL in the holder file, for whoever finds the folder locked. */
  setUrl(url: string): void;
  /** Drops the lock (idempotent). The process ending drops it too. */
  release(): void;
}

/**
 * Takes the exclusive lock of `dataDir`, creating the folder (mode 0700:
 * it holds key material) if needed.
 * @throws DataFolderLockedError when a live process holds it.
 */
export function lockDataFolder(dataDir: string, now: () => Date = () => new Date()): DataFolderLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new Database(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    // EXCLUSIVE locking mode keeps the lock after the first acquisition;
    // the open transaction makes sure it is taken now.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
  } catch (e) {
    db.close();
    if (isBusy(e)) throw new DataFolderLockedError(dataDir, readLockHolder(dataDir));
    throw e;
  }
  const infoFile = path.join(dataDir, LOCK_INFO_FILE);
  let holder: LockHolder = { pid: process.pid, started_at: now().toISOString() };
  const writeInfo = (): void => fs.writeFileSync(infoFile, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  writeInfo();
  let released = false;
  return {
    dataDir,
    setUrl(url) {
      holder = { ...holder, url };
      writeInfo();
    },
    release() {
      if (released) return;
      released = true;
      fs.rmSync(infoFile, { force: true });
      db.close();
    },
  };
}

/** What the folder's lock holder wrote about itself, if anything readable. */
export function readLockHolder(dataDir: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_INFO_FILE), "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.started_at !== "string") return undefined;
    return { pid: parsed.pid, started_at: parsed.started_at, ...(typeof parsed.url === "string" ? { url: parsed.url } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Whether a live process serves `dataDir`, without keeping the lock: takes
 * it and lets go at once. For `stigmem doctor` and offline commands.
 */
export function probeDataFolder(dataDir: string): { locked: false } | { locked: true; holder: LockHolder | undefined } {
  if (!fs.existsSync(dataDir)) return { locked: false };
  try {
    lockWithoutInfo(dataDir);
    return { locked: false };
  } catch (e) {
    if (e instanceof DataFolderLockedError) return { locked: true, holder: e.holder };
    throw e;
  }
}

/** Takes and drops the lock without touching the holder file (a probe must not erase the holder's). */
function lockWithoutInfo(dataDir: string): void {
  const file = path.join(dataDir, LOCK_FILE);
  if (!fs.existsSync(file)) return;
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec("BEGIN EXCLUSIVE");
    db.exec("ROLLBACK");
  } catch (e) {
    if (isBusy(e)) throw new DataFolderLockedError(dataDir, readLockHolder(dataDir));
    throw e;
  } finally {
    db.close();
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}
