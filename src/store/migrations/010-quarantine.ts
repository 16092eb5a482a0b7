import type { Migration } from "../migrate.js";

/**
 * `facts.quarantine`: the quarantine status a fact was stored with — NULL for
 * an ordinary fact, `pending` for one held back until a moderator decides
 * (an instruction-typed fact arriving from a peer, protocol.md §10 step 6).
 * The read rules (node/access/read-rules.ts) leave quarantined facts out of
 * every read. A later decision is a projection of its own, as supersession
 * is: `facts` stays append-only.
 */
export const m010Quarantine: Migration = {
  version: 10,
  name: "quarantine",
  sql: `
    ALTER TABLE facts ADD COLUMN quarantine TEXT;
  `,
};
