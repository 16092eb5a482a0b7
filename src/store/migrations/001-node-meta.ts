import type { Migration } from "../migrate.js";

/** Key/value facts about this node itself: its id, its clock. */
export const m001NodeMeta: Migration = {
  version: 1,
  name: "node_meta",
  sql: `
    CREATE TABLE node_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `,
};
