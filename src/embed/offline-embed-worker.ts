/**
 * Worker-thread entry of the offline embedder (driven by `worker-embedder.ts`):
 * loads the vocabulary file named in `workerData`, then answers each
 * {@link WorkerRequest} with the vectors of its texts, their buffers
 * transferred rather than copied. A vocabulary that cannot be loaded is
 * reported as {@link WorkerFailure}, and the thread ends.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { OfflineEmbedder } from "./offline-embedder.js";
import { readVocabulary } from "./vocabulary.js";

export interface OfflineWorkerData {
  readonly vocabularyFile: string;
}

export interface WorkerRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

export interface WorkerReply {
  readonly id: number;
  readonly vectors: Float32Array[];
}

export interface WorkerFailure {
  readonly failed: string;
}

const port = parentPort!;
let embedder: OfflineEmbedder | undefined;
try {
  embedder = new OfflineEmbedder(readVocabulary((workerData as OfflineWorkerData).vocabularyFile));
} catch (e) {
  // Without a message listener the thread ends once this is sent.
  port.postMessage({ failed: e instanceof Error ? e.message : String(e) } satisfies WorkerFailure);
}
if (embedder !== undefined) {
  const loaded = embedder;
  port.on("message", ({ id, texts }: WorkerRequest) => {
    const vectors = texts.map((t) => loaded.embedOne(t));
    port.postMessage({ id, vectors } satisfies WorkerReply, vectors.map((v) => v.buffer as ArrayBuffer));
  });
}
