/**
 * The caller of a long-lived stream or subscription, re-checked for as long
 * as it lives (protocol.md §7 "Subscriptions": the ACL and key are
 * re-checked when an event is delivered). A request authenticates once; a
 * watcher outlives that moment, so before each event it asks this object
 * for the read policy in force, and a key revoked or expired since ends it
 * with the code a new request would get (`invalid_api_key`,
 * `api_key_expired`).
 *
 * The key row is read again when the node's key registry flushed (every
 * revocation through this node does) and at least every
 * {@link RECHECK_MS} (a revocation by the offline CLI on the same data
 * folder); expiry is compared on every call.
 *
 * @module
 */
import { formatTimestamp } from "../../core/timestamp.js";
import { AppError } from "../app-error.js";
import { keyPrincipal } from "../auth/api-key.js";
import type { KeyRegistry } from "../auth/key-registry.js";
import { readPolicyFor, type ReadPolicy } from "../access/read-policy.js";
import type { Principal } from "../principal.js";

/** Longest time a key is trusted without reading its row again. */
export const RECHECK_MS = 1_000;

export class LiveCaller {
  private current: ReadPolicy;
  private revision: number;
  private checkedAt: number;
  private expiresAt: string | null = null;

  /**
   * @throws AppError permission_denied when `principal` lacks `read`.
   */
  constructor(
    private readonly keys: KeyRegistry,
    readonly principal: Principal,
  ) {
    this.current = readPolicyFor(principal);
    this.revision = keys.revision;
    // The first call reads the key row, learning when it expires.
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * The read policy in force now.
   * @throws AppError invalid_api_key (revoked or deleted key), api_key_expired.
   */
  policy(): ReadPolicy {
    const keyId = this.principal.keyId;
    if (keyId === null) return this.current;
    const now = this.keys.now();
    if (this.keys.revision !== this.revision || now - this.checkedAt >= RECHECK_MS) {
      this.revision = this.keys.revision;
      this.checkedAt = now;
      const key = this.keys.store.findById(keyId);
      if (key === undefined || key.revokedAt !== null) throw new AppError("invalid_api_key", "the API key is not valid");
      this.expiresAt = key.expiresAt;
      this.current = readPolicyFor(keyPrincipal(key));
    }
    if (this.expiresAt !== null && this.expiresAt <= formatTimestamp(now)) throw new AppError("api_key_expired", "the API key has expired");
    return this.current;
  }
}
