import type { Migration } from "../migrate.js";

/**
 * Embedding bookkeeping for recall's semantic channel (protocol.md §9).
 *
 * - `embed_state`: one row: the model whose vectors are stored (`model`, its
 *   `dims`), the embedding `cursor` (every fact with a rowid ≤ cursor has been
 *   embedded or skipped, so a restart resumes there) and how many facts the
 *   provider refused (`skipped`).
 * - `fact_vector_codes`: the quantized index: per embedded fact, its scope,
 *   the sign bits of its vector (`code`) and, for models of at most 256
 *   dimensions, an int8 copy (`q8`: float32 scale, then one byte per
 *   component). Loaded into memory: Hamming pre-selection over the bits,
 *   then int8 scoring (or, for wider models, float rescoring from `fact_vectors`).
 *
 * Float vectors of models wider than 256 dimensions live in the vec0 table
 * `fact_vectors` (`distance_metric=cosine`, partitioned by scope). Its width
 * depends on the configured model, so `src/store/vector-store.ts` creates it
 * and recreates it when the model changes; it is not part of this migration.
 */
export const m005Embeddings: Migration = {
  version: 5,
  name: "embeddings",
  sql: `
    CREATE TABLE embed_state (
      id      INTEGER PRIMARY KEY CHECK (id = 1),
      model   TEXT,
      dims    INTEGER,
      cursor  INTEGER NOT NULL,
      skipped INTEGER NOT NULL
    ) STRICT;
    INSERT INTO embed_state (id, model, dims, cursor, skipped) VALUES (1, NULL, NULL, 0, 0);

    CREATE TABLE fact_vector_codes (
      fact_rowid INTEGER PRIMARY KEY,
      scope      TEXT NOT NULL,
      code       BLOB NOT NULL,
      q8         BLOB
    ) STRICT;
  `,
};
