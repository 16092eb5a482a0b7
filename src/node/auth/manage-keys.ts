/**
 * Listing and revoking API keys, and telling a caller who it is
 * (protocol.md §7–8). A key's owner is the entity it acts as; `admin` sees
 * and revokes every key. Revocation commits with its `key_revoked` audit
 * entry and flushes the authentication cache, so the key fails at once.
 *
 * @module
 */
import { formatTimestamp } from "../../core/timestamp.js";
import type { Scope } from "../../core/scope.js";
import { AppError } from "../app-error.js";
import { hasPermission, type Permission, type Principal } from "../principal.js";
import { keyInfo, TENANT_ID, type KeyInfo } from "./api-key.js";
import type { KeyRegistry } from "./key-registry.js";

/**
 * Keys the caller may see, oldest first: all of them for `admin`, otherwise
 * those acting as the caller's entity. Revoked and expired keys are not
 * listed (they can no longer be used or revoked).
 */
export function listKeys(reg: KeyRegistry, caller: Principal): KeyInfo[] {
  const now = formatTimestamp(reg.now());
  const keys = hasPermission(caller, "admin") ? reg.store.listActive(now) : reg.store.listActive(now, caller.entityUri);
  return keys.map(keyInfo);
}

/**
 * Revokes a key of the caller's (or any key, for `admin`).
 * @throws AppError not_found when the key does not exist, is already revoked,
 *   or belongs to someone else (its existence is not revealed).
 */
export function revokeKey(reg: KeyRegistry, caller: Principal, keyId: string): void {
  const now = reg.now();
  const revokedAt = formatTimestamp(now);
  reg.transaction(() => {
    const key = reg.store.findById(keyId);
    const visible = key !== undefined && (hasPermission(caller, "admin") || key.entityUri === caller.entityUri);
    if (!visible || !reg.store.revoke(key.id, revokedAt)) {
      throw new AppError("not_found", "no such key", { details: { key_id: keyId } });
    }
    reg.audit.append(
      {
        eventType: "key_revoked",
        actor: caller.entityUri,
        outcome: "success",
        detail: { key_id: key.id, entity_uri: key.entityUri },
      },
      now,
    );
  });
  reg.flush();
}

/** The caller's identity (REST GET /v1/me). */
export interface WhoAmI {
  readonly entityUri: string;
  readonly permissions: readonly Permission[];
  readonly oidcSub: null;
  readonly tenantId: string;
  readonly allowedScopes: readonly Scope[] | null;
  /** Null in no-auth mode without a key. */
  readonly keyId: string | null;
}

/** Describes `caller`; any authenticated caller may ask (`anon:trusted` in no-auth mode). */
export function whoAmI(caller: Principal): WhoAmI {
  return {
    entityUri: caller.entityUri,
    permissions: caller.permissions,
    oidcSub: null,
    tenantId: TENANT_ID,
    allowedScopes: caller.allowedScopes,
    keyId: caller.keyId,
  };
}
