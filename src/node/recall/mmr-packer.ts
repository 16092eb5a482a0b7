/**
 * Diversification and packing of recall items (protocol.md §9 stages 6–7)
 * over core/recall/pack.ts's lazy MMR. Two items of the same entity are
 * alike by what they are about (core/recall/similarity.ts); across entities
 * the semantic channel's cosine of their stored embeddings decides.
 *
 * The cosines come from one table per recall over every fact item
 * ({@link SimilarityTable}): with the quantized index, each packed item's
 * row of cosines is one WebAssembly call instead of a dot product in
 * JavaScript per comparison. Without an embedder, or once the table fails,
 * items compare by triple and entity only.
 *
 * @module
 */
import { mmrPack, type PackResult } from "../../core/recall/pack.js";
import { sameEntitySimilarity } from "../../core/recall/similarity.js";
import type { NodeContext } from "../node-context.js";
import type { RecallItem } from "./recall-item.js";
import type { SimilarityTable } from "./semantic-channel.js";

interface Slot {
  readonly item: RecallItem;
  /** The item's place in the table's rowids; −1 for an item that is no single fact (a card). */
  readonly place: number;
}

export type MmrPacker = (items: readonly RecallItem[], budget: number, lambda: number) => PackResult<RecallItem>;

/**
 * A packer for one recall: packs `items` (best first) into `budget` tokens
 * with MMR trade-off `lambda`. The cosines of one call are kept for the next
 * (recall packs again, with fewer items, when a packed fact fails verification).
 */
export function mmrPacker(node: NodeContext): MmrPacker {
  const semantic = node.recall.semantic;
  let table: { readonly places: Map<number, number>; readonly similarities: SimilarityTable } | undefined;
  let failed = semantic === null;
  const fail = (e: unknown): number => {
    failed = true;
    node.log.warn({ err: e }, "embedding similarities unavailable; MMR uses triple and entity similarity only");
    return 0;
  };
  const tableFor = (items: readonly RecallItem[]): typeof table => {
    const rowids = items.flatMap((i) => (i.row === null ? [] : [i.row.rowid]));
    if (failed || (table !== undefined && rowids.every((r) => table!.places.has(r)))) return table;
    try {
      return { places: new Map(rowids.map((r, place) => [r, place])), similarities: semantic!.similarities(rowids) };
    } catch (e) {
      fail(e);
      return undefined;
    }
  };
  const cosine = (a: Slot, b: Slot): number => {
    if (failed || table === undefined || a.place < 0 || b.place < 0) return 0;
    try {
      return table.similarities.cosine(a.place, b.place);
    } catch (e) {
      return fail(e);
    }
  };
  return (items, budget, lambda) => {
    table = lambda < 1 ? tableFor(items) : table;
    const slots = items.map((item): Slot => ({ item, place: item.row === null ? -1 : (table?.places.get(item.row.rowid) ?? -1) }));
    const packed = mmrPack(slots, {
      budget,
      lambda,
      relevance: (s) => s.item.score,
      tokens: (s) => s.item.tokens,
      similarity: (a, b) => sameEntitySimilarity(a.item, b.item) ?? cosine(a, b),
    });
    return { ...packed, packed: packed.packed.map((s) => s.item) };
  };
}
