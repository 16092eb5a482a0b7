/**
 * @module core/code-point-order
 *
 * Python's string order: by Unicode code point. JS `<` and the default
 * `Array.prototype.sort` compare UTF-16 code units, which puts astral
 * characters (U+10000 and up, stored as surrogates 0xD800–0xDFFF) BEFORE
 * U+E000–U+FFFF. `json.dumps(sort_keys=True)` and the §6 fact order need the
 * Python order, or two implementations hash and order differently.
 */

/**
 * Compares two strings by code point, like Python's `a < b`. Lone surrogates
 * compare as their own code point, as they do in Python.
 *
 * @returns negative, zero or positive, for use with `Array.prototype.sort`.
 * @example
 * ["\uFB01", "\u{1F600}"].sort(compareCodePoints); // ["\uFB01", "\u{1F600}"]
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const restA = a.length - i;
  const restB = b.length - j;
  return restA === restB ? 0 : restA < restB ? -1 : 1;
}
