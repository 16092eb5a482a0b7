/**
 * Worker-thread entry of the offline embedder (driven by `worker-embedder.ts`):
 * loads the vocabulary file named in `workerData`, then answers each
 * {@link WorkerRequest}: the vectors of its texts (their buffers transferred
 * rather than copied), or a semantic search over the quantized index the main
 * thread shares ({@link IndexArrays}, sent again whenever it grows), so that
 * a recall's search runs here while the main thread reads its other channels.
 * A vocabulary that cannot be loaded is reported as {@link WorkerFailure},
 * and the thread ends; a request that throws is answered with its error.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { OfflineEmbedder } from "./offline-embedder.js";
import { searchInt8, type IndexArrays } from "./quantized-index.js";
import { readVocabulary } from "./vocabulary.js";

export interface OfflineWorkerData {
  readonly vocabularyFile: string;
}

/** A search of the shared index: `query` embedded, then {@link searchInt8} with these arguments. */
export interface SharedSearch {
  readonly query: string;
  /** Sent when the index's arrays are new to this worker (first search, or grown since). */
  readonly arrays?: IndexArrays;
  readonly allowed: Uint8Array;
  readonly candidates: number;
  readonly keep: number;
}

export type WorkerRequest =
  | { readonly id: number; readonly texts: readonly string[] }
  | { readonly id: number; readonly search: SharedSearch };

export type WorkerReply =
  | { readonly id: number; readonly vectors: Float32Array[] }
  /** Rowid and dot product of each hit, interleaved, best first. */
  | { readonly id: number; readonly hits: Float64Array }
  /** The request threw (e.g. a search found no free scratch area): it fails alone, the worker goes on. */
  | { readonly id: number; readonly error: string };

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
  let arrays: IndexArrays | undefined;
  const answer = (m: WorkerRequest): void => {
    if ("texts" in m) {
      const vectors = m.texts.map((t) => loaded.embedOne(t));
      port.postMessage({ id: m.id, vectors } satisfies WorkerReply, vectors.map((v) => v.buffer as ArrayBuffer));
      return;
    }
    const { search } = m;
    arrays = search.arrays ?? arrays;
    const found = arrays === undefined ? [] : searchInt8(arrays, search.allowed, loaded.embedOne(search.query), search.candidates, search.keep);
    const hits = new Float64Array(2 * found.length);
    found.forEach((h, i) => {
      hits[2 * i] = h.rowid;
      hits[2 * i + 1] = h.dot;
    });
    port.postMessage({ id: m.id, hits } satisfies WorkerReply, [hits.buffer]);
  };
  port.on("message", (m: WorkerRequest) => {
    try {
      answer(m);
    } catch (e) {
      // Thrown out of the listener, this would end the thread and fail every call in flight.
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
}
