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
  // Counted part by part (no joined copy): the separating spaces keep surrogate pairs from spanning parts.
  const n = codePointLength(entity) + codePointLength(relation) + codePointLength(v) + codePointLength(source) + 3;
  return Math.max(1, Math.ceil(n / 4));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Number of code points (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  // Most text has no surrogates: then it is the UTF-16 length (one native scan instead of a JS loop).
  if (!SURROGATE.test(s)) return s.length;
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
 * Lazy greedy MMR, with the same picks as evaluating every remaining item at
 * every step: an item's MMR value only falls as items are packed (its
 * maximum similarity only grows), so a value computed against fewer packed
 * items is an upper bound. Each step takes the remaining item with the
 * highest bound (first in relevance order on ties); while that bound is
 * stale it is compared with every packed item it has not seen and the heap
 * looks again; once the top bound is current it is the exact maximum.
 * Items that never reach the top are never compared.
 * Items that no longer fit are dropped as soon as they cannot (the budget
 * left only shrinks), which picks exactly what skipping them one by one would.
 *
 * @example
 * mmrPack(items, { budget: 1, lambda: 0.7, ... }); // { packed: [], tokensUsed: 0, truncated: true }
 */
export function mmrPack<T>(items: readonly T[], opts: PackOptions<T>): PackResult<T> {
  const n = items.length;
  const rel = items.map((it) => opts.relevance(it));
  const cost = items.map((it) => opts.tokens(it));
  // Indexes by descending relevance; stable, so equal relevance keeps input order.
  const order = items.map((_, i) => i).sort((a, b) => rel[b]! - rel[a]! || a - b);
  const packed: T[] = [];
  let used = 0;

  if (!(opts.lambda < 1)) {
    for (const i of order) {
      if (cost[i]! <= opts.budget - used) {
        packed.push(items[i]!);
        used += cost[i]!;
      }
    }
    return { packed, tokensUsed: used, truncated: packed.length < n };
  }

  const lambda = opts.lambda;
  // Per position p of `order`: max similarity to the first seen[p] packed items, and the MMR bound.
  const maxSim = new Float64Array(n);
  const seen = new Int32Array(n);
  const bound = new Float64Array(n);
  for (let p = 0; p < n; p++) bound[p] = lambda * rel[order[p]!]!;
  // Max-heap of remaining positions by bound, then position (the first in relevance order wins ties).
  const above = (p: number, q: number): boolean => bound[p]! > bound[q]! || (bound[p] === bound[q] && p < q);
  const heap = order.map((_, p) => p); // positions ascending with bounds descending: already a heap
  const siftDown = (at: number): void => {
    const p = heap[at]!;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= heap.length) break;
      const c = l + 1 < heap.length && above(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (!above(heap[c]!, p)) break;
      heap[at] = heap[c]!;
      at = c;
    }
    heap[at] = p;
  };
  const popTop = (): void => {
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      siftDown(0);
    }
  };

  while (heap.length > 0) {
    const p = heap[0]!;
    const i = order[p]!;
    if (cost[i]! > opts.budget - used) {
      // Never fits again: the budget left only shrinks.
      popTop();
      continue;
    }
    if (seen[p]! < packed.length) {
      // Brought up to date with every packed item it has not seen, then put back in its place once.
      let m = maxSim[p]!;
      for (let k = seen[p]!; k < packed.length; k++) {
        const s = opts.similarity(packed[k]!, items[i]!);
        if (s > m) m = s;
      }
      maxSim[p] = m;
      seen[p] = packed.length;
      bound[p] = lambda * rel[i]! - (1 - lambda) * m;
      siftDown(0);
      continue;
    }
    popTop();
    packed.push(items[i]!);
    used += cost[i]!;
  }
  return { packed, tokensUsed: used, truncated: packed.length < n };
}
