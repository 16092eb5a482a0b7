/**
 * The ref-compatible fact chain (protocol.md §11): one hash chain over local
 * writes for tenant `default`, so a client can verify that the log of facts
 * it was shown is the log the node holds.
 *
 * @module
 */
import { HASH_PREFIX } from "../core/content-hash.js";
import { chainLinkHash, type ChainLinkInput } from "../core/fact-chain-hash.js";
import type { Db } from "./database.js";

/** The fact fields the event hash covers, and the row the link points to. */
export type ChainedFact = Omit<ChainLinkInput, "chain_seq" | "timestamp"> & { rowid: number };

export interface ChainHead {
  chain_seq: number;
  /** `sha256:` + hex of the link hash. */
  chain_hash: string;
}

export class FactChain {
  private readonly headStmt;
  private readonly insertStmt;

  constructor(db: Db) {
    this.headStmt = db.prepare<[], { chain_seq: number; chain_hash: Buffer }>(
      "SELECT chain_seq, chain_hash FROM fact_chain ORDER BY chain_seq DESC LIMIT 1",
    );
    this.insertStmt = db.prepare("INSERT INTO fact_chain (chain_seq, fact_rowid, chain_hash) VALUES (?, ?, ?)");
  }

  /** Links a local write into the chain; call inside the write's transaction. */
  append(fact: ChainedFact, createdAt: string): ChainHead {
    const head = this.headStmt.get();
    const seq = (head?.chain_seq ?? 0) + 1;
    const previous = head === undefined ? null : HASH_PREFIX + head.chain_hash.toString("hex");
    const link = {
      chain_seq: seq,
      id: fact.id,
      cid: fact.cid,
      confidence: fact.confidence,
      entity: fact.entity,
      relation: fact.relation,
      scope: fact.scope,
      source: fact.source,
      value_type: fact.value_type,
      value_v: fact.value_v,
      timestamp: createdAt,
    };
    const chainHash = chainLinkHash(link, previous);
    this.insertStmt.run(seq, fact.rowid, Buffer.from(chainHash.slice(HASH_PREFIX.length), "hex"));
    return { chain_seq: seq, chain_hash: chainHash };
  }
}
