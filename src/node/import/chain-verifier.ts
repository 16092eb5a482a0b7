/**
 * The hashing half of an import, kept apart so it can run on a second
 * thread beside the rows being stored (verify-worker.ts): every fact's CID
 * recomputed from its content (protocol.md §4), and the fact chain
 * (protocol.md §11) re-hashed link by link over the local facts, in file
 * order. The structure of each line is checked by the thread that stores
 * it (import-file.ts); lines that are not well-formed facts are passed over
 * here and refused there.
 *
 * @module
 */
import { computeCid, type CidInput } from "../../core/cid.js";
import { HASH_PREFIX } from "../../core/content-hash.js";
import { ExportFileError } from "../../core/export/export-file-error.js";
import { chainLinkHash, type ChainLinkInput } from "../../core/fact-chain-hash.js";

/** The chain links of one batch of lines: link `firstSeq + i` points at `rowids[i]`, hash in `hashes[32i..]`. */
export interface VerifiedBatch {
  readonly firstSeq: number;
  readonly rowids: Float64Array;
  readonly hashes: Uint8Array;
}

/** What the hashing reads of a fact line. */
export type VerifiedFact = CidInput & ChainLinkInput & { readonly rowid: number; readonly received_from?: string | null };

/** The fact chain's last link, to continue from. */
export interface ChainTip {
  readonly seq: number;
  /** Hex of its hash; null before the first link. */
  readonly hash: string | null;
}

const LINK_BYTES = 32;

export class ChainVerifier {
  private seq: number;
  private previous: string | null;

  constructor(tip: ChainTip) {
    this.seq = tip.seq;
    this.previous = tip.hash === null ? null : HASH_PREFIX + tip.hash;
  }

  /**
   * Checks the CIDs of the fact lines among `lines` (line numbers from
   * `firstLine`) and hashes the chain links of the local ones; `onFact`
   * sees each fact whose CID checked out.
   * @throws ExportFileError at the first fact whose CID does not match its content.
   */
  verify(lines: readonly string[], firstLine: number, onFact?: (fact: VerifiedFact) => void): VerifiedBatch {
    const firstSeq = this.seq + 1;
    const rowids: number[] = [];
    const hashes: string[] = [];
    let at = firstLine;
    for (const text of lines) {
      const line = at++;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (o === null || o.kind !== "fact") continue;
      const fact = o as unknown as VerifiedFact;
      let cid: string;
      try {
        cid = computeCid(fact);
      } catch (e) {
        throw new ExportFileError(line, undefined, `has no CID: ${(e as Error).message}`);
      }
      if (cid !== fact.cid) throw new ExportFileError(line, "cid", `does not match the fact's content (it hashes to ${cid})`);
      onFact?.(fact);
      // The fact chain covers this node's own writes (protocol.md §11): facts nobody sent it.
      if (fact.received_from === undefined || fact.received_from === null) {
        this.seq++;
        const link: ChainLinkInput = {
          chain_seq: this.seq,
          id: fact.id,
          cid: fact.cid,
          confidence: fact.confidence,
          entity: fact.entity,
          relation: fact.relation,
          scope: fact.scope,
          source: fact.source,
          value_type: fact.value_type,
          value_v: fact.value_v,
          timestamp: fact.timestamp,
        };
        this.previous = chainLinkHash(link, this.previous);
        rowids.push(fact.rowid);
        hashes.push(this.previous);
      }
    }
    const out = new Uint8Array(hashes.length * LINK_BYTES);
    hashes.forEach((h, i) => out.set(Buffer.from(h.slice(HASH_PREFIX.length), "hex"), i * LINK_BYTES));
    return { firstSeq, rowids: Float64Array.from(rowids), hashes: out };
  }

  /** The last link hashed so far. */
  tip(): ChainTip {
    return { seq: this.seq, hash: this.previous === null ? null : this.previous.slice(HASH_PREFIX.length) };
  }
}

/** The 32 bytes of link `i` of a batch. */
export function linkHash(batch: VerifiedBatch, i: number): Buffer {
  return Buffer.from(batch.hashes.buffer, batch.hashes.byteOffset + i * LINK_BYTES, LINK_BYTES);
}
