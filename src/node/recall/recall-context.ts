/**
 * Per-node state of recall, cards and the graph that does not belong in the
 * node object itself: the prepared-statement stores, created on first use
 * and dropped with the node.
 *
 * @module
 */
import { CardStore } from "../../store/card-store.js";
import { RecallChainStore } from "../../store/recall-chain-store.js";
import { RecallStore } from "../../store/recall-store.js";
import type { StigmemNode } from "../stigmem-node.js";
import { perNode } from "../per-node.js";

export interface RecallStores {
  readonly recall: RecallStore;
  readonly cards: CardStore;
  readonly chain: RecallChainStore;
}

/** The recall stores of `node`. */
export const recallStores = perNode(
  (node): RecallStores => ({
    recall: new RecallStore(node.db, node.stores.viewRows),
    cards: new CardStore(node.db),
    chain: new RecallChainStore(node.db),
  }),
);
