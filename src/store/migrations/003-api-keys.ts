import type { Migration } from "../migrate.js";

/**
 * API keys (protocol.md §8). Only `sha256_hex(raw)` is stored, under a
 * UNIQUE index, so authenticating is one indexed lookup and a stolen
 * database reveals no usable secret. `permissions` and `allowed_scopes` are
 * JSON arrays (`allowed_scopes` NULL = every scope). Instants use the fixed
 * fact-timestamp text (`…T…ffffff+00:00`), so they compare correctly as text.
 * Revocation sets `revoked_at`; rows are never deleted, so the audit log can
 * always name the key an entry refers to.
 */
export const m003ApiKeys: Migration = {
  version: 3,
  name: "api_keys",
  sql: `
    CREATE TABLE api_keys (
      id             TEXT PRIMARY KEY,
      key_hash       TEXT NOT NULL CHECK (length(key_hash) = 64),
      entity_uri     TEXT NOT NULL,
      permissions    TEXT NOT NULL,
      allowed_scopes TEXT,
      description    TEXT,
      created_at     TEXT NOT NULL,
      expires_at     TEXT,
      revoked_at     TEXT,
      created_by     TEXT NOT NULL,
      tenant_id      TEXT NOT NULL DEFAULT 'default'
    ) STRICT;
    CREATE UNIQUE INDEX api_keys_key_hash ON api_keys (key_hash);
    CREATE INDEX api_keys_entity_uri ON api_keys (entity_uri, created_at);
  `,
};
