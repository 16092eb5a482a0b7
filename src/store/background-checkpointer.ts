/**
 * Copies the write-ahead log back into the database file on a worker thread,
 * so the writer's thread (the event loop) never pays for checkpoints.
 *
 * With SQLite's automatic checkpoints the commit that crosses the WAL
 * threshold copies every page of the log into the database file before it
 * returns; measured in-process, that was 12–28 % of a bulk load. Here a
 * second connection on a worker thread runs PASSIVE checkpoints: they never
 * wait for or block the writer or readers, they copy what is already
 * committed, and once the log is fully copied the writer starts it over.
 * The writer keeps an automatic checkpoint far above the worker's pace as a
 * backstop, so the log stays bounded even if the worker stops.
 *
 * @module
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "./database.js";

/** Pause between checkpoints while the log has uncopied pages, and when it has none. */
const BUSY_INTERVAL_MS = 2;
const IDLE_INTERVAL_MS = 100;
/** How long `close` waits for the worker to close its connection. */
const CLOSE_WAIT_MS = 5_000;

// The worker is plain CommonJS evaluated from this string, so it runs the same
// way from `dist/` and from TypeScript sources under the test runner.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 0");
const flag = new Int32Array(workerData.closed);
let timer;
// Right behind the writer while it writes (the log restarts only once it is
// fully copied), at rest otherwise.
const checkpoint = () => {
  let behind = false;
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    behind = r.checkpointed < r.log;
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
  timer = setTimeout(checkpoint, behind ? workerData.busyMs : workerData.idleMs);
};
checkpoint();
parentPort.on("message", () => {
  clearTimeout(timer);
  try { db.close(); } finally {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    parentPort.close();
  }
});
`;

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private stopped = false;

  /** Starts checkpointing `db`'s file; `onError` hears a failed checkpoint (the backstop still runs). */
  constructor(db: Db, onError: (message: string) => void) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
        file: db.name,
        busyMs: BUSY_INTERVAL_MS,
        idleMs: IDLE_INTERVAL_MS,
        closed: this.closed.buffer,
      },
    });
    this.worker.on("message", (m: { error?: string }) => {
      if (m.error !== undefined) onError(m.error);
    });
    this.worker.on("error", (e) => onError(e.message));
    // A worker that died (it could not open the file, say) has no connection to close.
    this.worker.on("exit", () => {
      this.stopped = true;
    });
    // A node that is shutting down must not be kept alive by its checkpointer.
    this.worker.unref();
  }

  /**
   * Stops the worker and waits (synchronously, bounded) until its connection
   * is closed, so the writer's own close is the last one and checkpoints the
   * rest of the log into the database file.
   */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage("close");
    Atomics.wait(this.closed, 0, 0, CLOSE_WAIT_MS);
    void this.worker.terminate();
  }
}
