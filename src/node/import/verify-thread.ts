/**
 * Runs an import's second-thread work (second-thread-work.ts: CIDs and the
 * full-text index) on a worker thread, so it is done on the second core
 * while the main thread parses and stores the same lines. Requests are
 * answered in the order they were sent. Where the compiled worker is not at
 * hand (the test runner executes TypeScript sources), the same work runs
 * on the main thread.
 *
 * @module
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ExportFileError } from "../../core/export/export-file-error.js";
import {
  SecondThreadWork,
  type ErrorFields,
  type SecondThreadData,
  type SecondThreadReply,
  type SecondThreadRequest,
} from "./second-thread-work.js";

/** The worker entry, compiled beside this file. */
const WORKER_SCRIPT = new URL("./verify-worker.js", import.meta.url);

interface Pending {
  readonly resolve: (reply: SecondThreadReply) => void;
  readonly reject: (error: Error) => void;
}

export class VerifyThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker | undefined,
    private readonly local: SecondThreadWork | undefined,
  ) {
    worker?.on("message", (m: SecondThreadReply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
    worker?.on("error", (e) => this.fail(e));
    worker?.on("exit", (code) => this.fail(new Error(`the import's second thread stopped (exit code ${code})`)));
  }

  /** Starts the work where `data` says. */
  static start(data: SecondThreadData): VerifyThread {
    if (!fs.existsSync(fileURLToPath(WORKER_SCRIPT))) return new VerifyThread(undefined, SecondThreadWork.start(data));
    return new VerifyThread(new Worker(WORKER_SCRIPT, { workerData: data }), undefined);
  }

  /**
   * Checks and indexes the facts among the whole lines in `bytes` (numbered
   * from `firstLine`); batches resolve in the order sent.
   * @throws ExportFileError at the first fact whose CID does not match its content.
   */
  async verify(bytes: Uint8Array, firstLine: number): Promise<void> {
    // A copy of its own, handed over without another copy.
    const copy = Uint8Array.from(bytes);
    await this.request({ id: ++this.nextId, bytes: copy, firstLine }, [copy.buffer]);
  }

  /** Commits the full-text index after the last batch; returns the greatest rowid it covers. */
  async finish(): Promise<number> {
    const reply = await this.request({ id: ++this.nextId, finish: true }, []);
    if (!("textIndexUpTo" in reply)) throw new Error("the import's second thread answered out of turn");
    return reply.textIndexUpTo;
  }

  /** Stops the thread; requests still out fail, and what the index added since its last commit is dropped. */
  close(): void {
    this.local?.abandon();
    const worker = this.worker;
    if (worker === undefined) return;
    this.fail(new Error("the import's second thread was closed"));
    worker.removeAllListeners("exit");
    void worker.terminate();
  }

  private async request(m: SecondThreadRequest, transfer: ArrayBuffer[]): Promise<SecondThreadReply> {
    const reply =
      this.local !== undefined
        ? this.local.handle(m)
        : await new Promise<SecondThreadReply>((resolve, reject) => {
            if (this.failure !== undefined) return reject(this.failure);
            this.pending.set(m.id, { resolve, reject });
            this.worker!.postMessage(m, transfer);
          });
    if ("error" in reply) throw rebuild(reply.error);
    return reply;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}

/** The error the other thread reported, as this thread's error. */
function rebuild(e: ErrorFields): Error {
  return e.name === "ExportFileError" ? new ExportFileError(e.line ?? 0, e.field, e.detail ?? e.message) : new Error(e.message);
}
