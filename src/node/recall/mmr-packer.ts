/**
 * Diversification and packing of recall items (protocol.md §9 stages 6–7)
 * over core/recall/pack.ts's lazy MMR, with item similarity from
 * core/recall/similarity.ts: 1 for the same triple, 0.5 for the same
 * entity, otherwise the cosine of the stored embeddings.
 *
 * MMR compares every packed item with most remaining ones (tens of
 * thousands of comparisons per recall), so each item carries its
 * {@link Comparable} in a slot beside it instead of a lookup per
 * comparison. A fact's embedding (and its norm) is read the first time the
 * fact is compared; without an embedder, or once reading fails, items
 * compare by triple and entity only.
 *
 * @module
 */
import { mmrPack, type PackResult } from "../../core/recall/pack.js";
import { itemSimilarity, squaredNorm, type Comparable } from "../../core/recall/similarity.js";
import type { StigmemNode } from "../stigmem-node.js";
import type { RecallItem } from "./recall.js";

interface Slot {
  readonly item: RecallItem;
  comparable: Comparable | undefined;
}

export type MmrPacker = (items: readonly RecallItem[], budget: number, lambda: number) => PackResult<RecallItem>;

/**
 * A packer for one recall: packs `items` (best first) into `budget` tokens
 * with MMR trade-off `lambda`. Embeddings read by one call are kept for the
 * next (recall packs again when a packed fact fails verification).
 */
export function mmrPacker(node: StigmemNode): MmrPacker {
  const semantic = node.semantic;
  let failed = semantic === null;
  const vectorOf = (i: RecallItem): Float32Array | undefined => {
    if (failed || i.row === null) return undefined;
    try {
      return semantic!.vectors([i.row.rowid]).get(i.row.rowid);
    } catch (e) {
      failed = true;
      node.log.warn({ err: e }, "embedding vectors unavailable; MMR uses triple and entity similarity only");
      return undefined;
    }
  };
  const comparable = (i: RecallItem): Comparable => {
    const vector = vectorOf(i);
    return { entity: i.entity, relation: i.relation, scope: i.scope, vector, sqNorm: vector === undefined ? undefined : squaredNorm(vector) };
  };
  const slots = new Map<RecallItem, Slot>();
  const slotOf = (item: RecallItem): Slot => {
    let s = slots.get(item);
    if (s === undefined) {
      s = { item, comparable: undefined };
      slots.set(item, s);
    }
    return s;
  };
  return (items, budget, lambda) => {
    const packed = mmrPack(items.map(slotOf), {
      budget,
      lambda,
      relevance: (s) => s.item.score,
      tokens: (s) => s.item.tokens,
      similarity: (a, b) => itemSimilarity((a.comparable ??= comparable(a.item)), (b.comparable ??= comparable(b.item))),
    });
    return { ...packed, packed: packed.packed.map((s) => s.item) };
  };
}
