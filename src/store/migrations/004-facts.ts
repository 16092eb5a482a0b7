import type { Migration } from "../migrate.js";

/**
 * Facts and their projections (protocol.md §2, §4, §6, §11).
 *
 * - `facts` is append-only: triggers reject UPDATE and DELETE. Every piece of
 *   mutable state lives in a projection beside it.
 * - `fact_heads`: one row per chain K = (entity, relation, scope, source),
 *   pointing at the chain's ≺-greatest fact, with what the current view needs
 *   (liveness, value key, the head's local HLC for keyset paging).
 * - `fact_triples`: per triple T, whether its live heads disagree and which
 *   value wins, so the default view can show winners only; `next_expiry_ms`
 *   is when the first of those heads expires, after which the verdict is
 *   recomputed (node/facts/expiry-sweeper.ts).
 * - `fact_overruled`: facts a conflict resolution overruled.
 * - `conflicts`: first-class conflict records.
 * - `facts_fts`: FTS5 over entity, relation and value (external content).
 * - `fact_edges`: `ref` values as graph edges.
 * - `fact_chain`: the ref-compatible hash chain over local writes. Only the
 *   link hash is stored (32 raw bytes); the event hash, the previous hash and
 *   `created_at` (the fact's timestamp) are recomputed from `facts` when the
 *   chain is verified, which keeps the chain at ~50 bytes per fact.
 * - `idempotency_keys`: batch idempotency, kept 24 h.
 *
 * Row references to `facts.rowid` carry no FOREIGN KEY clause on purpose:
 * facts are never deleted (triggers), so the references cannot dangle, and
 * SQLite's per-row foreign-key checks cost several times the write itself.
 */
export const m004Facts: Migration = {
  version: 4,
  name: "facts",
  sql: `
    CREATE TABLE facts (
      rowid          INTEGER PRIMARY KEY,
      id             TEXT NOT NULL UNIQUE,
      entity         TEXT NOT NULL,
      relation       TEXT NOT NULL,
      value_type     TEXT NOT NULL,
      value_v        TEXT NOT NULL,
      interpret_as   TEXT NOT NULL,
      source         TEXT NOT NULL,
      confidence     REAL NOT NULL,
      scope          TEXT NOT NULL,
      garden_id      TEXT,
      valid_until    TEXT,
      valid_until_ms INTEGER,
      timestamp      TEXT NOT NULL,
      hlc_w          INTEGER NOT NULL,
      hlc_c          INTEGER NOT NULL,
      origin_hlc_w   INTEGER NOT NULL,
      origin_hlc_c   INTEGER NOT NULL,
      origin_node_id TEXT,
      received_from  TEXT,
      actor          TEXT,
      cid            TEXT NOT NULL,
      supersedes     TEXT,
      write_mode     TEXT,
      derived_from   TEXT
    ) STRICT;
    CREATE UNIQUE INDEX facts_hlc ON facts (hlc_w, hlc_c);
    CREATE INDEX facts_cid ON facts (cid);
    CREATE INDEX facts_entity_hlc ON facts (entity, hlc_w, hlc_c);
    CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts
      BEGIN SELECT RAISE(ABORT, 'facts are immutable'); END;
    CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts
      BEGIN SELECT RAISE(ABORT, 'facts are immutable'); END;

    CREATE TABLE fact_heads (
      chain_id    INTEGER PRIMARY KEY,
      entity      TEXT NOT NULL,
      relation    TEXT NOT NULL,
      scope       TEXT NOT NULL,
      source      TEXT NOT NULL,
      head_rowid  INTEGER NOT NULL,
      hlc_w       INTEGER NOT NULL,
      hlc_c       INTEGER NOT NULL,
      live        INTEGER NOT NULL,
      value_key   TEXT NOT NULL,
      UNIQUE (entity, relation, scope, source)
    ) STRICT;
    CREATE INDEX fact_heads_hlc ON fact_heads (hlc_w, hlc_c);
    CREATE INDEX fact_heads_entity_hlc ON fact_heads (entity, hlc_w, hlc_c);
    CREATE INDEX fact_heads_relation_hlc ON fact_heads (relation, hlc_w, hlc_c);
    CREATE INDEX fact_heads_source_hlc ON fact_heads (source, hlc_w, hlc_c);
    CREATE UNIQUE INDEX fact_heads_head ON fact_heads (head_rowid);

    CREATE TABLE fact_triples (
      entity       TEXT NOT NULL,
      relation     TEXT NOT NULL,
      scope        TEXT NOT NULL,
      contradicted   INTEGER NOT NULL,
      winner_key     TEXT,
      next_expiry_ms INTEGER,
      PRIMARY KEY (entity, relation, scope)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX fact_triples_expiry ON fact_triples (next_expiry_ms) WHERE next_expiry_ms IS NOT NULL;

    CREATE TABLE fact_overruled (
      fact_rowid         INTEGER PRIMARY KEY,
      conflict_id        TEXT NOT NULL,
      resolution_fact_id TEXT NOT NULL
    ) STRICT;

    CREATE TABLE conflicts (
      conflict_id     TEXT PRIMARY KEY,
      fact_a_rowid    INTEGER NOT NULL,
      fact_b_rowid    INTEGER NOT NULL,
      entity          TEXT NOT NULL,
      relation        TEXT NOT NULL,
      scope           TEXT NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('unresolved', 'resolved')),
      detected_at     TEXT NOT NULL,
      seq             INTEGER NOT NULL UNIQUE,
      resolved_by     TEXT,
      resolution_note TEXT,
      resolver        TEXT,
      resolved_at     TEXT,
      UNIQUE (fact_a_rowid, fact_b_rowid)
    ) STRICT;
    CREATE INDEX conflicts_status_seq ON conflicts (status, seq);

    CREATE VIRTUAL TABLE facts_fts USING fts5 (
      entity, relation, value_v,
      content = 'facts', content_rowid = 'rowid',
      tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
      INSERT INTO facts_fts (rowid, entity, relation, value_v) VALUES (new.rowid, new.entity, new.relation, new.value_v);
    END;

    CREATE TABLE fact_edges (
      fact_rowid INTEGER PRIMARY KEY,
      src        TEXT NOT NULL,
      dst        TEXT NOT NULL,
      relation   TEXT NOT NULL,
      scope      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX fact_edges_src ON fact_edges (src, scope);
    CREATE INDEX fact_edges_dst ON fact_edges (dst, scope);

    CREATE TABLE fact_chain (
      chain_seq  INTEGER PRIMARY KEY,
      fact_rowid INTEGER NOT NULL,
      chain_hash BLOB NOT NULL
    ) STRICT;
    CREATE TRIGGER fact_chain_no_update BEFORE UPDATE ON fact_chain
      BEGIN SELECT RAISE(ABORT, 'fact_chain is append-only'); END;
    CREATE TRIGGER fact_chain_no_delete BEFORE DELETE ON fact_chain
      BEGIN SELECT RAISE(ABORT, 'fact_chain is append-only'); END;

    CREATE TABLE idempotency_keys (
      actor      TEXT NOT NULL,
      key        TEXT NOT NULL,
      body_hash  TEXT NOT NULL,
      response   TEXT NOT NULL,
      created_ms INTEGER NOT NULL,
      PRIMARY KEY (actor, key)
    ) STRICT;
    CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ms);
  `,
};
