/**
 * Runs an import's hashing (chain-verifier.ts) on a worker thread, so CIDs
 * and chain links are computed on the second core while the main thread
 * parses and stores the same lines. Batches are answered in the order they
 * were sent. Where the compiled worker is not at hand (the test runner
 * executes TypeScript sources), the same verifier runs on the main thread.
 *
 * @module
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ExportFileError } from "../../core/export/export-file-error.js";
import { ChainVerifier, type ChainTip, type VerifiedBatch } from "./chain-verifier.js";
import type { VerifyReply, VerifyRequest, VerifyWorkerData } from "./verify-worker.js";

/** The worker entry, compiled beside this file. */
const WORKER_SCRIPT = new URL("./verify-worker.js", import.meta.url);

interface Pending {
  readonly resolve: (batch: VerifiedBatch) => void;
  readonly reject: (error: Error) => void;
}

export class VerifyThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker | undefined,
    private readonly local: ChainVerifier | undefined,
  ) {
    worker?.on("message", (m: VerifyReply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if ("batch" in m) p.resolve(m.batch);
      else p.reject(m.error.name === "ExportFileError" ? new ExportFileError(m.error.line ?? 0, m.error.field, m.error.detail ?? m.error.message) : new Error(m.error.message));
    });
    worker?.on("error", (e) => this.fail(e));
    worker?.on("exit", (code) => this.fail(new Error(`the import's hashing thread stopped (exit code ${code})`)));
  }

  /** Starts hashing after the chain's link `tip`. */
  static start(tip: ChainTip): VerifyThread {
    if (!fs.existsSync(fileURLToPath(WORKER_SCRIPT))) return new VerifyThread(undefined, new ChainVerifier(tip));
    return new VerifyThread(new Worker(WORKER_SCRIPT, { workerData: { tip } satisfies VerifyWorkerData }), undefined);
  }

  /** Hashes the whole lines in `bytes` (numbered from `firstLine`); batches resolve in the order sent. */
  verify(bytes: Uint8Array, firstLine: number): Promise<VerifiedBatch> {
    if (this.local !== undefined) {
      try {
        return Promise.resolve(this.local.verify(new TextDecoder().decode(bytes).split("\n"), firstLine));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = ++this.nextId;
    // A copy of its own, handed over without another copy.
    const copy = Uint8Array.from(bytes);
    return new Promise<VerifiedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, bytes: copy, firstLine } satisfies VerifyRequest, [copy.buffer]);
    });
  }

  /** Stops the thread; batches still out fail. */
  close(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.fail(new Error("the import's hashing thread was closed"));
    worker.removeAllListeners("exit");
    void worker.terminate();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}
