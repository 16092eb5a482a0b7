/**
 * @module core/lone-surrogate
 *
 * Detection of unpaired UTF-16 surrogates. Such strings have no UTF-8 form, so
 * they cannot be hashed into a CID the way Python does (its `encode("utf-8")`
 * raises); §4 turns them into a 422 instead of silently hashing U+FFFD.
 */
import { CoreError } from "./errors.js";

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Index of the first unpaired surrogate in `s`, or -1 when `s` is well formed.
 *
 * @example
 * findLoneSurrogate("a\uD800b"); // 1
 */
export function findLoneSurrogate(s: string): number {
  const m = LONE.exec(s);
  return m === null ? -1 : m.index;
}

/**
 * Throws `lone_surrogate` (naming `field`) when `s` is not well-formed UTF-16;
 * returns `s` otherwise, so it can wrap an expression.
 */
export function assertNoLoneSurrogate(s: string, field?: string): string {
  const at = findLoneSurrogate(s);
  if (at >= 0) {
    const unit = s.charCodeAt(at).toString(16).padStart(4, "0");
    throw new CoreError("lone_surrogate", field, `unpaired surrogate U+${unit.toUpperCase()} at index ${at}`);
  }
  return s;
}
