import type { Migration } from "../migrate.js";

/**
 * Federation state (protocol.md §10).
 *
 * - `peers`: one row per peer node (unique `node_id`), with the declaration
 *   it registered (key, URL, scopes, signature), its status
 *   (`pending_verification` → `pending_approval` → `active`, or `rejected` /
 *   `revoked`), the scopes approved (the declared ones, possibly narrowed),
 *   and how we pull from it, read from its discovery document: `connect`
 *   (it announces the PullFacts stream: a node like this one) or `rest` (a
 *   reference node, paged over its REST route). A rejected or revoked peer that
 *   registers again is updated in place, keeping its `peer_id` and cursor.
 * - `peer_nonces`: the nonces of peer tokens already accepted, kept until
 *   `retain_until_ms` so a replay is refused across restarts.
 * - `replication_cursors`: per peer and direction (`inbound`: what we pulled
 *   from it), the opaque cursor committed with the last page, and what
 *   `stigmem peers status` shows (counts, last error, when last caught up).
 * - `fact_aliases`: the ids of facts a peer sent that deduplicated against a
 *   chain head with the same CID (§10 ingest step 4): no row was written, and
 *   a later copy with the same id is recognized as known.
 *
 * The feed itself needs no table: a fact's position in the commit-ordered
 * log is its `facts.rowid` (docs/storage.md, "The federation feed").
 */
export const m011Federation: Migration = {
  version: 11,
  name: "federation",
  sql: `
    CREATE TABLE peers (
      peer_id            TEXT PRIMARY KEY,
      node_id            TEXT NOT NULL UNIQUE,
      node_url           TEXT NOT NULL,
      pubkey             TEXT NOT NULL,
      declared_scopes    TEXT NOT NULL,
      allowed_scopes     TEXT NOT NULL,
      signed_at          TEXT NOT NULL,
      declaration_sig    TEXT NOT NULL,
      status             TEXT NOT NULL CHECK (status IN
                           ('pending_verification', 'pending_approval', 'active', 'rejected', 'revoked')),
      status_reason      TEXT,
      transport          TEXT CHECK (transport IN ('connect', 'rest')),
      trust              REAL NOT NULL DEFAULT 0.5,
      registered_at      TEXT NOT NULL,
      established_at     TEXT,
      status_changed_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE peer_nonces (
      nonce           TEXT PRIMARY KEY,
      peer_node_id    TEXT NOT NULL,
      retain_until_ms INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX peer_nonces_retention ON peer_nonces (retain_until_ms);

    CREATE TABLE replication_cursors (
      peer_id         TEXT NOT NULL,
      direction       TEXT NOT NULL CHECK (direction IN ('inbound')),
      cursor          TEXT,
      updated_ms      INTEGER NOT NULL,
      pages           INTEGER NOT NULL DEFAULT 0,
      accepted        INTEGER NOT NULL DEFAULT 0,
      duplicates      INTEGER NOT NULL DEFAULT 0,
      rejected        INTEGER NOT NULL DEFAULT 0,
      last_page_ms    INTEGER,
      caught_up_ms    INTEGER,
      last_error      TEXT,
      last_error_ms   INTEGER,
      PRIMARY KEY (peer_id, direction)
    ) STRICT;

    CREATE TABLE fact_aliases (
      id         TEXT PRIMARY KEY,
      fact_rowid INTEGER NOT NULL,
      peer_id    TEXT NOT NULL
    ) STRICT;
  `,
};
