/**
 * @module core/canonical-json
 *
 * J, the one canonical JSON serializer of the project (protocol.md §4, §11):
 * byte-equal to Python
 * `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`.
 * CIDs, audit `entry_hash` and the fact chain are hashes of its output, so a
 * single differing byte breaks interop with the reference and with our peers.
 */
import { assertNoLoneSurrogate, findLoneSurrogate } from "./lone-surrogate.js";
import { escapeJsonUnit, writeJson } from "./json-writer.js";

/** Exactly what Python escapes with `ensure_ascii=False`: `"`, `\` and U+0000–001F. */
// eslint-disable-next-line no-control-regex -- control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/g;
/** A string without these (almost every one) is written as it is: nothing to escape, no surrogate to check. */
// eslint-disable-next-line no-control-regex -- as above
const ESCAPE_OR_SURROGATE = /["\\\u0000-\u001f\uD800-\uDFFF]/;

/**
 * Writes `s` as a JSON string literal the way Python does with
 * `ensure_ascii=False`: non-ASCII, DEL, U+2028 and U+2029 stay raw; control
 * characters without a short escape become lowercase `\u00xx`.
 * Throws `lone_surrogate` because such a string has no UTF-8 bytes to hash.
 *
 * @example
 * quoteJsonString("a\u0001\u00e9"); // '"a\\u0001é"'
 */
export function quoteJsonString(s: string, path?: () => string): string {
  if (!ESCAPE_OR_SURROGATE.test(s)) return `"${s}"`;
  if (findLoneSurrogate(s) >= 0) assertNoLoneSurrogate(s, path?.());
  return `"${s.replace(NEEDS_ESCAPE, escapeJsonUnit)}"`;
}

/**
 * J(x): canonical JSON text of `value` (UTF-8 encode it before hashing).
 * Keys are sorted by code point, output is compact, plain JS numbers are
 * Python ints and {@link pyFloat}-wrapped numbers are Python floats, and
 * `undefined` is written `null`. See `writeJson` for every accepted shape.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null, pyFloat(0.5)] }); // '{"a":[true,null,0.5],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return writeJson(value, quoteJsonString);
}
