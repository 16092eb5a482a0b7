/**
 * Recall's scoring rules (protocol.md §9 stage 5) as known answers: BM25
 * normalization, recency half-life, both fusion methods (an unknown signal
 * left out, never counted as 0), the confidence and contradiction factors,
 * graph proximity.
 */
import { describe, expect, it } from "vitest";
import {
  competitionRanks,
  CONTRADICTION_PENALTY,
  DEFAULT_WEIGHTS,
  finalScore,
  fuse,
  graphScore,
  normalizeBm25,
  recencyScore,
  RRF_K,
  SIGNAL_NAMES,
  type Signals,
} from "../../src/core/recall/scoring.js";

const DAY = 86_400_000;
const sig = (s: Partial<Signals>): Signals => ({ lexical: 0, semantic: 0, graph: 0, source_trust: 0, recency: 0, ...s });

describe("normalizeBm25", () => {
  it("divides −bm25 by the best −bm25", () => {
    expect(normalizeBm25([-4, -2, -1])).toEqual([1, 0.5, 0.25]);
    expect(normalizeBm25([])).toEqual([]);
    expect(normalizeBm25([0, 0])).toEqual([0, 0]);
  });
});

describe("recencyScore", () => {
  it.each([
    [0, 30, 1],
    [30 * DAY, 30, 0.5],
    [60 * DAY, 30, 0.25],
    [7 * DAY, 7, 0.5],
    [-5 * DAY, 30, 1], // a timestamp in the future counts as now
  ])("age %d ms, half-life %d days → %d", (age, h, expected) => {
    expect(recencyScore(age, h)).toBeCloseTo(expected, 12);
  });
});

describe("fuse: weighted sum (wsum)", () => {
  const all = SIGNAL_NAMES;
  it("is Σ wᵢsᵢ / Σ wᵢ over the active signals", () => {
    const c = sig({ lexical: 1, semantic: 0.5, graph: 1, source_trust: 0.7, recency: 0.5 });
    const expected = (0.35 * 1 + 0.35 * 0.5 + 0.15 * 1 + 0.1 * 0.7 + 0.05 * 0.5) / 1.0;
    expect(fuse([c], DEFAULT_WEIGHTS, all, "wsum")[0]).toBeCloseTo(expected, 12);
  });

  it("leaves an inactive signal out of the denominator (no embedder)", () => {
    const c = sig({ lexical: 1, graph: 1, source_trust: 1, recency: 1 });
    const active = all.filter((s) => s !== "semantic");
    expect(fuse([c], DEFAULT_WEIGHTS, active, "wsum")[0]).toBeCloseTo(1, 12);
    expect(fuse([c], DEFAULT_WEIGHTS, all, "wsum")[0]).toBeCloseTo(0.65, 12);
  });

  it("leaves an unknown signal (NaN) out of that candidate's sums, never counting it as 0", () => {
    const known = sig({ lexical: 1, semantic: 0.4, graph: 1, source_trust: 1, recency: 1 });
    const unknown = sig({ lexical: 1, semantic: Number.NaN, graph: 1, source_trust: 1, recency: 1 });
    const [k, u] = fuse([known, unknown], DEFAULT_WEIGHTS, all, "wsum");
    expect(k).toBeCloseTo(0.35 + 0.35 * 0.4 + 0.3, 12);
    expect(u).toBeCloseTo(1, 12);
  });

  it("answers 0 when every weight is 0", () => {
    const zero = { lexical: 0, semantic: 0, graph: 0, source_trust: 0, recency: 0 };
    expect(fuse([sig({ lexical: 1 })], zero, all, "wsum")).toEqual([0]);
  });
});

describe("fuse: weighted reciprocal-rank fusion (rrf)", () => {
  it("gives 1 to a candidate first on every signal, and ranks by Σ wᵢ/(k+rankᵢ)", () => {
    const top = sig({ lexical: 1, semantic: 1, graph: 1, source_trust: 1, recency: 1 });
    const second = sig({ lexical: 0.5, semantic: 0.5, graph: 0.5, source_trust: 0.5, recency: 0.5 });
    const lexOnly = sig({ lexical: 0.9 });
    const [a, b, c] = fuse([top, second, lexOnly], DEFAULT_WEIGHTS, SIGNAL_NAMES, "rrf");
    expect(a).toBeCloseTo(1, 12);
    // `second` ranks 3rd on lexical (1, 0.9, 0.5) and 2nd elsewhere.
    const best = 1 / (RRF_K + 1);
    expect(b).toBeCloseTo((0.35 / (RRF_K + 3) + (0.35 + 0.15 + 0.1 + 0.05) / (RRF_K + 2)) / best, 12);
    // A signal of 0 contributes nothing.
    expect(c).toBeCloseTo(0.35 / (RRF_K + 2) / best, 12);
  });

  it("shares ranks between equal values, and gives an unknown value no rank", () => {
    expect(competitionRanks([0.5, 1, 0.5, 0])).toEqual([2, 1, 2, 4]);
    expect(competitionRanks([0.5, Number.NaN, 1])).toEqual([2, Number.NaN, 1]);
  });

  it("judges a candidate with an unknown signal by the signals it has", () => {
    const unknown = sig({ lexical: 1, semantic: Number.NaN, graph: 1, source_trust: 1, recency: 1 });
    const other = sig({ lexical: 0.5, semantic: 1, graph: 0.5, source_trust: 0.5, recency: 0.5 });
    const [u] = fuse([unknown, other], DEFAULT_WEIGHTS, SIGNAL_NAMES, "rrf");
    expect(u).toBeCloseTo(1, 12);
  });
});

describe("finalScore and graphScore", () => {
  it("multiplies by confidence and by 0.7 when contradicted", () => {
    expect(finalScore(0.8, 0.5, false)).toBeCloseTo(0.4, 12);
    expect(finalScore(0.8, 0.5, true)).toBeCloseTo(0.4 * CONTRADICTION_PENALTY, 12);
    expect(CONTRADICTION_PENALTY).toBe(0.7);
  });

  it("is 1 for a direct hit and 1/(1+hops) otherwise", () => {
    expect(graphScore(true, 3)).toBe(1);
    expect([0, 1, 2, 3].map((h) => graphScore(false, h))).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
  });
});
