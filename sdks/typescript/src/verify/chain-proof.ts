/**
 * Checks a recall's `chainProof` (protocol.md §11) on the client: its shape,
 * its checkpoint, and — given the facts the chain covers, in chain order —
 * that re-deriving every link from those facts ends at the node's `headHash`.
 * The link hash is the node's own (`src/core/fact-chain-hash.ts`), so a
 * fact changed in any covered field, dropped, added or reordered fails.
 *
 * The chain covers every local write (assert, batch, resolution), not facts
 * ingested from peers: list them with `facts.list({ includeSuperseded: true,
 * order: "asc" })` as a key that reads every scope, keeping those with
 * `receivedFrom === null`.
 *
 * @module
 */
import { chainLinkHash } from "../../../../src/core/fact-chain-hash.js";
import type { ChainProof, Fact } from "../types.js";
import { factValueV } from "./fact-cid.js";

/** The fields of a fact that its chain link covers. */
export type ChainFact = Pick<Fact, "id" | "cid" | "confidence" | "entity" | "relation" | "scope" | "source" | "value" | "timestamp">;

/** Why a proof failed; null when it holds. */
export type ChainProofFailure =
  | "missing"
  | "bad_checked_entries"
  | "head_hash_inconsistent"
  | "checkpoint_tenant_mismatch"
  | "checkpoint_head_mismatch"
  | "checkpoint_beyond_chain"
  | "chain_length_mismatch"
  | "head_mismatch";

export interface ChainProofVerification {
  readonly valid: boolean;
  readonly reason: ChainProofFailure | null;
  /** The head re-derived from the facts given; null without facts or for an empty chain. */
  readonly computedHead: string | null;
}

/**
 * Verifies `proof`; with `chain` (the covered facts, chain order), also
 * re-derives the head from them.
 *
 * @example
 * const r = await client.recall("atlas", { verifyChain: true });
 * const chain = [];
 * for await (const f of client.facts.list({ includeSuperseded: true, order: "asc" })) if (f.receivedFrom === null) chain.push(f);
 * verifyChainProof(r.chainProof, chain).valid; // true
 */
export function verifyChainProof(proof: ChainProof | null | undefined, chain?: readonly ChainFact[]): ChainProofVerification {
  const fail = (reason: ChainProofFailure, computedHead: string | null = null): ChainProofVerification => ({
    valid: false,
    reason,
    computedHead,
  });
  if (proof === null || proof === undefined) return fail("missing");
  const n = proof.checkedEntries;
  if (!Number.isSafeInteger(n) || n < 0) return fail("bad_checked_entries");
  if ((n === 0) !== (proof.headHash === null)) return fail("head_hash_inconsistent");
  const cp = proof.checkpoint;
  if (cp !== null) {
    if (cp.tenantId !== proof.tenantId) return fail("checkpoint_tenant_mismatch");
    if (cp.coveredChainSeq > n) return fail("checkpoint_beyond_chain");
    if (cp.coveredChainSeq === n && cp.chainHash !== proof.headHash) return fail("checkpoint_head_mismatch");
  }
  if (chain === undefined) return { valid: true, reason: null, computedHead: null };
  if (chain.length !== n) return fail("chain_length_mismatch");
  let head: string | null = null;
  chain.forEach((f, i) => {
    head = chainLinkHash(
      {
        chain_seq: i + 1,
        id: f.id,
        cid: f.cid,
        confidence: f.confidence,
        entity: f.entity,
        relation: f.relation,
        scope: f.scope,
        source: f.source,
        value_type: f.value.type,
        value_v: factValueV(f.value),
        timestamp: f.timestamp,
      },
      head,
    );
  });
  return head === proof.headHash ? { valid: true, reason: null, computedHead: head } : fail("head_mismatch", head);
}
