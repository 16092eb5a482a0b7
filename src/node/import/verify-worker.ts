/**
 * Worker-thread entry of an import's second thread, driven by
 * verify-thread.ts: takes batches of the file's bytes in order and answers
 * each with its chain links (chain-verifier.ts), or with the error of its
 * first bad fact, while it adds each fact to the full-text index it builds
 * in a file of its own (store/bulk-text-index.ts). A `finish` request
 * commits and closes that index.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { HashingWork, type VerifyReply, type VerifyRequest, type VerifyWorkerData } from "./hashing-work.js";

const port = parentPort!;
const work = HashingWork.start(workerData as VerifyWorkerData);

port.on("message", (m: VerifyRequest) => {
  const reply: VerifyReply = work.handle(m);
  port.postMessage(reply, "batch" in reply ? [reply.batch.hashes.buffer as ArrayBuffer, reply.batch.rowids.buffer as ArrayBuffer] : []);
});
