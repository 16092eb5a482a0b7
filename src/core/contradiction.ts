/**
 * @module core/contradiction
 *
 * The contradiction rules of protocol.md §6, as pure functions over the
 * heads of one triple T = (entity, relation, scope):
 *
 * - a triple is contradicted when its current view holds two or more
 *   distinct values; the winner is the head with the greatest
 *   (confidence, ≺);
 * - inserting a fact n records a conflict with every current head h of T that
 *   has another source and another value (both confidence > 0), and with the
 *   head of n's own chain when that head is concurrent (another origin, not
 *   in n.supersedes, another value).
 */
import { compareFacts, type FactOrderKey } from "./fact-order.js";

/** What the rules need to know about one chain head. */
export interface HeadFacts extends FactOrderKey {
  readonly id: string;
  readonly source: string;
  /** `value_type + ":" + value_v`: equal keys are the same value. */
  readonly valueKey: string;
  readonly confidence: number;
}

/** The verdict for one triple's current view. */
export interface TripleVerdict {
  readonly contradicted: boolean;
  /** Value key of the winner; null for an empty view. */
  readonly winnerKey: string | null;
}

/** Identity key of a value, used to compare values without re-parsing them. */
export function valueKey(valueType: string, valueV: string): string {
  return `${valueType}:${valueV}`;
}

/** Decides contradiction and winner over the live heads of one triple. */
export function judgeTriple(liveHeads: readonly HeadFacts[]): TripleVerdict {
  let winner: HeadFacts | undefined;
  const values = new Set<string>();
  for (const h of liveHeads) {
    values.add(h.valueKey);
    if (winner === undefined || beats(h, winner)) winner = h;
  }
  return { contradicted: values.size >= 2, winnerKey: winner?.valueKey ?? null };
}

/** `a` wins over `b` by (confidence, ≺). */
function beats(a: HeadFacts, b: HeadFacts): boolean {
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  return compareFacts(a, b) > 0;
}

/**
 * The heads a newly inserted fact conflicts with.
 *
 * @param n the new fact
 * @param viewBefore the live current view of n's triple before the insert (ACL ignored)
 * @param ownChainHead the head of n's own chain before the insert, if any
 * @param supersedes ids n declares it replaces
 */
export function conflictsOnInsert(
  n: HeadFacts,
  viewBefore: readonly HeadFacts[],
  ownChainHead: HeadFacts | undefined,
  supersedes: readonly string[],
): HeadFacts[] {
  // Retractions (confidence 0) never conflict.
  if (n.confidence <= 0) return [];
  const out = new Map<string, HeadFacts>();
  for (const h of viewBefore) {
    if (h.id !== n.id && h.confidence > 0 && h.source !== n.source && h.valueKey !== n.valueKey) out.set(h.id, h);
  }
  if (
    ownChainHead !== undefined &&
    ownChainHead.id !== n.id &&
    ownChainHead.confidence > 0 &&
    ownChainHead.origin_node_id !== n.origin_node_id &&
    !supersedes.includes(ownChainHead.id) &&
    ownChainHead.valueKey !== n.valueKey
  ) {
    out.set(ownChainHead.id, ownChainHead);
  }
  return [...out.values()];
}
