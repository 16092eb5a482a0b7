/**
 * Token estimates, MMR and greedy packing (protocol.md §9 stages 6–7).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointLength, mmrPack, tokenEstimate, type PackOptions, type PackResult } from "../../src/core/recall/pack.js";
import { fcParams } from "./core/fc-params.js";

interface It {
  id: string;
  rel: number;
  tokens: number;
  entity: string;
}
const item = (id: string, rel: number, tokens: number, entity = id): It => ({ id, rel, tokens, entity });
const opts = (budget: number, lambda = 1) => ({
  budget,
  lambda,
  relevance: (i: It) => i.rel,
  tokens: (i: It) => i.tokens,
  similarity: (a: It, b: It) => (a.entity === b.entity ? 0.5 : 0),
});

describe("tokenEstimate", () => {
  it.each([
    [["user:a", "memory:role", "CEO", "agent:x"], 8], // 30 code points
    [["e", "r", "", "s"], 2], // "e r  s": 6 code points
    [["a", "b", "c", "d"], 2], // 7 code points
    [["😀😀😀😀", "r", "v", "s"], 3], // astral characters count once: 10 code points
    [["ab\uD83D", "\uDE00cd", "e", "f"], 3], // halves of a pair in different parts stay two: 11 code points
    [["stigmem://testnode/agent/recall-subject", "memory:description", "recall subject is the primary engineer on the atlas project", "stigmem://testnode/agent/test"], 37],
  ] as const)("%j → %i", (parts, expected) => {
    expect(tokenEstimate(parts[0], parts[1], parts[2], parts[3])).toBe(expected);
  });

  it("is never below 1 and grows with the text", () => {
    expect(codePointLength("")).toBe(0);
    expect(codePointLength("a😀b")).toBe(3);
    expect(codePointLength("\uD800x")).toBe(2); // a lone surrogate counts as one
  });
});

describe("mmrPack", () => {
  it("fits nothing in a budget of 1 and says so", () => {
    expect(mmrPack([item("a", 1, 2)], opts(1))).toEqual({ packed: [], tokensUsed: 0, truncated: true });
  });

  it("is not truncated when there is nothing to pack", () => {
    expect(mmrPack([], opts(1))).toEqual({ packed: [], tokensUsed: 0, truncated: false });
  });

  it("walks relevance order and skips what does not fit, packing smaller items after", () => {
    const r = mmrPack([item("small", 0.5, 3), item("big", 0.9, 8), item("mid", 0.7, 5)], opts(10));
    expect(r.packed.map((i) => i.id)).toEqual(["big"]);
    expect(r).toMatchObject({ tokensUsed: 8, truncated: true });
    const r2 = mmrPack([item("small", 0.5, 2), item("big", 0.9, 8), item("mid", 0.7, 5)], opts(10));
    expect(r2.packed.map((i) => i.id)).toEqual(["big", "small"]);
    expect(r2).toMatchObject({ tokensUsed: 10, truncated: true });
  });

  it("fills an exact budget without truncation", () => {
    const r = mmrPack([item("a", 0.9, 4), item("b", 0.8, 6)], opts(10));
    expect(r).toMatchObject({ tokensUsed: 10, truncated: false });
  });

  it("keeps input order among equal relevance", () => {
    expect(mmrPack([item("x", 0.5, 1), item("y", 0.5, 1), item("z", 0.5, 1)], opts(10)).packed.map((i) => i.id)).toEqual(["x", "y", "z"]);
  });

  it("diversifies with λ < 1: a near-duplicate of a packed item drops below a different one", () => {
    const items = [item("a1", 1.0, 1, "alice"), item("a2", 0.9, 1, "alice"), item("b", 0.7, 1, "bob")];
    expect(mmrPack(items, opts(10, 1)).packed.map((i) => i.id)).toEqual(["a1", "a2", "b"]);
    // λ=0.5: a2 → 0.45 − 0.25 = 0.2; b → 0.35 − 0 = 0.35.
    expect(mmrPack(items, opts(10, 0.5)).packed.map((i) => i.id)).toEqual(["a1", "b", "a2"]);
  });

  it("never exceeds the budget and reports truncation exactly when something was left out", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ rel: fc.double({ min: 0, max: 1, noNaN: true }), tokens: fc.integer({ min: 1, max: 50 }) }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, budget, lambda) => {
          const items = raw.map((r, i) => item(String(i), r.rel, r.tokens, String(i % 5)));
          const r = mmrPack(items, opts(budget, lambda));
          expect(r.tokensUsed).toBeLessThanOrEqual(budget);
          expect(r.tokensUsed).toBe(r.packed.reduce((s, i) => s + i.tokens, 0));
          expect(r.truncated).toBe(r.packed.length < items.length);
          expect(new Set(r.packed).size).toBe(r.packed.length);
        },
      ),
      fcParams,
    );
  });

  it("picks exactly what evaluating every item at every step picks (lazy MMR = full MMR)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            rel: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 1)),
            tokens: fc.integer({ min: 1, max: 30 }),
            x: fc.integer({ min: 0, max: 7 }),
            y: fc.integer({ min: 0, max: 7 }),
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 400 }),
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 0.7, 1)),
        (raw, budget, lambda) => {
          const items = raw.map((r, i) => ({ id: String(i), rel: r.rel, tokens: r.tokens, x: r.x, y: r.y }));
          type P = (typeof items)[number];
          // Similarity from small integer points: many exact ties, some identical items, some unrelated.
          const o: PackOptions<P> = {
            budget,
            lambda,
            relevance: (i) => i.rel,
            tokens: (i) => i.tokens,
            similarity: (a, b) => 1 / (1 + Math.abs(a.x - b.x) + Math.abs(a.y - b.y)) - (a.x === 7 ? 0.2 : 0),
          };
          const fast = mmrPack(items, o);
          const full = referenceMmrPack(items, o);
          expect(fast.packed.map((i) => i.id)).toEqual(full.packed.map((i) => i.id));
          expect(fast).toMatchObject({ tokensUsed: full.tokensUsed, truncated: full.truncated });
        },
      ),
      fcParams,
    );
  });

  it("compares a packed item with few candidates when relevance decides (lazy evaluation)", () => {
    const items = Array.from({ length: 200 }, (_, i) => item(String(i), 1 - i / 200, 1, `e${i}`));
    let calls = 0;
    const r = mmrPack(items, { ...opts(20, 0.7), similarity: () => (calls++, 0) });
    expect(r.packed.map((i) => i.id)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(calls).toBeLessThan(20 * 20); // full MMR would compare each pick with every remaining item (~3,800)
  });
});

/** MMR as specified, every remaining item re-evaluated at every step (the reference for the lazy one). */
function referenceMmrPack<T>(items: readonly T[], opts: PackOptions<T>): PackResult<T> {
  const rel = items.map((it) => opts.relevance(it));
  const cost = items.map((it) => opts.tokens(it));
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
