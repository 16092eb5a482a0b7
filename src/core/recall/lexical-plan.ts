/**
 * @module core/recall/lexical-plan
 *
 * Which query tokens the full-text query ranks by (protocol.md §9 stage 2,
 * "keep common-term queries fast"). FTS5 computes bm25 for every document a
 * MATCH expression matches before it can return the best few, so a term
 * found in hundreds of thousands of facts makes every query containing it
 * slow, while contributing next to nothing to the ranking (FTS5 floors the
 * IDF of a term in over half the documents at 1e-6).
 */

/**
 * How the full-text query is run for a set of tokens. Tokens are taken
 * rarest first while their document frequencies add up to at most
 * {@link RANK_BUDGET}: those narrow and rank (by bm25, whose cost
 * grows with the documents matched). Tokens beyond the budget are too common
 * to rank by at this size (a term in over half the facts has FTS5's floor
 * IDF of 1e-6 anyway) and are left out; if even the rarest token is beyond
 * it, the newest matching facts are taken instead of ranking them all.
 */
export interface LexicalPlan {
  /** Tokens that narrow and rank; empty when every token is too common. */
  readonly ranked: string[];
  /** The too-common tokens (used, newest first, only when `ranked` is empty). */
  readonly broad: string[];
  /**
   * The ranked tokens beyond {@link SPARSE_BUDGET} (empty unless they match
   * more rows than it and than twice the rarer ones): they add their bm25 to every match
   * of the rarer ranked tokens, but their own matches are taken newest first
   * rather than all ranked, since ranking costs per match and these are most
   * of the matches while adding the least to any score.
   */
  readonly dense: string[];
}

/**
 * Documents a ranked full-text query may match in total: FTS5's bm25 costs
 * about 0.8 µs per match on a small server, so this bounds ranking at about
 * 16 ms. At 100,000 facts, 50,000 let the slowest evaluation questions spend
 * over 20 ms ranking a token as common as "project" or "service" alongside
 * rarer ones that already decide the order; 20,000 leaves their hit@5
 * unchanged.
 */
export const RANK_BUDGET = 20_000;

/**
 * Documents the rarest ranked tokens may match in total before the rest are
 * {@link LexicalPlan.dense}: at 100,000 facts a question pairing rare words
 * with one as common as "service" (~18,000 matches) spent ~15 ms ranking
 * matches of the common word alone, which only fill the tail of the window.
 */
export const SPARSE_BUDGET = 2_000;

/** Splits `tokens` by document frequency (see {@link LexicalPlan}). */
export function planLexical(tokens: readonly string[], df: (token: string) => number): LexicalPlan {
  const byRarity = tokens.map((t) => ({ t, df: df(t) })).sort((a, b) => a.df - b.df);
  const ranked: string[] = [];
  const broad: string[] = [];
  const dense: string[] = [];
  let total = 0;
  let sparse = 0;
  for (const { t, df: n } of byRarity) {
    if (total + n <= RANK_BUDGET) {
      ranked.push(t);
      total += n;
      if (sparse + n <= SPARSE_BUDGET) sparse += n;
      else dense.push(t);
    } else broad.push(t);
  }
  // Splitting pays only when the dense tokens match many more rows than the sparse ones, whose
  // matches it reads twice (ftsTopSplit in store/recall-store.ts). It needs a sparse token, but
  // one stored nowhere will do: then the query's rare words match nothing (a question about
  // something not stored, like "origami crane folding steps" sharing only "steps"), and ranking
  // every match of its common words would only order answers that should score low anyway.
  if (dense.length === ranked.length || total - sparse <= Math.max(SPARSE_BUDGET, 2 * sparse)) dense.length = 0;
  // Keep the query's own order for the MATCH text (stable plans, readable logs).
  const order = (xs: string[]) => tokens.filter((t) => xs.includes(t));
  return { ranked: order(ranked), broad: order(broad), dense: order(dense) };
}

