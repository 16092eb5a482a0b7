/**
 * What an API key is (protocol.md §8): its secret format, its stored hash,
 * and the principal and public record derived from a stored row. Pure
 * functions; storage lives in store/key-store.ts, use cases next to this file.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import type { Scope } from "../../core/scope.js";
import { isScope } from "../../core/scope.js";
import type { StoredKey } from "../../store/key-store.js";
import { PERMISSIONS, type Permission, type Principal } from "../principal.js";

/** Prefix of node-generated keys, so they are recognisable in a leak scan. */
export const KEY_PREFIX = "stgm_";
/** Shortest caller-supplied key, in characters (protocol.md §8). */
export const MIN_KEY_LENGTH = 32;
/** Longest caller-supplied key, in characters. */
export const MAX_KEY_LENGTH = 256;
/** Default and maximum lifetime of a key: 90 days (protocol.md §8). */
export const MAX_KEY_LIFETIME_MS = 90 * 86_400_000;
/** The only tenant this node knows. */
export const TENANT_ID = "default";

/** Bytes a header value can carry and a shell can paste: visible ASCII, no spaces. */
const KEY_CHARSET = /^[\x21-\x7e]+$/;

/**
 * A fresh key: `stgm_` + base64url(32 random bytes), 48 characters.
 * @example generateRawKey(); // "stgm_9Qm1xv0cM2bq7nQf3u8LrWc1yVt4ZkA6pE5sJd0hGiO"
 */
export function generateRawKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** `sha256_hex(raw)`: the only form of a key the node stores. */
export function hashKey(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

/** Why a raw key cannot be used, or undefined when it can. */
export function rawKeyProblem(raw: string): "length" | "charset" | undefined {
  const length = [...raw].length;
  if (length < MIN_KEY_LENGTH || length > MAX_KEY_LENGTH) return "length";
  // A key with spaces or non-ASCII characters could never be sent in an
  // Authorization header, so it is refused rather than stored unusable.
  if (!KEY_CHARSET.test(raw)) return "charset";
  return undefined;
}

/** A key as callers see it: everything but the secret. */
export interface KeyInfo {
  readonly id: string;
  readonly entityUri: string;
  readonly permissions: readonly Permission[];
  readonly allowedScopes: readonly Scope[] | null;
  readonly description: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly tenantId: string;
}

/** The public record of a stored key. */
export function keyInfo(k: StoredKey): KeyInfo {
  return {
    id: k.id,
    entityUri: k.entityUri,
    permissions: knownPermissions(k.permissions),
    allowedScopes: k.allowedScopes === null ? null : k.allowedScopes.filter(isScope),
    description: k.description,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    tenantId: k.tenantId,
  };
}

/** The principal a stored key authenticates as. */
export function keyPrincipal(k: StoredKey): Principal {
  return Object.freeze({
    entityUri: k.entityUri,
    permissions: Object.freeze(knownPermissions(k.permissions)),
    allowedScopes: k.allowedScopes === null ? null : Object.freeze(k.allowedScopes.filter(isScope)),
    keyId: k.id,
  });
}

/** Stored permissions this build understands, in canonical order (a newer build's extras are dropped). */
function knownPermissions(stored: readonly string[]): Permission[] {
  return PERMISSIONS.filter((p) => stored.includes(p));
}
