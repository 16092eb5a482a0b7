/**
 * Keeps a triple's stored verdict (contradicted? which value wins? when does
 * the first live head expire?) in step with its live heads. Used by every
 * write and by the expiry sweeper, so the current view's "winner only"
 * filter always reflects the heads that are actually live.
 *
 * @module
 */
import { judgeTriple, valueKey, type HeadFacts, type TripleVerdict } from "../../core/contradiction.js";
import type { FactRow } from "../../store/fact-store.js";
import type { StigmemNode } from "../stigmem-node.js";

/** The §6 view of a stored row, for the contradiction rules. */
export function headFacts(row: FactRow, ownNodeId: string): HeadFacts {
  return {
    id: row.id,
    source: row.source,
    valueKey: valueKey(row.value_type, row.value_v),
    confidence: row.confidence,
    origin_hlc: { wall: row.origin_hlc_w, counter: row.origin_hlc_c },
    origin_node_id: row.origin_node_id ?? ownNodeId,
    cid: row.cid,
  };
}

/** Judges and stores the verdict of the triple whose live, unexpired heads are `liveHeads`. */
export function storeTripleVerdict(
  node: StigmemNode,
  triple: { entity: string; relation: string; scope: string },
  liveHeads: readonly FactRow[],
): TripleVerdict {
  const verdict = judgeTriple(liveHeads.map((h) => headFacts(h, node.nodeId)));
  let nextExpiry: number | null = null;
  for (const h of liveHeads) {
    if (h.valid_until_ms !== null && (nextExpiry === null || h.valid_until_ms < nextExpiry)) nextExpiry = h.valid_until_ms;
  }
  node.stores.facts.setTriple(triple.entity, triple.relation, triple.scope, verdict.contradicted, verdict.winnerKey, nextExpiry);
  return verdict;
}
