/**
 * `Stigmem-Verify: full` (protocol.md §9, §11): re-derives every link of the
 * fact chain from the facts it covers and compares it with the stored
 * 32-byte link hash.
 *
 * - **Incremental.** The node remembers the link before the last verified
 *   head (and checks that it is still stored unchanged), so a later request
 *   re-derives the head and the links added since, not the whole chain. The
 *   memory is per process: after a restart the first request checks it all.
 * - **Never blocks the node.** A full check reads every fact (seconds at a
 *   million facts), so links are read and hashed in slices with the event
 *   loop free in between, and concurrent requests share one run.
 * - A broken chain is a 409 `fact_chain_mismatch` naming the first bad
 *   `chain_seq`, audited.
 *
 * @module
 */
import { HASH_PREFIX } from "../../core/content-hash.js";
import { CHAIN_TENANT, chainLinkHash } from "../../core/fact-chain-hash.js";
import type { AuditLog } from "../../store/audit-log.js";
import type { ChainLinkRow, RecallChainStore } from "../../store/recall-chain-store.js";
import { AppError } from "../app-error.js";

/** Links read and hashed per slice before the event loop gets a turn. */
const SLICE = 5_000;

/** What a recall with `Stigmem-Verify: full` proves about the fact chain. */
export interface ChainProof {
  /** The chain's tenant (one chain, `default`). */
  readonly tenantId: typeof CHAIN_TENANT;
  /** Links verified: the whole chain, up to its head. */
  readonly checkedEntries: number;
  /** `sha256:` hash of the head link; null for an empty chain. */
  readonly headHash: string | null;
}

/** A verified link to resume from: the one before the head, so the head itself is re-derived each time. */
interface Verified {
  seq: number;
  /** Hex of the link hash at `seq`. */
  hex: string;
}

/** Verifies the fact chain, remembering how far it got (per process, so per node). */
export class FactChainVerifier {
  /** The link before the last verified head, to resume from. */
  private resumeFrom: Verified | undefined;
  private running: Promise<ChainProof> | undefined;

  constructor(
    private readonly chain: RecallChainStore,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Verifies the chain up to its head. `actor` is named in the audit entry
   * of a mismatch.
   * @throws AppError fact_chain_mismatch naming the first bad `chain_seq`.
   */
  verify(actor: string): Promise<ChainProof> {
    // Requests arriving during a run share it; the head they see is at least as new as when they asked.
    this.running ??= this.run(actor).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(actor: string): Promise<ChainProof> {
    const chain = this.chain;
    let start = this.resumeFrom;
    // The remembered link must still be the one verified; otherwise start over.
    if (start !== undefined && chain.hashAt(start.seq)?.toString("hex") !== start.hex) start = undefined;
    let seq = start?.seq ?? 0;
    let previous = start === undefined ? null : HASH_PREFIX + start.hex;
    let beforeHead = start;
    for (;;) {
      const links = chain.linksAfter(seq, SLICE);
      if (links.length === 0) break;
      for (const link of links) {
        // A link whose fact is missing drops out of the join and shows as a gap in chain_seq.
        const expected = link.chain_seq === seq + 1 ? safeLinkHash(link, previous) : null;
        if (expected === null || expected.slice(HASH_PREFIX.length) !== link.chain_hash.toString("hex")) {
          this.fail(actor, seq + 1);
        }
        if (previous !== null) beforeHead = { seq, hex: previous.slice(HASH_PREFIX.length) };
        previous = expected;
        seq = link.chain_seq;
      }
      if (links.length < SLICE) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Links at the end whose facts are missing leave no row to compare: count them.
    if (chain.maxSeq() > seq) this.fail(actor, seq + 1);
    if (beforeHead !== undefined) this.resumeFrom = beforeHead;
    return { tenantId: CHAIN_TENANT, checkedEntries: seq, headHash: previous };
  }

  private fail(actor: string, chainSeq: number): never {
    this.audit.appendNow({
      eventType: "fact_chain_mismatch",
      actor,
      outcome: "error",
      detail: { chain_seq: chainSeq },
    });
    throw new AppError("fact_chain_mismatch", `the fact chain does not verify at chain_seq ${chainSeq}`, {
      details: { chain_seq: chainSeq },
    });
  }
}

/** null when the linked fact cannot even be hashed (a corrupt row). */
function safeLinkHash(link: ChainLinkRow, previous: string | null): string | null {
  try {
    return chainLinkHash(link, previous);
  } catch {
    return null;
  }
}
