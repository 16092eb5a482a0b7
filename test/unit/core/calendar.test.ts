import { describe, expect, it } from "vitest";
import { daysFromCivil, daysInMonth, isLeapYear, isoWeekday, isoWeeksInYear } from "../../../src/core/calendar.js";

describe("calendar", () => {
  it.each([
    [2000, true],
    [1900, false],
    [2024, true],
    [2023, false],
    [0, true],
  ])("isLeapYear(%d) = %s", (y, leap) => {
    expect(isLeapYear(y)).toBe(leap);
  });

  it("daysInMonth", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });

  it("daysFromCivil matches Date.UTC for years ≥ 100", () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [1969, 12, 31],
      [2000, 2, 29],
      [2024, 12, 31],
      [100, 3, 1],
      [9999, 12, 31],
    ] as const) {
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
    }
    expect(daysFromCivil(1, 1, 1)).toBe(-719_162);
  });

  it.each([
    [2024, 1, 1, 1],
    [1970, 1, 1, 4],
    [2023, 1, 1, 7],
  ])("isoWeekday(%d-%d-%d) = %d", (y, m, d, w) => {
    expect(isoWeekday(y, m, d)).toBe(w);
  });

  it.each([
    [2020, 53],
    [2015, 53],
    [2024, 52],
    [2026, 53],
    [2021, 52],
  ])("isoWeeksInYear(%d) = %d", (y, n) => {
    expect(isoWeeksInYear(y)).toBe(n);
  });
});
