/**
 * @module core/text-field
 *
 * Checks shared by the short text fields of a fact (entity, relation, source):
 * they enter the CID, so they must be well-formed UTF-16, and they are bounded
 * in UTF-8 bytes (protocol.md §2).
 */
import { CoreError } from "./errors.js";
import { MAX_FIELD_BYTES } from "./limits.js";
import { assertNoLoneSurrogate } from "./lone-surrogate.js";
import { utf8ByteLength } from "./utf8.js";

/**
 * Returns `s` when it has no lone surrogate and fits `maxBytes` UTF-8 bytes.
 * Call it on the normalized entity/source: normalization can change length.
 *
 * @throws CoreError `lone_surrogate` or `field_too_long`, naming `field`.
 */
export function checkTextField(s: string, field: string, maxBytes: number = MAX_FIELD_BYTES): string {
  assertNoLoneSurrogate(s, field);
  const bytes = utf8ByteLength(s);
  if (bytes > maxBytes) {
    throw new CoreError("field_too_long", field, `${field} is ${bytes} UTF-8 bytes; the limit is ${maxBytes}`);
  }
  return s;
}
