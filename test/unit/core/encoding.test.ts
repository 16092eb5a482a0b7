import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../../src/core/code-point-order.js";
import { isCoreError } from "../../../src/core/errors.js";
import { assertNoLoneSurrogate, findLoneSurrogate } from "../../../src/core/lone-surrogate.js";
import { utf8ByteLength } from "../../../src/core/utf8.js";
import { fcParams } from "./fc-params.js";

describe("utf8ByteLength", () => {
  it.each([
    ["", 0],
    ["a", 1],
    ["é", 2],
    ["Zoë", 4],
    ["日", 3],
    ["\u{1F600}", 4],
    ["\uD800", 3],
    ["\uD800a", 4],
    ["\uDC00\uD800", 6],
  ])("%j → %d", (s, n) => {
    expect(utf8ByteLength(s)).toBe(n);
  });

  it("equals Buffer.byteLength for well-formed strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, "utf8"));
      }),
      fcParams,
    );
  });
});

describe("findLoneSurrogate", () => {
  it.each([
    ["", -1],
    ["plain", -1],
    ["\u{1F600}", -1],
    ["a\uD800", 1],
    ["\uDC00", 0],
    ["\uD83D\uDE00\uDE00", 2],
    ["\uDE00\uD83D", 0],
    ["ab\uD83Dc", 2],
  ])("%j → %d", (s, at) => {
    expect(findLoneSurrogate(s)).toBe(at);
  });

  it("assertNoLoneSurrogate names the field", () => {
    let err: unknown;
    try {
      assertNoLoneSurrogate("x\uDFFF", "relation");
    } catch (e) {
      err = e;
    }
    expect(isCoreError(err)).toBe(true);
    expect(err).toMatchObject({ code: "lone_surrogate", field: "relation" });
    expect(assertNoLoneSurrogate("ok\u{1F600}")).toBe("ok\u{1F600}");
  });
});

describe("compareCodePoints", () => {
  it.each([
    ["a", "b", -1],
    ["b", "a", 1],
    ["a", "a", 0],
    ["", "a", -1],
    ["a", "ab", -1],
    ["\uFFFF", "\u{10000}", -1],
    ["\uE000", "\u{1F600}", -1],
    ["\u{1F600}", "\u{1F601}", -1],
    ["\u{1F600}a", "\u{1F600}", 1],
    ["\uD800", "\uE000", -1],
  ])("%j vs %j → %d", (a, b, want) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(want);
  });

  it("agrees with comparing code point arrays", () => {
    const cps = (s: string): number[] => Array.from(s, (ch) => ch.codePointAt(0) ?? 0);
    const ref = (a: string, b: string): number => {
      const x = cps(a);
      const y = cps(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return Math.sign(x[i]! - y[i]!);
      return Math.sign(x.length - y.length);
    };
    const s = fc.string({ unit: fc.constantFrom("a", "\uE000", "\uFFFF", "\u{10000}", "\u{1F600}", "z") });
    fc.assert(
      fc.property(s, s, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(ref(a, b));
      }),
      fcParams,
    );
  });
});
