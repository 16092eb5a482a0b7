/**
 * Everything a node's store answers from, read out of its database file as
 * plain rows, so two stores built different ways (online writes, a bulk
 * import, a resumed import) can be compared with one `toEqual`. Internal
 * surrogate keys that no reader sees (`fact_heads.chain_id`) are left out;
 * the full-text index is compared by what it finds.
 *
 * @module
 */
import Database from "better-sqlite3";

/** Terms whose full-text matches are compared (rowids, in order). */
const FTS_TERMS = ["alice", "berlin", "engineer", "quarantined", "disputed", "peer", "retired", "note*", "stigmem", "company"];

export interface StoreSnapshot {
  readonly facts: unknown[];
  readonly heads: unknown[];
  readonly triples: unknown[];
  readonly overruled: unknown[];
  readonly conflicts: unknown[];
  readonly edges: unknown[];
  readonly chain: unknown[];
  readonly textMatches: Record<string, number[]>;
  readonly textDocs: number;
  readonly nodeId: unknown;
}

/** The store of the database file at `file` (opened read-only), or of an open connection. */
export function storeSnapshot(source: string | Database.Database): StoreSnapshot {
  const db = typeof source === "string" ? new Database(source, { readonly: true }) : source;
  try {
    const all = (sql: string): unknown[] => db.prepare(sql).all();
    const match = db.prepare("SELECT rowid FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rowid").pluck();
    return {
      facts: all("SELECT rowid, * FROM facts ORDER BY rowid"),
      heads: all(
        "SELECT entity, relation, scope, source, head_rowid, hlc_w, hlc_c, live, value_key FROM fact_heads ORDER BY entity, relation, scope, source",
      ),
      triples: all("SELECT * FROM fact_triples ORDER BY entity, relation, scope"),
      overruled: all("SELECT * FROM fact_overruled ORDER BY fact_rowid"),
      conflicts: all("SELECT * FROM conflicts ORDER BY seq"),
      edges: all("SELECT * FROM fact_edges ORDER BY fact_rowid"),
      chain: all("SELECT chain_seq, fact_rowid, hex(chain_hash) AS hash FROM fact_chain ORDER BY chain_seq"),
      textMatches: Object.fromEntries(FTS_TERMS.map((t) => [t, match.all(t) as number[]])),
      textDocs: db.prepare("SELECT count(*) FROM facts_fts_docsize").pluck().get() as number,
      nodeId: db.prepare("SELECT value FROM node_meta WHERE key = 'node_id'").pluck().get(),
    };
  } finally {
    if (typeof source === "string") db.close();
  }
}
