import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareFacts, laterFact, type FactOrderKey } from "../../../src/core/fact-order.js";
import { fcParams } from "./fc-params.js";

const W = 1_795_268_267_955;
const cid = (c: string): string => `sha256:${c.repeat(64)}`;
const f = (wall: number, counter: number, node: string, c: string): FactOrderKey => ({
  origin_hlc: { wall, counter },
  origin_node_id: node,
  cid: cid(c),
});

describe("compareFacts (≺, §6)", () => {
  it.each([
    ["earlier wall first", f(W, 50, "z", "f"), f(W + 1, 0, "a", "0"), -1],
    ["counter 9 before 10 (text order would say otherwise)", f(W, 9, "z", "f"), f(W, 10, "a", "0"), -1],
    ["counter 999 before 1000", f(W, 999, "a", "0"), f(W, 1000, "a", "0"), -1],
    ["same HLC: node id decides", f(W, 1, "stigmem:node:a", "f"), f(W, 1, "stigmem:node:b", "0"), -1],
    ["same HLC and node: cid decides", f(W, 1, "n", "1"), f(W, 1, "n", "a"), -1],
    ["identical", f(W, 1, "n", "a"), f(W, 1, "n", "a"), 0],
    ["node ids by code point (astral after U+FFFF)", f(W, 1, "\u{1F600}", "0"), f(W, 1, "\uFFFF", "0"), 1],
  ])("%s", (_name, a, b, want) => {
    expect(compareFacts(a, b)).toBe(want);
    expect(compareFacts(b, a)).toBe(-want || 0);
  });

  it("is a total order: antisymmetric, transitive, and sort-stable across input order", () => {
    const arbKey = fc.record({
      origin_hlc: fc.record({ wall: fc.integer({ min: W, max: W + 3 }), counter: fc.integer({ min: 0, max: 1_200 }) }),
      origin_node_id: fc.constantFrom("stigmem:node:a", "stigmem:node:b", "ref-node"),
      cid: fc.constantFrom(cid("0"), cid("a"), cid("f")),
    });
    fc.assert(
      fc.property(fc.array(arbKey, { maxLength: 30 }), (keys) => {
        const sorted = [...keys].sort(compareFacts);
        const reversed = [...keys].reverse().sort(compareFacts);
        expect(reversed).toEqual(sorted);
        for (let i = 1; i < sorted.length; i++) {
          expect(compareFacts(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
        }
      }),
      fcParams,
    );
  });

  it("laterFact picks the chain head", () => {
    const a = f(W, 10, "n", "0");
    const b = f(W, 9, "n", "f");
    expect(laterFact(a, b)).toBe(a);
    expect(laterFact(b, a)).toBe(a);
  });
});
