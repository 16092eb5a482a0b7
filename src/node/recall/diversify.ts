/**
 * Recall stage "diversify" (protocol.md §9, stage 6): how alike two items
 * are, for MMR, and distinct values first for questions that list a
 * relation. Two items of the same entity, or with the same relation and
 * value, are alike by what they are about (core/recall/similarity.ts's
 * `sameEntitySimilarity`, applied here over numbered keys); else
 * the semantic channel's cosine of their stored embeddings decides. When the
 * question lists a relation (candidates.ts), the best item of each distinct
 * value leads, with its group's size, and the copies follow
 * (core/recall/distinct-values.ts). MMR reorders the best candidates up to
 * twice the budget ({@link mmrPool}); the rest follow in relevance order.
 *
 * The cosines come from one table per recall over every fact item
 * ({@link SimilarityTable}): with the quantized index, each packed item's
 * row of cosines is one WebAssembly call instead of a dot product in
 * JavaScript per comparison. Without an embedder, or once the table fails,
 * items compare by triple and entity only.
 *
 * @module
 */
import { distinctValues } from "../../core/recall/distinct-values.js";
import { SAME_ENTITY, SAME_NAMED_ENTITY, SAME_VALUE } from "../../core/recall/similarity.js";
import type { NodeContext } from "../node-context.js";
import type { RecallItem } from "./recall-item.js";
import type { SimilarityTable } from "./semantic-channel.js";

/** Similarity of the `i`-th and `j`-th of the items it was prepared for, in [0, 1]. */
export type ItemSimilarity = (i: number, j: number) => number;

/**
 * The similarity of one recall's items. The cosines of one preparation are
 * kept for the next (recall packs again, with fewer items, when a packed
 * fact fails verification).
 */
export class Diversifier {
  private table: { readonly places: Map<number, number>; readonly similarities: SimilarityTable } | undefined;
  private failed: boolean;

  constructor(private readonly node: NodeContext) {
    this.failed = node.recall.semantic === null;
  }

  /**
   * The similarity over `items`; `lambda` = 1 (relevance only) never
   * compares, so builds no table. `named`: the entities the question names.
   */
  prepare(items: readonly RecallItem[], lambda: number, named: ReadonlySet<string>): ItemSimilarity {
    if (lambda < 1) this.table = this.tableFor(items);
    const table = this.table;
    const places = Int32Array.from(items, (item) => (item.row === null ? -1 : (table?.places.get(item.row.rowid) ?? -1)));
    // core/recall/similarity.ts's rule (sameEntitySimilarity) over numbered keys: MMR compares tens of
    // thousands of pairs, and comparing numbers costs a fraction of comparing the strings.
    const ids = new Map<string, number>();
    const idOf = (key: string): number => {
      let k = ids.get(key);
      if (k === undefined) ids.set(key, (k = ids.size));
      return k;
    };
    const entity = Int32Array.from(items, (it) => idOf(it.entity));
    const triple = Int32Array.from(items, (it) => idOf(`${it.entity}\u0000${it.relation}\u0000${it.scope}`));
    // A card has no value: a key of its own, never equal to another's.
    const value = Int32Array.from(items, (it, i) => (it.row === null ? -1 - i : idOf(`\u0001${it.relation}\u0000${it.row.value_v}`)));
    const isNamed = Uint8Array.from(items, (it) => (named.has(it.entity) ? 1 : 0));
    return (i, j) => {
      if (entity[i] === entity[j]) return triple[i] === triple[j] ? 1 : isNamed[i] === 1 ? SAME_NAMED_ENTITY : SAME_ENTITY;
      if (value[i] === value[j]) return SAME_VALUE;
      return this.cosine(places[i]!, places[j]!);
    };
  }

  private tableFor(items: readonly RecallItem[]): typeof this.table {
    const rowids = items.flatMap((i) => (i.row === null ? [] : [i.row.rowid]));
    const known = this.table;
    if (this.failed || (known !== undefined && rowids.every((r) => known.places.has(r)))) return known;
    try {
      return { places: new Map(rowids.map((r, place) => [r, place])), similarities: this.node.recall.semantic!.similarities(rowids) };
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  /** Cosine of two places of the table; 0 for an item that is no single fact (a card) or without a table. */
  private cosine(a: number, b: number): number {
    if (this.failed || this.table === undefined || a < 0 || b < 0) return 0;
    try {
      return this.table.similarities.cosine(a, b);
    } catch (e) {
      return this.fail(e);
    }
  }

  private fail(e: unknown): number {
    this.failed = true;
    this.node.log.warn({ err: e }, "embedding similarities unavailable; MMR uses triple and entity similarity only");
    return 0;
  }
}

/**
 * `items` (best first) with one item per distinct value of the `listed`
 * relations leading, each with its group's size in `sameValue`, and the
 * copies after them.
 */
export function distinctFirst(items: readonly RecallItem[], listed: ReadonlySet<string>): { lead: RecallItem[]; later: RecallItem[] } {
  if (listed.size === 0) return { lead: [...items], later: [] };
  const { lead, later, sizes } = distinctValues(items, listed, (i) => ({ relation: i.relation, value: i.row?.value_v ?? null }));
  for (const [item, n] of sizes) item.sameValue = n;
  return { lead, later };
}

/**
 * Candidates MMR reorders, by their tokens: the best ones until they would
 * fill this many budgets (at least {@link MMR_MIN_POOL} of them).
 * Diversification only decides which of the best candidates come first;
 * comparing every packed item with every candidate down to the 500th cost as
 * much as the rest of a recall, and the candidates beyond twice the budget
 * are packed, if ever, in relevance order anyway.
 */
export const MMR_POOL_BUDGETS = 2;
/** Fewest candidates in the MMR pool. */
export const MMR_MIN_POOL = 32;

/** How many of `items` (best first) MMR reorders for `budget` tokens. */
export function mmrPool(items: readonly RecallItem[], budget: number): number {
  let tokens = 0;
  for (let i = 0; i < items.length; i++) {
    tokens += items[i]!.tokens;
    if (tokens > MMR_POOL_BUDGETS * budget && i + 1 >= MMR_MIN_POOL) return i + 1;
  }
  return items.length;
}
