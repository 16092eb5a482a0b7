/**
 * @module core/content-hash
 *
 * `H(x) = "sha256:" + hex(sha256(utf8(J(x))))`, the one tagged hash behind
 * CIDs (§4), audit `entry_hash` and the fact chain (§11). One function, so the
 * three can never drift apart in encoding or prefix.
 */
import { hash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** Prefix of every content hash, naming the algorithm as the ref does. */
export const HASH_PREFIX = "sha256:";

/**
 * Tagged SHA-256 of the UTF-8 bytes of `text`.
 *
 * @example
 * sha256Tagged(""); // "sha256:e3b0c442…b855"
 */
export function sha256Tagged(text: string): string {
  return HASH_PREFIX + hash("sha256", text, "hex");
}

/**
 * H(x): tagged SHA-256 of the canonical JSON of `value` (§11). Wrap floats
 * in `pyFloat()`; plain numbers hash as Python ints.
 *
 * @throws CoreError from {@link canonicalJson} for unserializable input.
 */
export function contentHash(value: unknown): string {
  return sha256Tagged(canonicalJson(value));
}
