import type { Migration } from "../migrate.js";

/**
 * Looks facts up by the first 8 bytes of their CID's digest instead of by the
 * whole 71-character CID text. SHA-256 prefixes are as selective as the whole
 * digest for any store size we will see (a collision only costs comparing one
 * more row's full CID, which every lookup does anyway), and the index shrinks
 * from ~92 to ~20 bytes per fact, so far fewer of its pages compete for the
 * page cache and are rewritten on each commit. The expression must match
 * {@link CID_MATCH} in fact-store.ts exactly for SQLite to use it.
 */
export const m008CompactCidIndex: Migration = {
  version: 8,
  name: "compact_cid_index",
  sql: `
    DROP INDEX facts_cid;
    CREATE INDEX facts_cid_key ON facts (unhex(substr(cid, 8, 16)));
  `,
};
