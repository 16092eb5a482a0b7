/**
 * Worker-thread entry of an import's hashing (chain-verifier.ts), driven by
 * verify-thread.ts: takes batches of the file's bytes in order and answers
 * each with its chain links, or with the error of its first bad fact.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { ChainVerifier, type ChainTip, type VerifiedBatch } from "./chain-verifier.js";

/** What the worker starts from. */
export interface VerifyWorkerData {
  readonly tip: ChainTip;
}

/** One batch: whole lines of the file, UTF-8, the first of them numbered `firstLine`. */
export interface VerifyRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly firstLine: number;
}

export type VerifyReply =
  | { readonly id: number; readonly batch: VerifiedBatch }
  /** The batch's first bad fact, as an ExportFileError's fields (or another failure's message). */
  | { readonly id: number; readonly error: { readonly name: string; readonly line?: number; readonly field?: string; readonly detail?: string; readonly message: string } };

const port = parentPort!;
const verifier = new ChainVerifier((workerData as VerifyWorkerData).tip);
const decoder = new TextDecoder();

port.on("message", (m: VerifyRequest) => {
  try {
    const batch = verifier.verify(decoder.decode(m.bytes).split("\n"), m.firstLine);
    port.postMessage({ id: m.id, batch } satisfies VerifyReply, [batch.hashes.buffer as ArrayBuffer, batch.rowids.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as { name?: string; line?: number; field?: string; detail?: string; message?: string };
    port.postMessage({
      id: m.id,
      error: { name: err.name ?? "Error", line: err.line, field: err.field, detail: err.detail, message: err.message ?? String(e) },
    } satisfies VerifyReply);
  }
});
