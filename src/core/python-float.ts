/**
 * @module core/python-float
 *
 * Python's `repr(float)` and the canonical number text derived from it
 * (protocol.md §4). CIDs and audit hashes are byte-exact with the Python
 * reference, so `1.0` must print as `1.0` (JS says `1`) and `1e-05` must keep
 * its two exponent digits (JS says `1e-5`).
 */
import { CoreError } from "./errors.js";

/** Shortest round-trip decimal digits of |x| and the exponent of the first digit. */
interface Decimal {
  readonly negative: boolean;
  /** Significant digits without leading/trailing zeros, e.g. "15" for 1.5e16. */
  readonly digits: string;
  /** Power of ten of the first digit: 1.5e16 → 16, 0.001 → -3. */
  readonly exponent: number;
}

/**
 * `toExponential()` without an argument yields the shortest digit string that
 * round-trips (ECMA-262 Number::toString), the same digits Python's repr
 * picks (David Gay's shortest mode).
 */
function decompose(x: number): Decimal {
  const text = Math.abs(x).toExponential();
  const ePos = text.indexOf("e");
  const mantissa = text.slice(0, ePos).replace(".", "");
  return {
    negative: x < 0 || Object.is(x, -0),
    digits: mantissa,
    exponent: Number(text.slice(ePos + 1)),
  };
}

function assertFinite(x: number, field: string | undefined): void {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new CoreError("invalid_value", field, `not a finite number: ${String(x)}`);
  }
}

/**
 * Python `repr(x)` for a finite float (Python ≥ 3.1, "short" repr style).
 *
 * - Exponent n of the first significant digit in −4..15: fixed notation, with
 *   `.0` kept for integral values (`1.0`, `0.0001`, `1000000000000000.0`).
 * - Otherwise `d[.ddd]e±XX`, at least two exponent digits (`1e-05`, `1.5e+16`).
 *
 * `inf` and `nan` have no JSON form in our protocol, so they throw
 * `invalid_value` rather than printing Python's `inf`/`nan`.
 *
 * @example
 * pythonFloatRepr(1); // "1.0"
 * pythonFloatRepr(1e-5); // "1e-05"
 * pythonFloatRepr(-0); // "-0.0"
 */
export function pythonFloatRepr(x: number, field?: string): string {
  assertFinite(x, field);
  const { negative, digits, exponent } = decompose(x);
  const sign = negative ? "-" : "";
  if (exponent >= -4 && exponent <= 15) {
    if (exponent < 0) {
      return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    }
    const intLen = exponent + 1;
    if (digits.length <= intLen) {
      return `${sign}${digits}${"0".repeat(intLen - digits.length)}.0`;
    }
    return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const expSign = exponent < 0 ? "-" : "+";
  const expDigits = String(Math.abs(exponent)).padStart(2, "0");
  return `${sign}${mantissa}e${expSign}${expDigits}`;
}

/**
 * The stored `value_v` of a number value (§4 DECISION): Python repr with a
 * trailing `.0` dropped and `-0` written `0`. This makes `42` and `42.0` one
 * fact with one CID (the ref stored them differently and they conflicted).
 *
 * @example
 * canonicalNumberText(42.0); // "42"
 * canonicalNumberText(1e-7); // "1e-07"
 * canonicalNumberText(1e16); // "1e+16"
 */
export function canonicalNumberText(x: number, field?: string): string {
  assertFinite(x, field);
  if (x === 0) return "0";
  const repr = pythonFloatRepr(x, field);
  return repr.endsWith(".0") ? repr.slice(0, -2) : repr;
}
