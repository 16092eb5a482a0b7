/**
 * SQL of the semantic channel: the quantized codes (`fact_vector_codes`),
 * the embedding state (model, cursor) and, for models wider than
 * {@link INT8_MAX_DIMS}, the vec0 table of float vectors (`fact_vectors`,
 * cosine, partitioned by scope). Nothing of providers or queues.
 *
 * Models of at most {@link INT8_MAX_DIMS} dimensions keep no float vectors:
 * their int8 copies in the codes table are what recall scores with (within
 * about 1e-3 of the float cosine), so a float copy would cost a vec0 insert
 * per fact and 4 bytes per component for nothing. A `fact_vectors` table
 * left by an earlier version for such a model is dropped at open.
 *
 * vec0 binds its primary key as an SQLite INTEGER only when given a BigInt,
 * so rowids are passed as BigInt here.
 *
 * @module
 */
import type { Statement } from "better-sqlite3";
import type { Db } from "./database.js";

/**
 * Models up to this width are stored as int8 codes only (and searched through
 * int8 copies in memory); wider ones keep float vectors in `fact_vectors` and
 * rescore Hamming candidates with them.
 */
export const INT8_MAX_DIMS = 256;

/** One fact waiting to be embedded. */
export interface PendingFact {
  rowid: number;
  entity: string;
  relation: string;
  value_v: string;
  scope: string;
}

/** A stored vector ready to be written. */
export interface VectorRow {
  readonly rowid: number;
  readonly scope: string;
  readonly vector: Float32Array;
  readonly code: Uint16Array;
  /** int8 copy (see `int8Code`), for models of at most 256 dimensions; else null. */
  readonly q8: Uint8Array | null;
}

/** The quantized codes of one stored vector. */
export interface StoredCodes {
  fact_rowid: number;
  scope: string;
  code: Buffer;
  q8: Buffer | null;
}

interface State {
  model: string | null;
  dims: number | null;
  cursor: number;
  skipped: number;
}

const TABLE = "fact_vectors";

export class VectorStore {
  private readonly stmts;
  private vecStmts: {
    insert: Statement<[bigint, string, Buffer]>;
    knn: Statement<[Buffer, bigint, string], { rowid: number; distance: number }>;
    vector: Statement<[bigint], Buffer>;
  } | null = null;

  constructor(readonly db: Db) {
    this.stmts = {
      state: db.prepare<[], State>("SELECT model, dims, cursor, skipped FROM embed_state WHERE id = 1"),
      setModel: db.prepare("UPDATE embed_state SET model = ?, dims = NULL, cursor = 0, skipped = 0 WHERE id = 1"),
      setDims: db.prepare("UPDATE embed_state SET dims = ? WHERE id = 1"),
      advance: db.prepare("UPDATE embed_state SET cursor = ?, skipped = skipped + ? WHERE id = 1"),
      pending: db.prepare<[number, number], PendingFact>(
        "SELECT rowid, entity, relation, value_v, scope FROM facts WHERE rowid > ? ORDER BY rowid LIMIT ?",
      ),
      countAfter: db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM facts WHERE rowid > ?"),
      insertCode: db.prepare(
        "INSERT OR REPLACE INTO fact_vector_codes (fact_rowid, scope, code, q8) VALUES (?, ?, ?, ?)",
      ),
      codesAfter: db.prepare<[number, number], StoredCodes>(
        "SELECT fact_rowid, scope, code, q8 FROM fact_vector_codes WHERE fact_rowid > ? ORDER BY fact_rowid LIMIT ?",
      ),
      countCodes: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM fact_vector_codes"),
      clearCodes: db.prepare("DELETE FROM fact_vector_codes"),
    };
    const { dims } = this.state();
    if (dims !== null && keepsFloats(dims)) this.prepareVec();
    else if (dims !== null) this.db.exec(`DROP TABLE IF EXISTS ${TABLE}`);
  }

  /** Model and dims of the stored vectors, the cursor and the skipped count. */
  state(): State {
    return this.stmts.state.get()!;
  }

  /** Drops every stored vector and records `model` as the one being embedded; the cursor restarts at 0. */
  reset(model: string): void {
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${TABLE}`);
      this.stmts.clearCodes.run();
      this.stmts.setModel.run(model);
    })();
    this.vecStmts = null;
  }

  /** Facts after `cursor`, oldest first. */
  pending(cursor: number, limit: number): PendingFact[] {
    return this.stmts.pending.all(cursor, limit);
  }

  /** How many facts are not embedded yet. */
  backlog(): number {
    return this.stmts.countAfter.get(this.state().cursor)!.n;
  }

  /** How many vectors are stored. */
  count(): number {
    return this.stmts.countCodes.get()!.n;
  }

  /**
   * Stores `rows` and moves the cursor to `cursor`, counting `skipped`
   * refused facts, in one transaction. The vec0 table is created with the
   * width of the first vector written for a model.
   * Rows at or below the stored cursor are left out: another process (a
   * backfill beside a running node) has stored them already.
   * @throws Error when a vector's width differs from the stored model's, or
   *   the stored model is no longer `model` (reset by another process).
   */
  put(model: string, rows: readonly VectorRow[], cursor: number, skipped = 0): void {
    this.db.transaction(() => {
      const state = this.state();
      if (state.model !== model) throw new Error(`the stored embedding model changed to ${state.model}`);
      if (state.cursor >= cursor) return;
      rows = rows.filter((r) => r.rowid > state.cursor);
      if (rows.length > 0) {
        const dims = rows[0]!.vector.length;
        const stored = state.dims;
        if (stored === null) {
          if (keepsFloats(dims)) {
            this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${TABLE} USING vec0(
              fact_rowid INTEGER PRIMARY KEY,
              scope TEXT PARTITION KEY,
              embedding FLOAT[${dims}] distance_metric=cosine
            )`);
            this.prepareVec();
          }
          this.stmts.setDims.run(dims);
        } else if (stored !== dims) {
          throw new Error(`the embedder returned ${dims} dimensions but the stored vectors have ${stored}`);
        } else if (keepsFloats(dims) && this.vecStmts === null) {
          // Another process (a backfill beside a running node) created the table.
          this.prepareVec();
        }
        const vec = this.vecStmts;
        for (const r of rows) {
          if (r.vector.length !== dims) throw new Error(`vector of fact ${r.rowid} has ${r.vector.length} dimensions`);
          vec?.insert.run(BigInt(r.rowid), r.scope, bytes(r.vector));
          this.stmts.insertCode.run(r.rowid, r.scope, bytes(r.code), r.q8 === null ? null : bytes(r.q8));
        }
      }
      this.stmts.advance.run(cursor, skipped);
    })();
  }

  /** The `k` float vectors of `scope` nearest to `query` by cosine distance (vec0 brute force, exact); none for models without float vectors. */
  knn(query: Float32Array, scope: string, k: number): { rowid: number; distance: number }[] {
    if (this.vecStmts === null) return [];
    return this.vecStmts.knn.all(bytes(query), BigInt(k), scope);
  }

  /** The stored float vector of a fact, if embedded and the model keeps float vectors. */
  vector(rowid: number): Float32Array | undefined {
    if (this.vecStmts === null) return undefined;
    const blob = this.vecStmts.vector.get(BigInt(rowid));
    if (blob === undefined) return undefined;
    // Copy: the blob's offset inside Node's buffer pool need not be 4-aligned.
    const out = new Float32Array(blob.length / 4);
    new Uint8Array(out.buffer).set(blob);
    return out;
  }

  /** Quantized codes after `rowid`, for loading the in-memory index in slices. */
  codesAfter(rowid: number, limit: number): StoredCodes[] {
    return this.stmts.codesAfter.all(rowid, limit);
  }

  private prepareVec(): void {
    this.vecStmts = {
      insert: this.db.prepare<[bigint, string, Buffer]>(`INSERT INTO ${TABLE} (fact_rowid, scope, embedding) VALUES (?, ?, ?)`),
      knn: this.db.prepare<[Buffer, bigint, string], { rowid: number; distance: number }>(
        `SELECT fact_rowid AS rowid, distance FROM ${TABLE} WHERE embedding MATCH ? AND k = ? AND scope = ?`,
      ),
      vector: this.db.prepare<[bigint], Buffer>(`SELECT embedding FROM ${TABLE} WHERE fact_rowid = ?`).pluck(),
    };
  }
}

/** Whether vectors of `dims` components are stored as floats too (no int8 copy is kept for them). */
function keepsFloats(dims: number): boolean {
  return dims > INT8_MAX_DIMS;
}

/** The bytes of a typed array, without copying. */
function bytes(a: Float32Array | Uint16Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
