/**
 * Recall stage "fuse" (protocol.md §9, stage 5): the candidates' signals
 * become one score (`STIGMEM_RECALL_FUSION`: wsum or rrf, core/recall/scoring.ts)
 * × confidence × 0.7 when contradicted, and each candidate a
 * {@link RecallItem}, best first.
 *
 * @module
 */
import { tokenEstimate } from "../../core/recall/pack.js";
import { finalScore, fuse, SIGNAL_NAMES, type SignalName, type Signals } from "../../core/recall/scoring.js";
import type { Candidate } from "./candidates.js";
import type { RecallContext } from "./recall-context.js";
import type { RecallItem } from "./recall-item.js";

/**
 * The items of `cands` with their fused scores. `semanticActive`: the
 * semantic channel answered (without it its weight does not dilute the others).
 */
export function fuseCandidates(ctx: RecallContext, cands: readonly Candidate[], signals: readonly Signals[], semanticActive: boolean): RecallItem[] {
  const active: SignalName[] = SIGNAL_NAMES.filter((s) => s !== "semantic" || semanticActive);
  const raw = fuse(signals, ctx.params.weights, active, ctx.node.config.recallFusion);
  return cands.map((c, i): RecallItem => ({
    row: c.row,
    card: null,
    entity: c.row.entity,
    relation: c.row.relation,
    scope: c.row.scope,
    interpretAs: c.row.interpret_as,
    signals: signals[i]!,
    score: finalScore(raw[i]!, c.row.confidence, c.row.contradicted === 1),
    hops: c.direct ? 0 : c.hops,
    tokens: tokenEstimate(c.row.entity, c.row.relation, c.row.value_v, c.row.source),
    hlc: { wall: c.row.hlc_w, counter: c.row.hlc_c },
  }));
}

/** Best first: score, then newer (HLC), then the later-stored fact. */
export function byScore(a: RecallItem, b: RecallItem): number {
  return b.score - a.score || b.hlc.wall - a.hlc.wall || b.hlc.counter - a.hlc.counter || (b.row?.rowid ?? 0) - (a.row?.rowid ?? 0);
}
