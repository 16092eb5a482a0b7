/**
 * @module core/confidence
 *
 * Validation of a fact's confidence (protocol.md §2). It is hashed into the
 * CID as a Python float, so it must be a finite JS number; 0 means retraction.
 */
import { CoreError } from "./errors.js";
import { DEFAULT_CONFIDENCE, MAX_CONFIDENCE, MIN_CONFIDENCE } from "./limits.js";

/**
 * Validates an untrusted confidence: `undefined` → 1.0; otherwise a finite
 * number in [0, 1]. Booleans and numeric strings are rejected, not coerced.
 * `-0` becomes `0`: JSON `-0` is an int 0 to the Python ref (CID `0.0`), and
 * JS cannot tell it from `-0.0` after parsing.
 *
 * @throws CoreError `invalid_confidence`, naming `field`.
 * @example
 * parseConfidence(undefined); // 1
 * parseConfidence(0.9); // 0.9
 */
export function parseConfidence(x: unknown, field = "confidence"): number {
  if (x === undefined) return DEFAULT_CONFIDENCE;
  if (typeof x !== "number" || !Number.isFinite(x) || x < MIN_CONFIDENCE || x > MAX_CONFIDENCE) {
    throw new CoreError("invalid_confidence", field, "confidence must be a number in [0, 1]");
  }
  return x === 0 ? 0 : x;
}
