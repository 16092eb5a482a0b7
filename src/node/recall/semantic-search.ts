/**
 * Recall's semantic channel (protocol.md §9, stage 3): the embedder's
 * nearest facts inside the scope, over-fetched ×4 and then joined to the
 * view. Optional: no embedder, a rejected search or a timeout leaves the
 * channel out; weak matches are not candidates.
 *
 * @module
 */
import type { ScoringRow } from "../../store/recall-rows.js";
import type { ViewFilter } from "../../store/view-filter.js";
import type { NodeContext } from "../node-context.js";
import type { RecallParams } from "./recall-params.js";
import type { SemanticHit } from "./semantic-channel.js";
import { firstInView } from "./view-reads.js";

/** Longest wait for the embedder before recall answers without it. */
export const SEMANTIC_TIMEOUT_MS = 2_000;
/**
 * Below this similarity a fact the other channels did not find is noise,
 * not a candidate: nearest-neighbour search always answers k facts, so a
 * question about nothing stored would otherwise come back full of them.
 * Tuned for the offline embedder (unrelated texts score about 0.1–0.17
 * there); an embedder whose similarities are all high needs a higher floor.
 */
export const SEMANTIC_MIN_SIMILARITY = 0.25;

/** What the embedder answered: null when the channel is unavailable for this recall. */
export type SemanticAnswer = SemanticHit[] | null;

/**
 * Asks the embedder (when there is one and its weight is not 0) for the
 * facts nearest to the query inside the scope. A rejection, a synchronous
 * throw or a timeout means "channel unavailable", never a failed recall.
 */
export async function semanticSearch(node: NodeContext, params: RecallParams): Promise<SemanticAnswer> {
  const semantic = node.recall.semantic;
  if (semantic === null || params.weights.semantic <= 0) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`embedder did not answer within ${SEMANTIC_TIMEOUT_MS} ms`)), SEMANTIC_TIMEOUT_MS);
    });
    // Called now, not in a later turn: a search on another thread starts while recall reads on this one.
    const search = semantic.search(params.query, { scopes: [params.scope], k: params.limit * 4 });
    const hits = await Promise.race([search, timeout]);
    return Array.isArray(hits) ? hits : null;
  } catch (e) {
    node.recall.log.warn({ err: e, embedder: semantic.embedderId }, "semantic channel unavailable; recall answers without it");
    return null;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * The embedder's hits that are in the view: rowid → row and similarity in
 * [0, 1], best `limit`. Hits below {@link SEMANTIC_MIN_SIMILARITY} count only
 * for facts in `keep` (already found by another channel).
 */
export function semanticChannel(
  node: NodeContext,
  params: RecallParams,
  view: ViewFilter,
  answer: SemanticHit[],
  keep: ReadonlySet<number>,
): Map<number, { row: ScoringRow; semantic: number }> {
  const similarity = new Map<number, number>();
  for (const h of answer) {
    if (!Number.isSafeInteger(h.rowid) || typeof h.similarity !== "number" || Number.isNaN(h.similarity)) continue;
    if (h.similarity < SEMANTIC_MIN_SIMILARITY && !keep.has(h.rowid)) continue;
    const s = Math.min(1, Math.max(0, h.similarity));
    if (s > (similarity.get(h.rowid) ?? -1)) similarity.set(h.rowid, s);
  }
  // Best first, read until `limit` pass the whole view (the embedder searched the scope already,
  // so nearly all of them do).
  const ordered = [...similarity].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  const best = firstInView(node, ordered, ([rowid]) => rowid, params.limit, view, 1).rows.map(({ item, row }) => ({ row, semantic: item[1] }));
  return new Map(best.map((b) => [b.row.rowid, b]));
}

/** The embedder's vectors of the question, for scoring candidates the search did not find. */
export interface QueryVectors {
  /** The whole question. */
  readonly query: Float32Array;
  /** The question without the words naming its entities (structure.ts `residualQuestion`), when it names some. */
  readonly residual: Float32Array | null;
}

/**
 * The embedder's vectors of the query (and of `residual`) and of the
 * `words` not kept yet (node/recall/word-vectors.ts keeps them); null when
 * the embedder has no such call, fails or times out (words then compare by
 * spelling and lexicon only, and candidates the search did not find get no
 * similarity).
 */
export async function semanticVectors(node: NodeContext, params: RecallParams, residual: string | null, words: Iterable<string>): Promise<QueryVectors | null> {
  const semantic = node.recall.semantic;
  if (semantic === null || semantic.embedTexts === undefined || params.weights.semantic <= 0) return null;
  const kept = node.recall.words;
  const missing = kept.missing(semantic.embedderId, words);
  const texts = residual === null ? [params.query] : [params.query, residual];
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`embedder did not answer within ${SEMANTIC_TIMEOUT_MS} ms`)), SEMANTIC_TIMEOUT_MS);
    });
    const vectors = await Promise.race([semantic.embedTexts([...texts, ...missing]), timeout]);
    if (!Array.isArray(vectors) || vectors.length !== texts.length + missing.length) return null;
    kept.put(missing, vectors.slice(texts.length));
    return { query: vectors[0]!, residual: residual === null ? null : vectors[1]! };
  } catch (e) {
    node.recall.log.warn({ err: e, embedder: semantic.embedderId }, "query vectors unavailable; recall scores the semantic channel's own hits only");
    return null;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
