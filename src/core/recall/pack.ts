/**
 * @module core/recall/pack
 *
 * Diversification and token-budget packing (protocol.md §9, stages 6–7).
 *
 * MMR picks, at each step, the remaining item with the greatest
 * `λ·relevance − (1−λ)·max similarity to the items already returned`; the
 * picked item is packed when its `token_estimate` still fits the budget and
 * skipped otherwise (`truncated`). Diversity is measured against what is
 * actually returned, so a skipped item never pushes others down. λ = 1 is
 * plain relevance order.
 */

/**
 * `max(1, ceil(code points of "{entity} {relation} {v} {source}" / 4))` (§9),
 * where `v` is the value's text.
 *
 * @example
 * tokenEstimate("user:a", "memory:role", "CEO", "agent:x"); // 8 (30 code points)
 */
export function tokenEstimate(entity: string, relation: string, v: string, source: string): number {
  return Math.max(1, Math.ceil(codePointLength(`${entity} ${relation} ${v} ${source}`) / 4));
}

/** Number of code points (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export interface PackOptions<T> {
  /** Total tokens available, ≥ 1. */
  budget: number;
  /** MMR trade-off in [0, 1]: 1 = relevance only. */
  lambda: number;
  relevance(item: T): number;
  tokens(item: T): number;
  /** Similarity of two items in [0, 1]; only called when λ < 1. */
  similarity(a: T, b: T): number;
}

export interface PackResult<T> {
  /** The returned items, in pick order. */
  packed: T[];
  tokensUsed: number;
  /** Some item was skipped because it did not fit. */
  truncated: boolean;
}

/**
 * Packs `items` (in any order; ties in relevance keep their input order).
 *
 * @example
 * mmrPack(items, { budget: 1, lambda: 0.7, ... }); // { packed: [], tokensUsed: 0, truncated: true }
 */
export function mmrPack<T>(items: readonly T[], opts: PackOptions<T>): PackResult<T> {
  const rel = items.map((it) => opts.relevance(it));
  const cost = items.map((it) => opts.tokens(it));
  // Remaining indexes by descending relevance; stable, so equal relevance keeps input order.
  let remaining = items.map((_, i) => i).sort((a, b) => rel[b]! - rel[a]! || a - b);
  const maxSim = new Float64Array(items.length);
  const diversify = opts.lambda < 1;
  const packed: T[] = [];
  let used = 0;
  let truncated = false;

  while (remaining.length > 0) {
    const left = opts.budget - used;
    let cheapest = Infinity;
    for (const i of remaining) cheapest = Math.min(cheapest, cost[i]!);
    if (cheapest > left) {
      truncated = true;
      break;
    }
    let pick = 0;
    if (diversify && packed.length > 0) {
      let best = -Infinity;
      remaining.forEach((i, pos) => {
        const m = opts.lambda * rel[i]! - (1 - opts.lambda) * maxSim[i]!;
        if (m > best) {
          best = m;
          pick = pos;
        }
      });
    }
    const chosen = remaining[pick]!;
    remaining = remaining.filter((_, pos) => pos !== pick);
    if (cost[chosen]! > left) {
      truncated = true;
      continue;
    }
    packed.push(items[chosen]!);
    used += cost[chosen]!;
    if (diversify) {
      for (const i of remaining) {
        const s = opts.similarity(items[chosen]!, items[i]!);
        if (s > maxSim[i]!) maxSim[i] = s;
      }
    }
  }
  return { packed, tokensUsed: used, truncated };
}
