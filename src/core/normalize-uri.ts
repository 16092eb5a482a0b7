/**
 * @module core/normalize-uri
 *
 * Entity and source normalization (protocol.md §3). Two spellings of the same
 * entity must become one string before the CID is computed, or the same fact
 * would hash differently on two nodes. The rule copies the reference node's
 * `normalize_entity_uri`, including its Python whitespace set.
 */
import { CoreError } from "./errors.js";
import { collapsePyWhitespace, pyStrip } from "./whitespace.js";

/**
 * The formal form `stigmem://authority/type/id`. The scheme is case-sensitive
 * (an upper-case scheme falls to the informal rule). The id uses `[^\n]` because
 * Python's `.` only excludes `\n`, while JS `.` also excludes `\r`, U+2028 and
 * U+2029. Python's `$` may also match before a final `\n`, but input is
 * stripped first, so plain `$` is equivalent.
 */
const FORMAL_URI = /^stigmem:\/\/([^/]+)\/([^/]+)\/([^\n]+)$/;

/**
 * Returns the canonical form of an entity or source URI (§3).
 *
 * - Strip Python whitespace; empty → `invalid_entity_uri`.
 * - Formal `stigmem://a/t/id`: each part stripped and lowercased, whitespace
 *   runs in the id collapsed to `-`; an empty part → `invalid_entity_uri`.
 *   Whitespace inside authority and type is kept (as on the ref).
 * - Anything else: lowercased, whitespace runs collapsed to `-`.
 *
 * Lowercasing is `toLowerCase()`, which differs from Python 3.11 on a few
 * newer code points; accepted by §3. Byte limits are NOT checked here: check
 * the returned string, since lowercasing can change its UTF-8 length.
 *
 * @example
 * normalizeEntityUri(" stigmem://TestNode/User/Alice Smith"); // "stigmem://testnode/user/alice-smith"
 * normalizeEntityUri("STIGMEM://A/B/C D"); // "stigmem://a/b/c-d"
 */
export function normalizeEntityUri(raw: string, field = "entity"): string {
  const stripped = pyStrip(raw);
  if (stripped === "") {
    throw new CoreError("invalid_entity_uri", field, "entity URI must not be empty");
  }
  const m = FORMAL_URI.exec(stripped);
  if (m !== null) {
    const authority = pyStrip(m[1] ?? "").toLowerCase();
    const type = pyStrip(m[2] ?? "").toLowerCase();
    const id = collapsePyWhitespace(pyStrip(m[3] ?? "").toLowerCase(), "-");
    if (authority === "" || type === "" || id === "") {
      throw new CoreError(
        "invalid_entity_uri",
        field,
        "formal entity URI has an empty authority, type or id",
      );
    }
    return `stigmem://${authority}/${type}/${id}`;
  }
  return collapsePyWhitespace(stripped.toLowerCase(), "-");
}
