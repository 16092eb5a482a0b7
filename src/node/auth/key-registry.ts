/**
 * The node's API keys as the use cases see them: the table, the audit log
 * key changes are recorded in, the clock, and the 60 s authentication cache
 * (protocol.md §8). One registry per open database; `StigmemNode` holds the
 * server's, the offline CLI makes its own.
 *
 * @module
 */
import type { AuditLog } from "../../store/audit-log.js";
import type { KeyStore, StoredKey } from "../../store/key-store.js";
import type { Storage } from "../../store/storage.js";

/** How long a looked-up key is trusted without asking the database again. */
export const KEY_CACHE_TTL_MS = 60_000;
/** Upper bound of cached keys; the oldest entry goes first. */
const KEY_CACHE_MAX = 10_000;

/** API keys of one database, with the authentication cache. */
export class KeyRegistry {
  readonly store: KeyStore;
  readonly audit: AuditLog;
  private readonly cache = new Map<string, { key: StoredKey; at: number }>();
  private flushes = 0;

  constructor(
    private readonly storage: Pick<Storage, "keys" | "audit" | "transaction">,
    /** Epoch milliseconds; injectable for tests. */
    readonly now: () => number = Date.now,
  ) {
    this.store = storage.keys;
    this.audit = storage.audit;
  }

  /** Runs a key change and its audit entry in one transaction of their own. */
  transaction<T>(work: () => T): T {
    return this.storage.transaction(work);
  }

  /**
   * The stored key with this hash, revoked and expired ones included (the
   * caller decides). Found keys are cached for {@link KEY_CACHE_TTL_MS};
   * misses are not, so a key works the moment it is created.
   */
  lookup(keyHash: string): StoredKey | undefined {
    const now = this.now();
    const hit = this.cache.get(keyHash);
    if (hit !== undefined && now - hit.at < KEY_CACHE_TTL_MS) return hit.key;
    this.cache.delete(keyHash);
    const key = this.store.findByHash(keyHash);
    if (key !== undefined) {
      if (this.cache.size >= KEY_CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(keyHash, { key, at: now });
    }
    return key;
  }

  /** Forgets every cached key, so a revocation takes effect on the next request. */
  flush(): void {
    this.cache.clear();
    this.flushes += 1;
  }

  /**
   * Moves on every {@link flush}: holders of a key's principal that outlive
   * a request (live watchers) read the key again when it changed.
   */
  get revision(): number {
    return this.flushes;
  }
}
