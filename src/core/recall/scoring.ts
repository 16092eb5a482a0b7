/**
 * @module core/recall/scoring
 *
 * Recall's signals and how they become one score (protocol.md §9, stage 5):
 * BM25 normalization, recency decay, the two fusion methods and the
 * confidence and contradiction factors. Pure numbers in, numbers out.
 *
 * Fusion methods (chosen by `STIGMEM_RECALL_FUSION`):
 * - `wsum` (default, §9): `raw = Σ wᵢ·sᵢ / Σ wᵢ` over the active signals;
 * - `rrf`: weighted reciprocal-rank fusion, `Σ wᵢ / (k + rankᵢ)` over the
 *   signals a candidate has (sᵢ > 0), divided by its maximum
 *   `Σ wᵢ / (k + 1)` so that 1 means "first on every signal".
 * Either way `score = raw × confidence × (contradicted ? 0.7 : 1)`.
 *
 * **Unknown signals** (spec/recall.md, "Unknown signals"): a signal a
 * candidate cannot be scored on — its semantic similarity while the fact
 * has no stored vector yet — is NaN, not 0. Fusion leaves it out of that
 * candidate's sums (numerator and the `Σ wᵢ` it divides by; in rrf it has
 * no rank), so the candidate is judged by the signals it has, as if the
 * unknown one agreed with them, rather than punished for a vector the
 * embedder has not written yet. A signal inactive for the whole recall (no
 * embedder) is left out the same way for every candidate.
 */

/** The five signals of a candidate, each in [0, 1], or NaN when unknown (see the module comment). */
export interface Signals {
  lexical: number;
  semantic: number;
  graph: number;
  source_trust: number;
  recency: number;
}

export type SignalName = keyof Signals;

/** Every signal, in the order of the wire's `score_breakdown`. */
export const SIGNAL_NAMES: readonly SignalName[] = ["lexical", "semantic", "graph", "source_trust", "recency"];

/** Per-signal weights, each in [0, 1]. */
export type Weights = Readonly<Signals>;

/** §9 defaults. */
export const DEFAULT_WEIGHTS: Weights = Object.freeze({
  lexical: 0.35,
  semantic: 0.35,
  graph: 0.15,
  source_trust: 0.1,
  recency: 0.05,
});

/** Score factor of a contradicted fact (§9). */
export const CONTRADICTION_PENALTY = 0.7;

/** The `k` of reciprocal-rank fusion (the usual 60 of Cormack et al.). */
export const RRF_K = 60;

export const FUSION_METHODS = ["wsum", "rrf"] as const;
export type FusionMethod = (typeof FUSION_METHODS)[number];

const MS_PER_DAY = 86_400_000;

/**
 * `exp(−ln2 · age_days / H)`: 1 for a fact written now, 0.5 after one
 * half-life. A timestamp in the future counts as now.
 *
 * @example
 * recencyScore(30 * 86_400_000, 30); // 0.5
 */
export function recencyScore(ageMs: number, halfLifeDays: number): number {
  const days = Math.max(0, ageMs) / MS_PER_DAY;
  return Math.exp((-Math.LN2 * days) / halfLifeDays);
}

/**
 * `lex = −bm25 / max(−bm25)` over the candidates (FTS5's bm25 is negative,
 * better matches more so). All-zero input stays zero.
 *
 * @example
 * normalizeBm25([-2, -1]); // [1, 0.5]
 */
export function normalizeBm25(bm25: readonly number[]): number[] {
  let best = 0;
  for (const b of bm25) best = Math.max(best, -b);
  return bm25.map((b) => (best > 0 ? Math.max(0, -b) / best : 0));
}

/**
 * Fuses the signals of every candidate into `raw` in [0, 1]. `active` names
 * the signals that exist for this recall (semantic is left out without an
 * embedder, so its weight does not dilute the others).
 */
export function fuse(
  candidates: readonly Signals[],
  weights: Weights,
  active: readonly SignalName[],
  method: FusionMethod,
): number[] {
  if (candidates.length === 0) return [];
  /** Σ wᵢ over the signals a candidate has (known, active). */
  const totalOf = (c: Signals): number => active.reduce((s, name) => (Number.isNaN(c[name]) ? s : s + weights[name]), 0);
  if (method === "wsum") {
    return candidates.map((c) => {
      const total = totalOf(c);
      if (total <= 0) return 0;
      return clamp01(active.reduce((s, name) => (Number.isNaN(c[name]) ? s : s + weights[name] * c[name]), 0) / total);
    });
  }
  // Competition ranks per signal among the candidates that have it: 1 + how many score strictly higher.
  const ranks = new Map<SignalName, number[]>();
  for (const name of active) ranks.set(name, competitionRanks(candidates.map((c) => c[name])));
  return candidates.map((c, i) => {
    const best = totalOf(c) / (RRF_K + 1);
    if (best <= 0) return 0;
    let sum = 0;
    for (const name of active) {
      if (c[name] > 0) sum += weights[name] / (RRF_K + ranks.get(name)![i]!);
    }
    return clamp01(sum / best);
  });
}

/** `raw × confidence × (contradicted ? 0.7 : 1)` (§9). */
export function finalScore(raw: number, confidence: number, contradicted: boolean): number {
  return raw * confidence * (contradicted ? CONTRADICTION_PENALTY : 1);
}

/** Graph proximity: 1 for a direct hit, else `1/(1+hops)` (§9). */
export function graphScore(directHit: boolean, hops: number): number {
  return directHit ? 1 : 1 / (1 + hops);
}

/** 1-based competition ranks of `values`, highest first; equal values share a rank; NaN (unknown) is ranked after none and gets NaN. */
export function competitionRanks(values: readonly number[]): number[] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => b - a);
  return values.map((v) => {
    if (Number.isNaN(v)) return Number.NaN;
    // First index holding v in the descending order (binary search).
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! > v) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  });
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * The score (wsum fusion, §9 default weights, no embedder weight change)
 * below which a recall's top answer means "nothing stored matches": chosen on
 * the labelled evaluation set (bench/recall-eval), where out-of-domain
 * questions' top scores stay below it and answered ones above. A top answer
 * scoring at or above it has lexical or entity evidence, not just a graph
 * seed, trust and recency.
 */
export const RELEVANCE_THRESHOLD = 0.5;
