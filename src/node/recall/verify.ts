/**
 * Recall stage "verify" (protocol.md §9, integrity): only what is served is
 * read in full and re-hashed (most candidates are never packed). A packed
 * fact whose row no longer matches its CID is dropped (audited, the answer
 * `degraded`) and the rest are packed again, as if it had never been a
 * candidate. Rows checked by an earlier recall are kept exact by recall's
 * copy of the view (view-row-cache.ts) and not re-hashed.
 *
 * @module
 */
import type { PackResult } from "../../core/recall/pack.js";
import type { FactRow } from "../../store/fact-store.js";
import { verifyMany } from "../facts/read-integrity.js";
import type { ReadPolicy } from "../access/read-policy.js";
import { distinctFirst, mmrPool, type Diversifier } from "./diversify.js";
import { packItems } from "./pack.js";
import type { RecallContext } from "./recall-context.js";
import type { RecallItem } from "./recall-item.js";
import type { RecallClock } from "./recall-timing.js";

/** Most items diversified and packed (§9: fusion keeps ≤ 500 candidates). */
export const MAX_FUSED = 500;

export interface VerifiedPack {
  readonly packed: PackResult<RecallItem>;
  /** The items left after dropping those that failed verification, best first. */
  readonly items: readonly RecallItem[];
  /** rowid → the full row of each packed fact, verified. */
  readonly served: ReadonlyMap<number, FactRow>;
  /** A packed fact failed verification and was dropped. */
  readonly degraded: boolean;
}

/** Packs `items` (best first) and verifies what was packed, repacking without what fails. */
export function packVerified(
  ctx: RecallContext,
  policy: ReadPolicy,
  ranked: readonly RecallItem[],
  diversity: Diversifier,
  clock: RecallClock,
  asked: { readonly named: ReadonlySet<string>; readonly listed: ReadonlySet<string> },
): VerifiedPack {
  const { node, params } = ctx;
  const store = node.recall.store;
  const served = new Map<number, FactRow>();
  const verified = node.stores.viewRows;
  let items = ranked;
  let degraded = false;
  for (;;) {
    const { lead, later } = distinctFirst(items.slice(0, MAX_FUSED), asked.listed);
    // MMR reorders the best candidates; those beyond the pool follow in relevance order (diversify.ts).
    const pool = mmrPool(lead, params.tokenBudget);
    const similarity = diversity.prepare(lead.slice(0, pool), params.lambdaMmr, asked.named);
    clock.lap("diversify");
    let packed = packItems(lead.slice(0, pool), params.tokenBudget, params.lambdaMmr, similarity);
    // The rest of the candidates, then the copies of a listed value (after every distinct one), in the budget left.
    for (const rest of [lead.slice(pool), later]) {
      if (rest.length === 0) continue;
      if (packed.tokensUsed >= params.tokenBudget) {
        packed = { ...packed, truncated: true };
        continue;
      }
      const more = packItems(rest, params.tokenBudget - packed.tokensUsed, 1, () => 0);
      packed = { packed: [...packed.packed, ...more.packed], tokensUsed: packed.tokensUsed + more.tokensUsed, truncated: packed.truncated || more.truncated };
    }
    clock.lap("pack");
    const unchecked: number[] = [];
    for (const i of packed.packed) {
      if (i.row === null || served.has(i.row.rowid)) continue;
      const row = verified.verified(i.row.rowid);
      if (row !== undefined) served.set(row.rowid, row);
      else unchecked.push(i.row.rowid);
    }
    for (const row of verifyMany(node.stores.audit, store.factRows(unchecked), policy.actor).rows) {
      served.set(row.rowid, row);
      verified.putVerified(row);
    }
    clock.lap("verify");
    const bad = new Set(unchecked.filter((rowid) => !served.has(rowid)));
    if (bad.size === 0) return { packed, items, served, degraded };
    degraded = true;
    items = items.filter((i) => i.row === null || !bad.has(i.row.rowid));
  }
}
