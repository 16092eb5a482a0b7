/**
 * Stands in for `node:crypto` in browser bundles (the package's `browser`
 * field maps it here): the node's core hashes with `hash("sha256", text,
 * "hex")`, which browsers lack synchronously; @noble/hashes provides it.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** `crypto.hash` for the one use the core makes of it: SHA-256 of text, as hex. */
export function hash(algorithm: string, data: string, encoding: string): string {
  if (algorithm !== "sha256" || encoding !== "hex") throw new Error(`hash(${algorithm}, ${encoding}) is not available in the browser build`);
  return bytesToHex(sha256(utf8ToBytes(data)));
}
