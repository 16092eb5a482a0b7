/**
 * The ref-compatible fact chain (protocol.md §11): one hash chain over local
 * writes for tenant `default`, so a client can verify that the log of facts
 * it was shown is the log the node holds.
 *
 * @module
 */
import { contentHash, HASH_PREFIX } from "../core/content-hash.js";
import { pyFloat } from "../core/py-float-value.js";
import type { Db } from "./database.js";

const TENANT = "default";

/** The fact fields the event hash covers. */
export interface ChainedFact {
  rowid: number;
  id: string;
  cid: string;
  confidence: number;
  entity: string;
  relation: string;
  scope: string;
  source: string;
  value_type: string;
  value_v: string;
}

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
    const stored = this.headStmt.get();
    const head = stored === undefined ? undefined : { chain_seq: stored.chain_seq, chain_hash: HASH_PREFIX + stored.chain_hash.toString("hex") };
    const eventHash = contentHash({
      cid: fact.cid,
      confidence: pyFloat(fact.confidence),
      entity: fact.entity,
      fact_id: fact.id,
      relation: fact.relation,
      scope: fact.scope,
      source: fact.source,
      tenant_id: TENANT,
      value_type: fact.value_type,
      value_v: fact.value_v,
    });
    const seq = (head?.chain_seq ?? 0) + 1;
    const previous = head?.chain_hash ?? null;
    const chainHash = contentHash({
      chain_seq: seq,
      created_at: createdAt,
      event_hash: eventHash,
      fact_id: fact.id,
      previous_hash: previous,
      tenant_id: TENANT,
    });
    this.insertStmt.run(seq, fact.rowid, Buffer.from(chainHash.slice(HASH_PREFIX.length), "hex"));
    return { chain_seq: seq, chain_hash: chainHash };
  }
}
