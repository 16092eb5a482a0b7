/**
 * @module core/federation/ed25519
 *
 * The node's Ed25519 operations for federation (protocol.md §10): one
 * signer shape that both the declaration and the peer token use, and one
 * verifier that never throws on hostile input. Signing is deterministic
 * (RFC 8032), so known-answer tests pin exact signatures.
 *
 * Verification uses the strict RFC 8032 branch of `@noble/ed25519`
 * (`zip215: false`: canonical point encodings, `s < L`, small-order public
 * keys refused), the rules OpenSSL (the reference's `cryptography`) also
 * applies to encodings. Every signature an honest RFC 8032 signer makes
 * verifies on both sides; only crafted edge cases differ, and we refuse them.
 */
import { getPublicKeyAsync, signAsync, verifyAsync } from "@noble/ed25519";
import { decodeBase64url, encodeBase64url } from "./base64url.js";
import { sha256Tagged } from "../content-hash.js";

/** Raw sizes (RFC 8032): 32-byte seed and public key, 64-byte signature. */
export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/**
 * Something that signs for a node without handing out its secret: the node
 * key implements it (`src/federation/node-key.ts`); tests build one from a
 * seed with {@link signerFromSeed}.
 */
export interface Ed25519Signer {
  /** The public key, base64url without padding (43 characters), as published in `federation_pubkey`. */
  readonly publicKey: string;
  /** The 64-byte Ed25519 signature of `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * A signer over a raw 32-byte seed (the RFC 8032 private key). The seed is
 * captured in a closure, never exposed as a property, so logging the signer
 * cannot leak it.
 *
 * @throws RangeError when `seed` is not 32 bytes.
 */
export async function signerFromSeed(seed: Uint8Array): Promise<Ed25519Signer> {
  if (seed.length !== ED25519_SEED_BYTES) throw new RangeError(`an Ed25519 seed is ${ED25519_SEED_BYTES} bytes`);
  const secret = Uint8Array.from(seed);
  const publicKey = encodeBase64url(await getPublicKeyAsync(secret));
  return { publicKey, sign: (message) => signAsync(message, secret) };
}

/**
 * Decodes a published public key: exactly 43 base64url characters (no
 * padding) carrying 32 bytes. Only this canonical text is accepted, because
 * the fingerprint operators compare is a hash of the text, not the bytes.
 *
 * @returns the raw key, or `undefined` when the text is not canonical.
 */
export function decodePublicKey(text: string): Uint8Array | undefined {
  const bytes = decodeBase64url(text);
  return bytes?.length === ED25519_PUBLIC_KEY_BYTES ? bytes : undefined;
}

/**
 * Decodes a signature: base64url of 64 bytes, padded or not (§10 accepts
 * both; we emit unpadded).
 */
export function decodeSignature(text: string): Uint8Array | undefined {
  const bytes = decodeBase64url(text, { allowPadding: true });
  return bytes?.length === ED25519_SIGNATURE_BYTES ? bytes : undefined;
}

/**
 * True when `signature` is a valid strict Ed25519 signature of `message` by
 * `publicKey`. Wrong sizes, invalid points and non-canonical values are
 * `false`, never an exception: callers turn `false` into a stable code.
 */
export async function verifyEd25519(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): Promise<boolean> {
  if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  try {
    return await verifyAsync(signature, message, publicKey, { zip215: false });
  } catch {
    // noble throws on encodings that are not points; to a verifier that is just "not valid".
    return false;
  }
}

/**
 * The key fingerprint operators compare out of band before approving a peer
 * (§10): `"sha256:" + hex(sha256(utf8(pubkey_b64url)))`, a hash of the
 * published TEXT, exactly as the reference computes it.
 *
 * @example
 * pubkeyFingerprint("_NCsbDlmAwEc0PxQzCyIuoOZIFxA8bYTcg9xBvHHNDc"); // "sha256:…"
 */
export function pubkeyFingerprint(publicKeyB64url: string): string {
  return sha256Tagged(publicKeyB64url);
}
