/**
 * Recomputes a triple's stored verdict (contradicted? which value wins? when
 * does its first live head expire?) from its live heads. Writes keep the
 * verdict in step themselves (core/supersession.ts); this is for a change
 * without a write: a head passing its `valid_until` (expiry-sweeper.ts).
 *
 * @module
 */
import { judgeTriple, valueKey, type HeadFacts } from "../../core/contradiction.js";
import type { FactStore, HeadRow } from "../../store/fact-store.js";

/** The §6 view of a stored head, for the contradiction rules. */
function headFacts(row: HeadRow, ownNodeId: string): HeadFacts {
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

/** Judges the triple's live, unexpired heads at `nowMs` and stores the verdict. */
export function refreshTripleVerdict(
  facts: FactStore,
  ownNodeId: string,
  triple: { entity: string; relation: string; scope: string },
  nowMs: number,
): void {
  const live = facts.liveHeads(triple.entity, triple.relation, triple.scope, nowMs);
  const verdict = judgeTriple(live.map((h) => headFacts(h, ownNodeId)));
  let nextExpiry: number | null = null;
  for (const h of live) {
    if (h.valid_until_ms !== null && (nextExpiry === null || h.valid_until_ms < nextExpiry)) nextExpiry = h.valid_until_ms;
  }
  facts.setTriple(triple.entity, triple.relation, triple.scope, verdict.contradicted, verdict.winnerKey, nextExpiry);
}
