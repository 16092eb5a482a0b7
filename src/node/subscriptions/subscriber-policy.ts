/**
 * What a stored subscription may be told of now: the read policy of the key
 * that created it, read again at every fan-out and delivery (protocol.md §7:
 * the ACL and key are re-checked at delivery). A revoked, deleted or expired
 * key gives nothing; a subscription made without auth (loopback no-auth
 * mode) reads as that mode's caller does.
 *
 * @module
 */
import type { Condition } from "../../core/access/condition.js";
import { formatTimestamp } from "../../core/timestamp.js";
import type { SubscriptionRecord } from "../../store/subscription-store.js";
import { visibilityOf, type ReadPolicy } from "../access/read-policy.js";
import { watchCondition } from "../access/read-rules.js";
import { keyPrincipal } from "../auth/api-key.js";
import type { KeyRegistry } from "../auth/key-registry.js";
import { ANON_TRUSTED } from "../principal.js";

/** The policy of `sub`'s key now; null when the key no longer reads (revoked, deleted, expired, no `read`). */
export function subscriberPolicy(keys: KeyRegistry, sub: Pick<SubscriptionRecord, "keyId">, nowMs: number): ReadPolicy | null {
  if (sub.keyId === null) return visibilityOf(ANON_TRUSTED);
  const key = keys.store.findById(sub.keyId);
  if (key === undefined || key.revokedAt !== null) return null;
  if (key.expiresAt !== null && key.expiresAt <= formatTimestamp(nowMs)) return null;
  const principal = keyPrincipal(key);
  if (!principal.permissions.includes("read")) return null;
  return visibilityOf(principal);
}

/** The facts `sub` is told of under `policy`: its target, the access rules, any state. */
export function subscriptionCondition(policy: ReadPolicy, sub: Pick<SubscriptionRecord, "target" | "targetKind">): Condition {
  return watchCondition(policy, sub.targetKind === "scope" ? { scope: sub.target } : { entity: sub.target });
}
