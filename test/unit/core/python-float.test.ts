import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalNumberText, pythonFloatRepr } from "../../../src/core/python-float.js";
import { isCoreError } from "../../../src/core/errors.js";
import { fcParams } from "./fc-params.js";

// Expected columns produced by CPython 3.11: repr(float(x)) and the §4 canonical text.
const TABLE: ReadonlyArray<readonly [string, number, string, string]> = [
  ["42", 42, "42.0", "42"],
  ["42.0", 42.0, "42.0", "42"],
  ["3.14", 3.14, "3.14", "3.14"],
  ["0.0001", 0.0001, "0.0001", "0.0001"],
  ["1e-05", 1e-5, "1e-05", "1e-05"],
  ["1e-7", 1e-7, "1e-07", "1e-07"],
  ["0.000099", 0.000099, "9.9e-05", "9.9e-05"],
  ["1e15", 1e15, "1000000000000000.0", "1000000000000000"],
  ["9999999999999998", 9999999999999998, "9999999999999998.0", "9999999999999998"],
  ["1e16", 1e16, "1e+16", "1e+16"],
  ["1.5e16", 1.5e16, "1.5e+16", "1.5e+16"],
  // eslint-disable-next-line no-loss-of-precision -- the JSON input loses precision the same way
  ["12345678901234567", 12345678901234567, "1.2345678901234568e+16", "1.2345678901234568e+16"],
  // eslint-disable-next-line no-loss-of-precision -- as above
  ["123456789012345678", 123456789012345678, "1.2345678901234568e+17", "1.2345678901234568e+17"],
  ["1e21", 1e21, "1e+21", "1e+21"],
  ["1e22", 1e22, "1e+22", "1e+22"],
  ["1e100", 1e100, "1e+100", "1e+100"],
  ["-42", -42, "-42.0", "-42"],
  ["-3.14", -3.14, "-3.14", "-3.14"],
  ["-0.001", -0.001, "-0.001", "-0.001"],
  ["-1e-7", -1e-7, "-1e-07", "-1e-07"],
  ["-1.5e16", -1.5e16, "-1.5e+16", "-1.5e+16"],
  ["0", 0, "0.0", "0"],
  ["-0", -0, "-0.0", "0"],
  ["0.1+0.2", 0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"],
  ["1/3", 1 / 3, "0.3333333333333333", "0.3333333333333333"],
  ["2/3", 2 / 3, "0.6666666666666666", "0.6666666666666666"],
  ["0.00012345", 0.00012345, "0.00012345", "0.00012345"],
  ["1e-4*9.99", 1e-4 * 9.99, "0.000999", "0.000999"],
  ["100.0", 100.0, "100.0", "100"],
  ["1234.5", 1234.5, "1234.5", "1234.5"],
  ["0.5", 0.5, "0.5", "0.5"],
  ["2.5e-10", 2.5e-10, "2.5e-10", "2.5e-10"],
  ["1.0000000000000002", 1.0000000000000002, "1.0000000000000002", "1.0000000000000002"],
  ["5e-324", 5e-324, "5e-324", "5e-324"],
  ["MAX_VALUE", Number.MAX_VALUE, "1.7976931348623157e+308", "1.7976931348623157e+308"],
];

describe("pythonFloatRepr", () => {
  it.each(TABLE)("repr(%s)", (_label, x, repr) => {
    expect(pythonFloatRepr(x)).toBe(repr);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("rejects %s", (x) => {
    let err: unknown;
    try {
      pythonFloatRepr(x);
    } catch (e) {
      err = e;
    }
    expect(isCoreError(err) && err.code).toBe("invalid_value");
  });

  it("round-trips and has Python's shape for any finite double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = pythonFloatRepr(x);
        expect(Object.is(Number(r), x)).toBe(true);
        expect(r).toMatch(/^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$/);
      }),
      fcParams,
    );
  });
});

describe("canonicalNumberText", () => {
  it.each(TABLE)("value_v of %s", (_label, x, _repr, canonical) => {
    expect(canonicalNumberText(x)).toBe(canonical);
  });

  it("equals the repr without its trailing .0 and parses back to the same number", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const c = canonicalNumberText(x);
        expect(c.endsWith(".0")).toBe(false);
        expect(Number(c)).toBe(x === 0 ? 0 : x);
        // Below 1e16 plain JSON.stringify already writes the same lexeme (§4 "JSON output").
        if (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e16) expect(c).toBe(JSON.stringify(x === 0 ? 0 : x));
      }),
      fcParams,
    );
  });
});
