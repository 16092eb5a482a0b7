/**
 * The seam between recall and the embedding subsystem (`src/embed/`): recall
 * asks for the facts nearest to a question, restricted to what the caller
 * may read; the embedder side owns vectors, models and indexes.
 *
 * @module
 */
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { VectorStore } from "../../store/vector-store.js";
import type { ViewSignal } from "../../store/view-signal.js";
import type { WriteQueue } from "../../store/write-queue.js";

/** One semantic match: a fact (by `facts.rowid`) and its cosine similarity in [0, 1]. */
export interface SemanticHit {
  readonly rowid: number;
  readonly similarity: number;
}

export interface SemanticSearchOptions {
  /** Scopes the caller may read; null = all. The search must stay inside them. */
  readonly scopes: readonly string[] | null;
  /** How many hits to return at most. */
  readonly k: number;
}

export interface SemanticChannel {
  /** Identity of the embedding model, e.g. `wink-sg-100d/1`; reported by /v1/doctor. */
  readonly embedderId: string;
  /**
   * Facts nearest to `query`. Rejects when the embedder is unavailable; recall
   * then answers from its other channels.
   */
  search(query: string, opts: SemanticSearchOptions): Promise<SemanticHit[]>;
  /**
   * The cosine similarities of the stored vectors of the given facts (for
   * MMR diversity), by their places in `rowids`; 0 for a fact not embedded yet.
   */
  similarities(rowids: readonly number[]): SimilarityTable;
  /**
   * The model's vectors of `texts` (recall embeds its query, to score every
   * candidate, and single words, to compare question words with relation
   * names). Rejects when the embedder is unavailable. Optional: without it
   * recall scores only the semantic channel's own hits.
   */
  embedTexts?(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * The similarity in [0, 1] of `query` (one of {@link embedTexts}' vectors)
   * with each fact's stored vector, by place in `rowids`; NaN for a fact
   * with no vector yet (its similarity is unknown, not 0).
   */
  similarityTo?(query: Float32Array, rowids: readonly number[]): Float64Array;
}

export interface SimilarityTable {
  /** Cosine of the `i`-th and `j`-th facts' vectors, clamped to [0, 1]; 0 when either has none. */
  cosine(i: number, j: number): number;
}

/** What the node lends an embedding subsystem: its settings, the vector table, its commits and its committed facts. */
export interface EmbeddingHost {
  readonly config: Config;
  readonly log: Logger;
  readonly vectors: VectorStore;
  /** Vectors are stored on the writers' commits (`writes.ride`). */
  readonly writes: WriteQueue;
  /** New facts to embed are heard here, after their commit. */
  readonly signal: ViewSignal;
}

/** A running embedding subsystem, as the node holds it. */
export interface SemanticRuntime {
  readonly channel: SemanticChannel;
  /** Stops embedding; the node's database stays open. */
  close(): Promise<void>;
}

/**
 * Starts the semantic channel for a node being composed; null when none is
 * configured or it could not start (recall then runs without it). Supplied
 * by the server (`src/embed/`), so `node/` never depends on an embedder.
 */
export type SemanticFactory = (host: EmbeddingHost) => SemanticRuntime | null;
