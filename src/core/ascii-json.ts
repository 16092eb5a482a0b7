/**
 * @module core/ascii-json
 *
 * The PeerDeclaration signing serializer (protocol.md §10): Python
 * `json.dumps(obj, sort_keys=True, separators=(",", ":"))` with the default
 * `ensure_ascii=True`. The ref signs these bytes, so we must reproduce them
 * exactly to verify its declarations and to have ours verified by it.
 */
import { escapeJsonUnit, writeJson } from "./json-writer.js";

/** Everything Python's ASCII encoder escapes: `"`, `\` and all outside 0x20–0x7E. */
const NEEDS_ESCAPE = /["\\]|[^\x20-\x7e]/g;

/**
 * Writes `s` as a JSON literal using only printable ASCII: short escapes where
 * they exist, otherwise lowercase `\uxxxx` per UTF-16 unit (so astral
 * characters become a surrogate pair, and DEL becomes `\u007f`). Like Python,
 * a lone surrogate is escaped, not rejected: the output stays valid ASCII.
 *
 * @example
 * quoteAsciiJsonString("Zoë\u{1F600}"); // '"Zo\\u00eb\\ud83d\\ude00"'
 */
export function quoteAsciiJsonString(s: string): string {
  return `"${s.replace(NEEDS_ESCAPE, escapeJsonUnit)}"`;
}

/**
 * Compact, key-sorted, ASCII-only JSON (the §10 signed bytes). Same shapes,
 * number rules and code point key order as {@link canonicalJson}; for
 * printable-ASCII input the two outputs are identical (and equal RFC 8785).
 *
 * @example
 * asciiJson({ node_url: "https://a.example", allowed_scopes: ["public"] });
 * // '{"allowed_scopes":["public"],"node_url":"https://a.example"}'
 */
export function asciiJson(value: unknown): string {
  return writeJson(value, quoteAsciiJsonString);
}
