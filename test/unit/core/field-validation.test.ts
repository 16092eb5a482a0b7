import { describe, expect, it } from "vitest";
import { parseConfidence } from "../../../src/core/confidence.js";
import { isCoreError } from "../../../src/core/errors.js";
import * as limits from "../../../src/core/limits.js";
import { checkTextField } from "../../../src/core/text-field.js";

function errOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return isCoreError(e) ? { code: e.code, field: e.field } : e;
  }
  return "no error";
}

describe("limits (§2)", () => {
  it("has the protocol values", () => {
    expect(limits.MAX_VALUE_BYTES).toBe(65_536);
    expect(limits.MAX_FIELD_BYTES).toBe(2_048);
    expect([limits.MIN_CONFIDENCE, limits.MAX_CONFIDENCE, limits.DEFAULT_CONFIDENCE]).toEqual([0, 1, 1]);
    expect([limits.MAX_LIMIT, limits.DEFAULT_LIMIT, limits.DEFAULT_PULL_LIMIT]).toEqual([500, 50, 100]);
    expect([limits.MIN_TOKEN_BUDGET, limits.MAX_TOKEN_BUDGET]).toEqual([1, 200_000]);
    expect([limits.MIN_DEPTH, limits.MAX_DEPTH]).toEqual([1, 3]);
    expect(limits.MAX_BATCH).toBe(500);
    expect(limits.DEFAULT_MAX_FUTURE_SKEW_MS).toBe(300_000);
    expect(limits.DEFAULT_MAX_PAST_SKEW_MS).toBe(2_592_000_000);
  });

  it.each([
    ["a", true],
    ["0", true],
    ["eng-team-2", true],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["-eng", false],
    ["Eng", false],
    ["eng_team", false],
    ["", false],
    ["eng\n", false],
  ])("garden slug %j → %s", (slug, ok) => {
    expect(limits.isGardenSlug(slug)).toBe(ok);
  });
});

describe("parseConfidence", () => {
  it.each([
    [undefined, 1],
    [0, 0],
    [-0, 0],
    [1, 1],
    [0.5, 0.5],
    [1e-5, 1e-5],
  ])("%j → %j", (x, want) => {
    expect(Object.is(parseConfidence(x), want)).toBe(true);
  });

  it.each([[-0.01], [1.0000001], [Number.NaN], [Number.POSITIVE_INFINITY], ["0.5"], [true], [null]])(
    "rejects %j",
    (x) => {
      expect(errOf(() => parseConfidence(x))).toEqual({ code: "invalid_confidence", field: "confidence" });
    },
  );
});

describe("checkTextField", () => {
  it("counts UTF-8 bytes against 2,048", () => {
    expect(checkTextField("a".repeat(2_048), "relation")).toHaveLength(2_048);
    expect(errOf(() => checkTextField("a".repeat(2_049), "relation"))).toEqual({ code: "field_too_long", field: "relation" });
    expect(checkTextField("é".repeat(1_024), "entity")).toHaveLength(1_024);
    expect(errOf(() => checkTextField("é".repeat(1_025), "entity"))).toEqual({ code: "field_too_long", field: "entity" });
    expect(errOf(() => checkTextField("\u{1F600}".repeat(513), "source"))).toEqual({ code: "field_too_long", field: "source" });
  });

  it("rejects lone surrogates", () => {
    expect(errOf(() => checkTextField("user:\uD800", "entity"))).toEqual({ code: "lone_surrogate", field: "entity" });
  });
});
