/**
 * The seam between recall and the embedding subsystem (`src/embed/`): recall
 * asks for the facts nearest to a question, restricted to what the caller
 * may read; the embedder side owns vectors, models and indexes.
 *
 * @module
 */

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
}

export interface SimilarityTable {
  /** Cosine of the `i`-th and `j`-th facts' vectors, clamped to [0, 1]; 0 when either has none. */
  cosine(i: number, j: number): number;
}
