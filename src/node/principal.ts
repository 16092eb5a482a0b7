/**
 * Who is calling, and what they may do. Every use case receives a
 * {@link Principal} and checks it before reading anything (protocol.md §8).
 *
 * @module
 */
import type { Scope } from "../core/scope.js";
import { AppError } from "./app-error.js";

/** The seven permissions of protocol.md §8. */
export const PERMISSIONS = [
  "read",
  "write",
  "instruction:write",
  "federate",
  "admin:federation",
  "admin",
  "audit.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Principal {
  /** Normalized entity URI the key acts as, e.g. `agent:admin`. */
  readonly entityUri: string;
  readonly permissions: readonly Permission[];
  /** Scopes the key may use; `null` means every scope. */
  readonly allowedScopes: readonly Scope[] | null;
  /** Id of the API key, or null for the no-auth principal. */
  readonly keyId: string | null;
}

/** The caller in no-auth mode (loopback only, protocol.md §8). */
export const ANON_TRUSTED: Principal = Object.freeze({
  entityUri: "anon:trusted",
  permissions: Object.freeze(["read", "write", "federate"] as Permission[]),
  allowedScopes: null,
  keyId: null,
});

/** The caller of an open route who presented no usable key: may do nothing that needs a permission. */
export const ANONYMOUS: Principal = Object.freeze({
  entityUri: "anon:public",
  permissions: Object.freeze([] as Permission[]),
  allowedScopes: Object.freeze([]),
  keyId: null,
});

export function hasPermission(p: Principal, perm: Permission): boolean {
  return p.permissions.includes(perm);
}

/** @throws AppError permission_denied naming the missing permission. */
export function requirePermission(p: Principal, perm: Permission): void {
  if (!hasPermission(p, perm)) {
    throw new AppError("permission_denied", `this operation needs the "${perm}" permission`, {
      details: { required_permission: perm },
    });
  }
}

/** Whether the key may read or write facts in `scope`. */
export function scopeAllowed(p: Principal, scope: string): boolean {
  return p.allowedScopes === null || (p.allowedScopes as readonly string[]).includes(scope);
}

/** @throws AppError scope_not_allowed when the key may not use `scope` (protocol.md §8: enforced). */
export function requireScope(p: Principal, scope: string): void {
  if (!scopeAllowed(p, scope)) {
    throw new AppError("scope_not_allowed", `this key may not use scope "${scope}"`, { details: { scope } });
  }
}
