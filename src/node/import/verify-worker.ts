/**
 * Worker-thread entry of an import's second thread (second-thread-work.ts),
 * driven by verify-thread.ts: answers each batch of the file's bytes, in
 * order, with its facts' CIDs checked and indexed, or with the error of its
 * first bad fact; a `finish` request commits and closes the text index.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { SecondThreadWork, type SecondThreadData, type SecondThreadRequest } from "./second-thread-work.js";

const port = parentPort!;
const work = SecondThreadWork.start(workerData as SecondThreadData);

port.on("message", (m: SecondThreadRequest) => port.postMessage(work.handle(m)));
