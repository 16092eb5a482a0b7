import type { Migration } from "../migrate.js";

/**
 * `facts_fts` is no longer fed by a trigger on every fact insert; the write
 * queue indexes the new rows once per commit (store/lexical-index.ts).
 *
 * Why: FTS5 writes its pending terms out as a new segment whenever a
 * statement opens a savepoint, and every fact insert opened one (it fires a
 * trigger and checks unique indexes). The trigger therefore produced one
 * segment per fact, and merging those segments cost more than half of each
 * write. Rows the trigger already indexed are exactly those below the new
 * watermark (the greatest indexed rowid), so nothing is indexed twice.
 */
export const m007TextIndexPerCommit: Migration = {
  version: 7,
  name: "text_index_per_commit",
  sql: `
    DROP TRIGGER facts_fts_insert;
  `,
};
