/**
 * Starts the semantic channel of a node being composed (a
 * `SemanticFactory`, node/recall/semantic-channel.ts): the configured
 * embedder, the vector store (reset when the model changed), the background
 * queue fed by committed facts, and the index recall searches. `none`
 * starts nothing.
 *
 * @module
 */
import type { EmbeddingHost } from "../node/recall/semantic-channel.js";
import type { Logger } from "../logger.js";
import { createEmbedder } from "./create-embedder.js";
import type { Embedder } from "./embedder.js";
import { EmbedQueue, type EmbedQueueOptions } from "./embed-queue.js";
import { SemanticIndex, type SemanticIndexOptions } from "./semantic-index.js";
import type { VectorStore } from "../store/vector-store.js";

export interface EmbeddingRuntime {
  readonly embedder: Embedder;
  readonly channel: SemanticIndex;
  readonly queue: EmbedQueue;
  readonly store: VectorStore;
  /** Stops the queue and the channel; the node's database stays open. */
  close(): Promise<void>;
}

export interface StartEmbeddingOptions {
  readonly queue?: Omit<EmbedQueueOptions, "onStored">;
  readonly index?: SemanticIndexOptions;
}

/**
 * Starts embedding for the node `host` belongs to. Never throws: an embedder
 * that cannot be built is logged and the node runs without a semantic channel.
 */
export function startEmbedding(host: EmbeddingHost, opts: StartEmbeddingOptions = {}): EmbeddingRuntime | null {
  const log = host.log;
  let embedder: Embedder | null;
  try {
    embedder = createEmbedder(host.config, log);
  } catch (e) {
    log.error({ err: e }, "the embedder could not be started; recall runs without its semantic channel");
    return null;
  }
  if (embedder === null) return null;
  const store = host.vectors;
  adoptModel(store, embedder, log);
  const channel = new SemanticIndex(store, embedder, log, opts.index);
  const queue = new EmbedQueue(store, embedder, log, {
    // Vectors ride on the fact writes' group commits, and a wake-up gathers
    // ~10 ms of commits, so a stream of small writes costs a few embedding
    // batches and no commits of their own.
    commit: (work) => host.writes.ride(work),
    wakeDelayMs: 10,
    ...opts.queue,
    onStored: (rows, range) => channel.added(rows, range),
  });
  const { dims } = store.state();
  if (dims !== null) void channel.load(dims);
  const off = host.signal.onCommit(() => queue.wake());
  queue.wake();
  log.info({ embedder: embedder.id, vectors: store.count(), backlog: store.backlog() }, "semantic channel started");
  let closing: Promise<void> | undefined;
  return {
    embedder,
    channel,
    queue,
    store,
    close: () => {
      closing ??= (async () => {
        off();
        channel.close();
        await queue.close();
        embedder.close?.();
      })();
      return closing;
    },
  };
}

/**
 * Makes `embedder` the store's model. Vectors of another model cannot be
 * compared with its queries, so they are dropped and every fact is embedded
 * again from the start (by the queue, or by `stigmem embed backfill`).
 * Returns whether a reset happened.
 */
export function adoptModel(store: VectorStore, embedder: Embedder, log: Logger): boolean {
  const { model } = store.state();
  if (model === embedder.id) return false;
  if (model !== null) {
    log.warn(
      { from: model, to: embedder.id, facts: store.backlog() },
      "embedding model changed: stored vectors dropped; every fact is embedded again",
    );
  }
  store.reset(embedder.id);
  return true;
}
