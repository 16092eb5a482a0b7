import { describe, expect, it } from "vitest";
import { isCoreError } from "../../../src/core/errors.js";
import { formatTimestamp, isRfc3339, parseRfc3339 } from "../../../src/core/timestamp.js";

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return isCoreError(e) ? e.code : e;
  }
  return "no error";
}

describe("formatTimestamp", () => {
  it.each<readonly [Date | number, string]>([
    [0, "1970-01-01T00:00:00.000000+00:00"],
    [1_795_268_267_955, "2026-11-21T13:37:47.955000+00:00"],
    [new Date("2024-02-29T23:59:59.001Z"), "2024-02-29T23:59:59.001000+00:00"],
    [-500, "1969-12-31T23:59:59.500000+00:00"],
    [-62_135_596_800_000, "0001-01-01T00:00:00.000000+00:00"],
    [253_402_300_799_999, "9999-12-31T23:59:59.999000+00:00"],
    [1.9, "1970-01-01T00:00:00.001000+00:00"],
  ])("%j → %s", (t, want) => {
    expect(formatTimestamp(t)).toBe(want);
  });

  it.each<readonly [string, Date | number]>([
    ["NaN", Number.NaN],
    ["Invalid Date", new Date(Number.NaN)],
    ["year 10000", 253_402_300_800_000],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])(
    "rejects %s",
    (_name, t) => {
      expect(codeOf(() => formatTimestamp(t))).toBe("invalid_timestamp");
    },
  );

  it("round-trips through parseRfc3339", () => {
    for (const ms of [0, 1_795_268_267_955, -500, 951_868_800_000]) {
      expect(parseRfc3339(formatTimestamp(ms))).toBe(ms);
    }
  });
});

describe("parseRfc3339", () => {
  // Expected instants computed with CPython datetime.
  it.each([
    ["2030-01-01T00:00:00Z", 1_893_456_000_000],
    ["2030-01-01T01:00:00+01:00", 1_893_456_000_000],
    ["2030-01-01t00:00:00z", 1_893_456_000_000],
    ["2029-12-31T19:00:00-05:00", 1_893_456_000_000],
    ["2030-01-01T00:00:00-00:00", 1_893_456_000_000],
    ["2024-02-29T23:59:59.999999-05:30", 1_709_270_999_999],
    ["0001-01-01T00:00:00Z", -62_135_596_800_000],
    ["0050-06-01T00:00:00Z", -60_576_249_600_000],
    ["9999-12-31T23:59:59.999Z", 253_402_300_799_999],
    ["1969-12-31T23:59:59.5Z", -500],
    ["2000-03-01T00:00:00+00:00", 951_868_800_000],
    ["2016-12-31T23:59:60Z", Date.UTC(2017, 0, 1)],
  ])("%s → %d", (s, ms) => {
    expect(parseRfc3339(s)).toBe(ms);
    expect(isRfc3339(s)).toBe(true);
  });

  it("compares instants, not strings", () => {
    // As text the Z instant sorts first, yet 00:30+01:00 is 23:30Z the day before.
    expect("2030-01-01T00:00:00Z" > "2030-01-01T00:30:00+01:00").toBe(false);
    expect(parseRfc3339("2030-01-01T00:00:00Z")).toBeGreaterThan(parseRfc3339("2030-01-01T00:30:00+01:00"));
  });

  it.each([
    "",
    "2030-01-01",
    "2030-01-01T00:00Z",
    "2030-01-01T00:00:00",
    "2030-01-01 00:00:00Z",
    "2030-1-01T00:00:00Z",
    "2030-13-01T00:00:00Z",
    "2030-00-01T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2030-04-31T00:00:00Z",
    "2030-01-01T24:00:00Z",
    "2030-01-01T23:60:00Z",
    "2030-01-01T23:59:61Z",
    "2030-01-01T00:00:00.Z",
    "2030-01-01T00:00:00,5Z",
    "2030-01-01T00:00:00+0100",
    "2030-01-01T00:00:00+01",
    "2030-01-01T00:00:00+24:00",
    "2030-01-01T00:00:00+01:60",
    "2030-01-01T00:00:00Z ",
    "+12030-01-01T00:00:00Z",
    "yesterday",
  ])("rejects %j", (s) => {
    expect(isRfc3339(s)).toBe(false);
    let err: unknown;
    try {
      parseRfc3339(s);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: "CoreError", code: "invalid_timestamp", field: "valid_until" });
  });

  it("accepts leap day in a 400-year", () => {
    expect(parseRfc3339("2000-02-29T00:00:00Z")).toBe(Date.UTC(2000, 1, 29));
  });
});
