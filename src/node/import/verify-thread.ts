/**
 * Runs an import's second-thread work (hashing-work.ts: CIDs, chain links,
 * the full-text index) on a worker thread, so it is done on the second core
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
import type { VerifiedBatch } from "./chain-verifier.js";
import { HashingWork, type ErrorFields, type VerifyReply, type VerifyRequest, type VerifyWorkerData } from "./hashing-work.js";

/** The worker entry, compiled beside this file. */
const WORKER_SCRIPT = new URL("./verify-worker.js", import.meta.url);

interface Pending {
  readonly resolve: (reply: VerifyReply) => void;
  readonly reject: (error: Error) => void;
}

export class VerifyThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker | undefined,
    private readonly local: HashingWork | undefined,
  ) {
    worker?.on("message", (m: VerifyReply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
    worker?.on("error", (e) => this.fail(e));
    worker?.on("exit", (code) => this.fail(new Error(`the import's hashing thread stopped (exit code ${code})`)));
  }

  /** Starts the work where `data` says. */
  static start(data: VerifyWorkerData): VerifyThread {
    if (!fs.existsSync(fileURLToPath(WORKER_SCRIPT))) return new VerifyThread(undefined, HashingWork.start(data));
    return new VerifyThread(new Worker(WORKER_SCRIPT, { workerData: data }), undefined);
  }

  /** Hashes and indexes the whole lines in `bytes` (numbered from `firstLine`); batches resolve in the order sent. */
  async verify(bytes: Uint8Array, firstLine: number): Promise<VerifiedBatch> {
    // A copy of its own, handed over without another copy.
    const copy = Uint8Array.from(bytes);
    const reply = await this.request({ id: ++this.nextId, bytes: copy, firstLine }, [copy.buffer]);
    if (!("batch" in reply)) throw new Error("the import's hashing thread answered out of turn");
    return reply.batch;
  }

  /** Commits the full-text index after the last batch; returns the greatest rowid it covers. */
  async finish(): Promise<number> {
    const reply = await this.request({ id: ++this.nextId, finish: true }, []);
    if (!("finished" in reply)) throw new Error("the import's hashing thread answered out of turn");
    return reply.finished.textIndexUpTo;
  }

  /** Stops the thread; requests still out fail, and what the index added since its last commit is dropped. */
  close(): void {
    this.local?.abandon();
    const worker = this.worker;
    if (worker === undefined) return;
    this.fail(new Error("the import's hashing thread was closed"));
    worker.removeAllListeners("exit");
    void worker.terminate();
  }

  private async request(m: VerifyRequest, transfer: ArrayBuffer[]): Promise<VerifyReply> {
    const reply =
      this.local !== undefined
        ? this.local.handle(m)
        : await new Promise<VerifyReply>((resolve, reject) => {
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
