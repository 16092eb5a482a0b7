/**
 * Recall stage "pack" (protocol.md §9, stage 7): the items, best first, go
 * into the token budget in MMR order (core/recall/pack.ts's lazy greedy MMR,
 * λ = `lambda_mmr`, `similarity` from the diversify stage); an item that no
 * longer fits is skipped and the answer is `truncated`.
 *
 * @module
 */
import { mmrPack, type PackResult } from "../../core/recall/pack.js";
import type { ItemSimilarity } from "./diversify.js";
import type { RecallItem } from "./recall-item.js";

/** Packs `items` into `budget` tokens with MMR trade-off `lambda`. */
export function packItems(items: readonly RecallItem[], budget: number, lambda: number, similarity: ItemSimilarity): PackResult<RecallItem> {
  const packed = mmrPack(
    items.map((_, i) => i),
    {
      budget,
      lambda,
      relevance: (i) => items[i]!.score,
      tokens: (i) => items[i]!.tokens,
      similarity,
    },
  );
  return { ...packed, packed: packed.packed.map((i) => items[i]!) };
}
