/**
 * Token estimates, MMR and greedy packing (protocol.md §9 stages 6–7).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointLength, mmrPack, tokenEstimate } from "../../src/core/recall/pack.js";
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
});
