/**
 * @module core/federation/base64url
 *
 * Strict base64url (RFC 4648 §5) for federation keys, signatures and JWT
 * segments (protocol.md §10). `Buffer.from(s, "base64url")` silently skips
 * characters outside the alphabet, so two different texts would decode to
 * the same key; here only the alphabet, optional `=` padding of the right
 * length, and canonical trailing bits are accepted.
 */

const UNPADDED = /^[A-Za-z0-9_-]*$/;
const PADDED = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Encodes bytes as base64url without padding, as the reference does
 * (`urlsafe_b64encode(...).rstrip("=")`).
 *
 * @example
 * encodeBase64url(Uint8Array.of(0xfb, 0xff)); // "-_8"
 */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/**
 * Decodes base64url text, or returns `undefined` for anything that is not
 * the canonical encoding of some bytes: characters outside the alphabet, a
 * length that no encoding has, non-zero trailing bits, or (unless
 * `allowPadding`) `=` padding. With `allowPadding`, padding must be complete
 * (`"AA=="`, never `"AA="`), as Python's decoder requires.
 *
 * @example
 * decodeBase64url("-_8"); // Uint8Array [0xfb, 0xff]
 * decodeBase64url("-_8=", { allowPadding: true }); // the same bytes
 */
export function decodeBase64url(text: string, opts: { readonly allowPadding?: boolean } = {}): Uint8Array | undefined {
  let body = text;
  if (opts.allowPadding === true && text.endsWith("=")) {
    if (!PADDED.test(text) || text.length % 4 !== 0) return undefined;
    body = text.replace(/=+$/, "");
  }
  if (!UNPADDED.test(body) || body.length % 4 === 1) return undefined;
  const bytes = Buffer.from(body, "base64url");
  // Re-encoding catches non-zero trailing bits ("AB" and "AA" both decode to 0x00).
  if (bytes.toString("base64url") !== body) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
