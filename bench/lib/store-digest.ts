/**
 * A digest of each part of a node's store — its rows, projections,
 * conflicts, fact chain and text index — read straight from the database
 * file, so the import benchmark can check at full size that the bulk load
 * built what the online path built (the equivalence test checks the same
 * thing row by row at test size). `fact_heads.chain_id`, a surrogate key
 * no reader sees, is left out.
 *
 * @module
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";

const PARTS: Record<string, string> = {
  facts: "SELECT rowid, * FROM facts ORDER BY rowid",
  heads: "SELECT entity, relation, scope, source, head_rowid, hlc_w, hlc_c, live, value_key FROM fact_heads ORDER BY entity, relation, scope, source",
  triples: "SELECT * FROM fact_triples ORDER BY entity, relation, scope",
  overruled: "SELECT * FROM fact_overruled ORDER BY fact_rowid",
  conflicts: "SELECT * FROM conflicts ORDER BY seq",
  edges: "SELECT * FROM fact_edges ORDER BY fact_rowid",
  chain: "SELECT chain_seq, fact_rowid, hex(chain_hash) FROM fact_chain ORDER BY chain_seq",
  "text index": "SELECT id, sz FROM facts_fts_docsize ORDER BY id",
};

/** Part name → row count and SHA-256 of its rows in order. */
export function storeDigest(file: string): Record<string, { rows: number; sha256: string }> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const out: Record<string, { rows: number; sha256: string }> = {};
    for (const [part, sql] of Object.entries(PARTS)) {
      const h = createHash("sha256");
      let rows = 0;
      for (const row of db.prepare(sql).raw().iterate()) {
        h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("hex") : v)));
        h.update("\n");
        rows++;
      }
      out[part] = { rows, sha256: h.digest("hex") };
    }
    return out;
  } finally {
    db.close();
  }
}

/** The parts whose digests differ between two stores. */
export function digestDifferences(a: ReturnType<typeof storeDigest>, b: ReturnType<typeof storeDigest>): string[] {
  return Object.keys(a).filter((k) => a[k]!.sha256 !== b[k]?.sha256);
}
