/**
 * Reads the fact chain (protocol.md §11) for verification: each link with
 * the fact fields its hashes cover. The chain stores only the 32-byte link
 * hash; everything else is recomputed from `facts` by the verifier.
 *
 * @module
 */
import type { ChainLinkInput } from "../core/fact-chain-hash.js";
import type { Db } from "./database.js";

/** One chain link joined with its fact: what its hashes cover, and the stored link hash (32 raw bytes). */
export interface ChainLinkRow extends ChainLinkInput {
  chain_hash: Buffer;
}

export class RecallChainStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      after: db.prepare<[number, number], ChainLinkRow>(
        `SELECT c.chain_seq, c.chain_hash, f.id, f.cid, f.confidence, f.entity, f.relation, f.scope, f.source,
           f.value_type, f.value_v, f.timestamp
         FROM fact_chain c JOIN facts f ON f.rowid = c.fact_rowid
         WHERE c.chain_seq > ? ORDER BY c.chain_seq LIMIT ?`,
      ),
      hashAt: db.prepare<[number], { chain_hash: Buffer }>("SELECT chain_hash FROM fact_chain WHERE chain_seq = ?"),
      maxSeq: db.prepare<[], { s: number | null }>("SELECT MAX(chain_seq) AS s FROM fact_chain"),
    };
  }

  /** At most `limit` links after `seq`, in order. */
  linksAfter(seq: number, limit: number): ChainLinkRow[] {
    return this.stmts.after.all(seq, limit);
  }

  /** The highest `chain_seq` stored (0 for an empty chain). */
  maxSeq(): number {
    return this.stmts.maxSeq.get()?.s ?? 0;
  }

  /** The stored link hash at `seq`, or undefined. */
  hashAt(seq: number): Buffer | undefined {
    return this.stmts.hashAt.get(seq)?.chain_hash;
  }
}
