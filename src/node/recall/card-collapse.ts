/**
 * `prefer_cards` (protocol.md §9): an entity's content candidates that its
 * memory card covers collapse into one card item, scored at the best query
 * score among them (not the reference's query-blind average). Candidates
 * the card does not show (beyond its 20 facts) and instructions stay
 * separate items, so nothing the query found is lost and no instruction is
 * ever delivered inside card text. The card is built under the same
 * authorization as the recall: the same scope, the caller's read policy.
 *
 * @module
 */
import { tokenEstimate } from "../../core/recall/pack.js";
import type { Scope } from "../../core/scope.js";
import { CARD_RELATION, CARD_SOURCE, cardFact } from "../cards/card-item.js";
import type { ReadPolicy } from "../access/read-policy.js";
import type { NodeContext } from "../node-context.js";
import type { RecallItem } from "./recall-item.js";

export function collapseIntoCards(
  node: NodeContext,
  policy: ReadPolicy,
  scope: Scope,
  items: readonly RecallItem[],
): { items: RecallItem[]; degraded: boolean } {
  const byEntity = new Map<string, RecallItem[]>();
  for (const item of items) {
    if (item.row === null || item.interpretAs !== "content") continue;
    const group = byEntity.get(item.entity) ?? [];
    group.push(item);
    byEntity.set(item.entity, group);
  }
  const collapsed = new Set<RecallItem>();
  const cards: RecallItem[] = [];
  let degraded = false;
  const cache = node.cards;
  const cids = node.recall.store.cidsOf([...byEntity.values()].flatMap((g) => g.map((i) => i.row!.rowid)));
  for (const [entity, group] of byEntity) {
    const card = cache.get(entity, scope, policy);
    degraded ||= card.degraded;
    if (card.factCount === 0) continue;
    const shown = new Set(card.factHashes);
    const covered = group.filter((i) => shown.has(cids.get(i.row!.rowid)!));
    if (covered.length === 0) continue;
    let best = covered[0]!;
    for (const i of covered) if (i.score > best.score) best = i;
    for (const i of covered) collapsed.add(i);
    cards.push({
      row: null,
      card: cardFact(card),
      entity,
      relation: CARD_RELATION,
      scope,
      interpretAs: "content",
      signals: { ...best.signals },
      score: best.score,
      hops: Math.min(...covered.map((i) => i.hops)),
      tokens: tokenEstimate(entity, CARD_RELATION, card.summary, CARD_SOURCE),
      hlc: card.newestHlc,
    });
  }
  return { items: [...items.filter((i) => !collapsed.has(i)), ...cards], degraded };
}
