/**
 * @module core/whitespace
 *
 * Python's notion of whitespace (`str.isspace`, `str.strip()`, `re` `\s` on
 * str), which the reference node uses to normalize entity URIs (protocol.md §3).
 * JS `\s` and `trim()` differ: they add U+FEFF and miss U+001C–001F and U+0085,
 * so using them would give different entity strings, hence different CIDs.
 */

/**
 * The character class body of Python's whitespace set, for building regexes.
 * All members are BMP code points, so no `u` flag is needed.
 */
export const PY_WHITESPACE_CLASS =
  "\\t\\n\\v\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

const RUNS = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, "g");
const ONE = new RegExp(`^[${PY_WHITESPACE_CLASS}]$`);

/** True when `ch` (one UTF-16 unit) is whitespace to Python's `str.isspace()`. */
export function isPyWhitespace(ch: string): boolean {
  return ONE.test(ch);
}

/**
 * Python `s.strip()` with no argument: removes leading and trailing Python
 * whitespace. A scan, not a `[…]+$` regex, which backtracks quadratically on
 * long inner whitespace runs.
 */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && ONE.test(s.charAt(start))) start++;
  while (end > start && ONE.test(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Python `re.sub(r"\s+", replacement, s)`: each whitespace run becomes `replacement`. */
export function collapsePyWhitespace(s: string, replacement: string): string {
  return s.replace(RUNS, () => replacement);
}
