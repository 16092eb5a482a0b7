import type { Migration } from "../migrate.js";

/**
 * Memory cards (protocol.md §9): one cached card per (entity, scope), rebuilt
 * when stale. Freshness is decided by the node (committed writes touching
 * the entity, `expires_ms` — the earliest `valid_until` among the card's
 * facts — and `format_version`); this table only keeps what was built.
 * `fact_hashes` is a JSON array of CIDs. A card with `fact_count = 0`
 * remembers that nothing was there to summarize.
 */
export const m006Cards: Migration = {
  version: 6,
  name: "memory_cards",
  sql: `
    CREATE TABLE memory_cards (
      entity             TEXT NOT NULL,
      scope              TEXT NOT NULL,
      format_version     INTEGER NOT NULL,
      summary            TEXT NOT NULL,
      fact_hashes        TEXT NOT NULL,
      avg_confidence     REAL NOT NULL,
      has_contradictions INTEGER NOT NULL,
      fact_count         INTEGER NOT NULL,
      expires_ms         INTEGER,
      newest_hlc_w       INTEGER NOT NULL,
      newest_hlc_c       INTEGER NOT NULL,
      refreshed_at       TEXT NOT NULL,
      PRIMARY KEY (entity, scope)
    ) STRICT, WITHOUT ROWID;
  `,
};
