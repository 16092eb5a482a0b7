import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BACKOFF_MAX_MS, backoffDelayMs } from "../../../src/core/federation/backoff.js";
import { fcParams } from "../core/fc-params.js";

describe("backoffDelayMs", () => {
  it.each<[number, number, number]>([
    [1, 0.5, 1_000],
    [1, 0, 800],
    [1, 0.999999, 1_200],
    [2, 0.5, 2_000],
    [3, 0, 3_200],
    [9, 0.5, 256_000],
    [9, 0.999999, 300_000],
    [10, 0.5, 300_000],
    [10, 0, 240_000],
    [1_000_000, 0.25, 270_000],
  ])("attempt %d with random %d → %d ms", (attempt, r, want) => {
    expect(backoffDelayMs(attempt, () => r)).toBe(want);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses attempt %d", (attempt) => {
    expect(() => backoffDelayMs(attempt, () => 0.5)).toThrow(RangeError);
  });

  it("stays within ±20 % of the capped exponential, never above 300 s", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const base = Math.min(1000 * 2 ** Math.min(attempt - 1, 30), BACKOFF_MAX_MS);
        const d = backoffDelayMs(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(d).toBeLessThanOrEqual(Math.min(Math.ceil(base * 1.2), BACKOFF_MAX_MS));
      }),
      fcParams,
    );
  });
});
