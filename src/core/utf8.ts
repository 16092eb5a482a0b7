/**
 * @module core/utf8
 *
 * UTF-8 byte counting for the §2 size limits (value_v ≤ 65,536 bytes; entity,
 * relation and source ≤ 2,048 bytes). Limits are in bytes, not UTF-16 units,
 * because the CID and the ref both measure the UTF-8 encoding.
 */

/**
 * Number of bytes `s` takes in UTF-8. A lone surrogate counts 3 bytes (the
 * size of the U+FFFD an encoder would emit); callers reject those anyway.
 * Counts without allocating, so it is cheap on 64 KB values.
 *
 * @example
 * utf8ByteLength("Zoë"); // 4
 */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
