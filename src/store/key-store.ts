/**
 * Queries of the `api_keys` table. Keys are found by the SHA-256 of their
 * secret (one indexed lookup) or by id; the raw secret never reaches this
 * file. Rows are never deleted: revocation stamps `revoked_at`.
 *
 * @module
 */
import type { Db } from "./database.js";

/** One stored key, decoded. Instants are fact-timestamp text (`…ffffff+00:00`). */
export interface StoredKey {
  readonly id: string;
  readonly keyHash: string;
  readonly entityUri: string;
  readonly permissions: readonly string[];
  /** `null` means every scope. */
  readonly allowedScopes: readonly string[] | null;
  readonly description: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly createdBy: string;
  readonly tenantId: string;
}

interface Row {
  id: string;
  key_hash: string;
  entity_uri: string;
  permissions: string;
  allowed_scopes: string | null;
  description: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  created_by: string;
  tenant_id: string;
}

/** The `api_keys` table. Every method runs in the caller's transaction, if any. */
export class KeyStore {
  private readonly byHashStmt;
  private readonly byIdStmt;
  private readonly insertStmt;
  private readonly revokeStmt;
  private readonly activeStmt;
  private readonly activeByEntityStmt;
  private readonly countActiveStmt;
  private readonly endedSinceStmt;

  constructor(db: Db) {
    this.byHashStmt = db.prepare<[string], Row>("SELECT * FROM api_keys WHERE key_hash = ?");
    this.byIdStmt = db.prepare<[string], Row>("SELECT * FROM api_keys WHERE id = ?");
    this.insertStmt = db.prepare(
      `INSERT INTO api_keys (id, key_hash, entity_uri, permissions, allowed_scopes, description,
                             created_at, expires_at, revoked_at, created_by, tenant_id)
       VALUES (@id, @key_hash, @entity_uri, @permissions, @allowed_scopes, @description,
               @created_at, @expires_at, @revoked_at, @created_by, @tenant_id)`,
    );
    this.revokeStmt = db.prepare<[string, string]>(
      "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
    );
    // "Active" = not revoked and not expired at the given instant (text order is time order).
    // Listed oldest first; rowid breaks ties in insertion order.
    const active = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)";
    this.activeStmt = db.prepare<[{ now: string }], Row>(
      `SELECT * FROM api_keys WHERE ${active} ORDER BY created_at, rowid`,
    );
    this.activeByEntityStmt = db.prepare<[{ now: string; entity: string }], Row>(
      `SELECT * FROM api_keys WHERE entity_uri = @entity AND ${active} ORDER BY created_at, rowid`,
    );
    this.countActiveStmt = db.prepare<[{ now: string }], { n: number }>(
      `SELECT COUNT(*) AS n FROM api_keys WHERE ${active}`,
    );
    this.endedSinceStmt = db.prepare<[{ since: string; now: string }], Row>(
      `SELECT * FROM api_keys
        WHERE revoked_at >= @since OR (revoked_at IS NULL AND expires_at > @since AND expires_at <= @now)
        ORDER BY COALESCE(revoked_at, expires_at) DESC, rowid DESC`,
    );
  }

  findByHash(keyHash: string): StoredKey | undefined {
    const row = this.byHashStmt.get(keyHash);
    return row === undefined ? undefined : decode(row);
  }

  findById(id: string): StoredKey | undefined {
    const row = this.byIdStmt.get(id);
    return row === undefined ? undefined : decode(row);
  }

  /** @throws SqliteError SQLITE_CONSTRAINT_UNIQUE when the hash (or id) is taken. */
  insert(key: StoredKey): void {
    this.insertStmt.run({
      id: key.id,
      key_hash: key.keyHash,
      entity_uri: key.entityUri,
      permissions: JSON.stringify(key.permissions),
      allowed_scopes: key.allowedScopes === null ? null : JSON.stringify(key.allowedScopes),
      description: key.description,
      created_at: key.createdAt,
      expires_at: key.expiresAt,
      revoked_at: key.revokedAt,
      created_by: key.createdBy,
      tenant_id: key.tenantId,
    });
  }

  /** Stamps `revoked_at`; false when the key does not exist or was already revoked. */
  revoke(id: string, at: string): boolean {
    return this.revokeStmt.run(at, id).changes === 1;
  }

  /** Keys neither revoked nor expired at `now`, oldest first; only `entityUri`'s when given. */
  listActive(now: string, entityUri?: string): StoredKey[] {
    const rows =
      entityUri === undefined
        ? this.activeStmt.all({ now })
        : this.activeByEntityStmt.all({ now, entity: entityUri });
    return rows.map(decode);
  }

  /** Keys that stopped working after `since`: revoked then, or expired by `now`; most recent first. */
  listEndedSince(since: string, now: string): StoredKey[] {
    return this.endedSinceStmt.all({ since, now }).map(decode);
  }

  /** How many keys are neither revoked nor expired at `now`. */
  countActive(now: string): number {
    return this.countActiveStmt.get({ now })?.n ?? 0;
  }
}

function decode(row: Row): StoredKey {
  return {
    id: row.id,
    keyHash: row.key_hash,
    entityUri: row.entity_uri,
    permissions: JSON.parse(row.permissions) as string[],
    allowedScopes: row.allowed_scopes === null ? null : (JSON.parse(row.allowed_scopes) as string[]),
    description: row.description,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdBy: row.created_by,
    tenantId: row.tenant_id,
  };
}
