/**
 * The recall answer (protocol.md §9, response): the packed items as
 * ScoredFacts with their score breakdowns, split into content and
 * instructions, with the budget accounting and the chain proof.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { queryHash } from "../../core/recall/query-text.js";
import type { Signals } from "../../core/recall/scoring.js";
import type { FactRow } from "../../store/fact-store.js";
import { factState, toFactRecord, type FactRecord } from "../facts/fact-record.js";
import type { ChainProof } from "./chain-proof.js";
import type { RecallItem } from "./recall-item.js";
import type { VerifiedPack } from "./verify.js";

/** The breakdown of an item's score, as on the wire. */
export interface ScoreBreakdown extends Signals {
  weighted_total: number;
}

/** One recalled item (REST ScoredFact). */
export interface ScoredFact {
  fact: FactRecord;
  score: number;
  score_breakdown: ScoreBreakdown;
  hop_distance: number;
  token_estimate: number;
  from_card: boolean;
  /**
   * For a question listing a relation: how many recalled candidates share
   * this fact's relation and value (≥ 2; the copies follow every distinct
   * value). Ours; left out otherwise.
   */
  same_value_count?: number;
}

/** The REST RecallResponse body; `content` and `instructions` are left out by `legacy_format`. */
export interface RecallResponseBody {
  recall_id: string;
  query_hash: string;
  facts: ScoredFact[];
  content?: ScoredFact[];
  instructions?: ScoredFact[];
  total_scored: number;
  token_budget: number;
  tokens_used: number;
  truncated: boolean;
  tombstone_notices: never[];
  chain_proof: ChainProof | null;
}

/** The answer to `query` from a verified packing. */
export function responseBody(
  query: string,
  tokenBudget: number,
  result: VerifiedPack,
  chainProof: ChainProof | null,
  legacyFormat: boolean,
  now: number,
): RecallResponseBody {
  const { packed, served, items } = result;
  const facts = packed.packed.map((i) => toScoredFact(i, i.row === null ? null : served.get(i.row.rowid)!, now));
  const split = legacyFormat
    ? {}
    : {
        content: facts.filter((f) => f.fact.value.interpret_as !== "instruction"),
        instructions: facts.filter((f) => f.fact.value.interpret_as === "instruction"),
      };
  return {
    recall_id: randomUUID(),
    query_hash: queryHash(query),
    facts,
    ...split,
    total_scored: items.length,
    token_budget: tokenBudget,
    tokens_used: packed.tokensUsed,
    truncated: packed.truncated,
    tombstone_notices: [],
    chain_proof: chainProof,
  };
}

/**
 * The record of each served row, built once while the row is kept (view-row-cache.ts): a
 * row in the view is current whenever it is served, and the same object lets the REST
 * transport reuse its text (rest/recall-json.ts). Records are never changed after building.
 */
const records = new WeakMap<FactRow, FactRecord>();

function recordOf(row: FactRow, now: number): FactRecord {
  const known = records.get(row);
  if (known !== undefined && known.state === factState(row, now)) return known;
  const record = toFactRecord(row, now);
  records.set(row, record);
  return record;
}

/** `row`: the item's fact read in full, null for a card. */
function toScoredFact(i: RecallItem, row: FactRow | null, now: number): ScoredFact {
  return {
    fact: i.card ?? recordOf(row!, now),
    score: i.score,
    score_breakdown: { ...wireSignals(i.signals), weighted_total: i.score },
    hop_distance: i.hops,
    token_estimate: i.tokens,
    from_card: i.card !== null,
    ...(i.sameValue !== undefined ? { same_value_count: i.sameValue } : {}),
  };
}

/** The signals as on the wire: an unknown one (NaN, see core/recall/scoring.ts) reads 0 there, as the contract has no "unknown". */
function wireSignals(s: Signals): Signals {
  const known = (x: number): number => (Number.isNaN(x) ? 0 : x);
  return { lexical: known(s.lexical), semantic: known(s.semantic), graph: known(s.graph), source_trust: known(s.source_trust), recency: known(s.recency) };
}
