/**
 * Recall stage "respond" (protocol.md §9, response): the packed items as
 * scored facts with their score breakdowns, the budget accounting and the
 * chain proof, as a domain {@link RecallAnswer}. The transports map it to
 * their wire (rest/recall-json.ts, connect/recall-service.ts), splitting
 * content from instructions there.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { queryHash } from "../../core/recall/query-text.js";
import type { FactRow } from "../../store/fact-store.js";
import type { Fact } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";
import type { ChainProof } from "./chain-proof.js";
import type { RecallItem } from "./recall-item.js";
import type { VerifiedPack } from "./verify.js";

/** What an item's score is made of (protocol.md §9): each signal and the final score. */
export interface ScoreBreakdown {
  readonly lexical: number;
  readonly semantic: number;
  readonly graph: number;
  readonly sourceTrust: number;
  readonly recency: number;
  /** The item's score: the fused signals × confidence × the contradiction factor. */
  readonly weightedTotal: number;
}

/** One recalled item. */
export interface ScoredFact {
  /** The fact, or the memory card standing in for several of an entity's facts (`fromCard`). */
  readonly fact: Fact;
  readonly score: number;
  readonly breakdown: ScoreBreakdown;
  readonly hopDistance: number;
  readonly tokenEstimate: number;
  readonly fromCard: boolean;
  /**
   * For a question listing a relation: how many recalled candidates share
   * this fact's relation and value (≥ 2; the copies follow every distinct
   * value). Undefined otherwise.
   */
  readonly sameValueCount?: number;
}

/** A recall's answer: the packed items, best first, and what the packing did. */
export interface RecallAnswer {
  readonly recallId: string;
  /** SHA-256 hex of the UTF-8 question. */
  readonly queryHash: string;
  readonly facts: readonly ScoredFact[];
  /** Candidates scored, whether packed or not. */
  readonly totalScored: number;
  readonly tokenBudget: number;
  readonly tokensUsed: number;
  /** Something that fitted the question did not fit the budget. */
  readonly truncated: boolean;
  /** The verified fact chain, when asked for (`Stigmem-Verify: full`). */
  readonly chainProof: ChainProof | null;
}

/** The answer to `query` from a verified packing. */
export function recallAnswer(
  node: NodeContext,
  query: string,
  tokenBudget: number,
  result: VerifiedPack,
  chainProof: ChainProof | null,
  now: number,
): RecallAnswer {
  const { packed, served, items } = result;
  return {
    recallId: randomUUID(),
    queryHash: queryHash(query),
    facts: packed.packed.map((i) => toScoredFact(node, i, i.row === null ? null : served.get(i.row.rowid)!, now)),
    totalScored: items.length,
    tokenBudget,
    tokensUsed: packed.tokensUsed,
    truncated: packed.truncated,
    chainProof,
  };
}

/** `row`: the item's fact read in full, null for a card. */
function toScoredFact(node: NodeContext, i: RecallItem, row: FactRow | null, now: number): ScoredFact {
  const s = i.signals;
  // An unknown signal (NaN, see core/recall/scoring.ts) reads 0 here: the contract has no "unknown".
  const known = (x: number): number => (Number.isNaN(x) ? 0 : x);
  return {
    fact: i.card ?? node.recall.factOf(row!, now),
    score: i.score,
    breakdown: {
      lexical: known(s.lexical),
      semantic: known(s.semantic),
      graph: known(s.graph),
      sourceTrust: known(s.source_trust),
      recency: known(s.recency),
      weightedTotal: i.score,
    },
    hopDistance: i.hops,
    tokenEstimate: i.tokens,
    fromCard: i.card !== null,
    ...(i.sameValue !== undefined ? { sameValueCount: i.sameValue } : {}),
  };
}
