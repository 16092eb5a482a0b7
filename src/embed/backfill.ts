/**
 * `stigmem embed backfill`: embeds, in the foreground, every fact the stored
 * model has not embedded yet — all of them after a model change (or with
 * `force`). Resumable: progress is the same cursor the node's background
 * queue uses, so an interrupted backfill continues where it stopped.
 *
 * @module
 */
import type { Logger } from "../logger.js";
import { isEmbedError, type Embedder } from "./embedder.js";
import { EmbedQueue } from "./embed-queue.js";
import { adoptModel } from "./start-embedding.js";
import type { VectorStore } from "../store/vector-store.js";

export interface BackfillOptions {
  /** Drop the stored vectors and embed everything again even if the model is unchanged. */
  readonly force?: boolean;
  /** Facts per provider call (default 256). */
  readonly batchSize?: number;
  /** Called after every batch with the facts done and the total of this run. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Attempts per batch while the provider is unavailable (default 6, back-off 1 s doubling). */
  readonly attempts?: number;
}

export interface BackfillResult {
  readonly model: string;
  /** Whether stored vectors were dropped first (model change or `force`). */
  readonly reset: boolean;
  readonly processed: number;
  readonly skipped: number;
  readonly seconds: number;
  /** Facts per second of this run. */
  readonly rate: number;
}

export async function backfill(store: VectorStore, embedder: Embedder, log: Logger, opts: BackfillOptions = {}): Promise<BackfillResult> {
  let reset = adoptModel(store, embedder, log);
  if (opts.force === true && !reset) {
    store.reset(embedder.id);
    reset = true;
  }
  const queue = new EmbedQueue(store, embedder, log, { batchSize: opts.batchSize ?? 256 });
  const total = store.backlog();
  const attempts = opts.attempts ?? 6;
  const t0 = performance.now();
  let processed = 0;
  let skipped = 0;
  opts.onProgress?.(0, total);
  for (;;) {
    let result;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await queue.step();
        break;
      } catch (e) {
        if (!isEmbedError(e, "unavailable") || attempt >= attempts) throw e;
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));
      }
    }
    if (result.processed === 0) break;
    processed += result.processed;
    skipped += result.skipped;
    opts.onProgress?.(processed, Math.max(total, processed));
  }
  const seconds = (performance.now() - t0) / 1000;
  return { model: embedder.id, reset, processed, skipped, seconds, rate: seconds > 0 ? processed / seconds : 0 };
}
