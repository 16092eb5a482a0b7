/**
 * A recall answer on the REST wire (protocol.md §9): the RecallResponse JSON,
 * and the same bytes written fast. `content` and `instructions` split the
 * packed items by `interpret_as` (left out with `?legacy_format=true`).
 *
 * {@link serializeRecallBody} writes exactly what the reply serializer
 * (json-serializer.ts) would write for {@link recallResponseJson}, in a
 * fraction of the time:
 * - a fact's bytes are written once and kept for as long as recall serves
 *   the same fact object (node/recall/recall-runtime.ts keeps one per kept row);
 * - `content` reuses the bytes of `facts` when it holds all of them (an
 *   answer without instructions);
 * - only a fact whose value carries a canonical number lexeme goes through
 *   the serializer's replacer, which is called for every key and value and
 *   costs as much again as the plain JSON.stringify.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import type { Fact } from "../../node/facts/fact.js";
import type { RecallAnswer, ScoredFact } from "../../node/recall/recall.js";
import { factJson } from "./fact-json.js";
import { serializeJson } from "./json-serializer.js";
import { NUMBER_LEXEME } from "./number-lexeme.js";

type Schemas = components["schemas"];

/** The RecallResponse body of `answer`. */
export function recallResponseJson(answer: RecallAnswer, legacyFormat: boolean): Schemas["RecallResponse"] {
  const facts = answer.facts.map(scoredJson);
  const split = legacyFormat
    ? {}
    : {
        content: facts.filter((f) => f.fact.value.interpret_as !== "instruction"),
        instructions: facts.filter((f) => f.fact.value.interpret_as === "instruction"),
      };
  const proof = answer.chainProof;
  return {
    recall_id: answer.recallId,
    query_hash: answer.queryHash,
    facts,
    ...split,
    total_scored: answer.totalScored,
    token_budget: answer.tokenBudget,
    tokens_used: answer.tokensUsed,
    truncated: answer.truncated,
    tombstone_notices: [],
    chain_proof:
      proof === null
        ? null
        : { tenant_id: proof.tenantId, checked_entries: proof.checkedEntries, head_hash: proof.headHash, checkpoint: null },
  };
}

function scoredJson(s: ScoredFact): Schemas["ScoredFact"] {
  return { fact: factJson(s.fact), ...scoreFields(s) };
}

/** A scored item's members after `fact`, in wire order. */
function scoreFields(s: ScoredFact): Omit<Schemas["ScoredFact"], "fact"> {
  const b = s.breakdown;
  return {
    score: s.score,
    score_breakdown: {
      lexical: b.lexical,
      semantic: b.semantic,
      graph: b.graph,
      source_trust: b.sourceTrust,
      recency: b.recency,
      weighted_total: b.weightedTotal,
    },
    hop_distance: s.hopDistance,
    token_estimate: s.tokenEstimate,
    from_card: s.fromCard,
    ...(s.sameValueCount !== undefined ? { same_value_count: s.sameValueCount } : {}),
  };
}

/**
 * The answer as UTF-8 bytes, ready to send. `facts` is encoded once and its
 * bytes are reused for a `content` list that repeats it: as one string the
 * whole answer was measured to cost ~1 ms more per recall in Node's own steps
 * (its byte length for the header, then its encoding on the socket).
 */
export function serializeRecallBody(answer: RecallAnswer, legacyFormat: boolean): Buffer {
  const items = answer.facts;
  const content = items.filter((s) => s.fact.value.interpretAs !== "instruction");
  const instructions = items.filter((s) => s.fact.value.interpretAs === "instruction");
  const factsBytes = listBytes(items);
  // The answer's other members, rendered once (its item lists are written from bytes below).
  const rest: Record<string, unknown> = { ...recallResponseJson({ ...answer, facts: [] }, legacyFormat) };
  for (const key of ITEM_LISTS) delete rest[key];
  const parts: Buffer[] = [];
  let text = "{";
  // Key order and left-out members as JSON.stringify has them for recallResponseJson.
  const order = legacyFormat
    ? (["recall_id", "query_hash", "facts"] as const)
    : (["recall_id", "query_hash", "facts", "content", "instructions"] as const);
  for (const key of order) {
    if (text.length > 1 || parts.length > 0) text += ",";
    text += `${JSON.stringify(key)}:`;
    if (key === "recall_id" || key === "query_hash") {
      text += JSON.stringify(rest[key]);
      continue;
    }
    const list = key === "facts" ? items : key === "content" ? content : instructions;
    parts.push(Buffer.from(text), list.length === items.length ? factsBytes : listBytes(list));
    text = "";
  }
  for (const [key, value] of Object.entries(rest)) {
    if (key === "recall_id" || key === "query_hash") continue;
    text += `,${JSON.stringify(key)}:${serializeJson(value)}`;
  }
  parts.push(Buffer.from(`${text}}`));
  return Buffer.concat(parts);
}

/** Bytes of facts already written, by fact: recall serves the same fact object while its row is kept. */
const factBytes = new WeakMap<Fact, Buffer>();

const ITEM_LISTS = ["facts", "content", "instructions"] as const;
const OPEN_LIST = Buffer.from("[");
const CLOSE_LIST = Buffer.from("]");
const OPEN_ITEM = Buffer.from('{"fact":');
const NEXT_ITEM = Buffer.from(',{"fact":');

/** A list of items as JSON.stringify writes it, each item's `fact` (its first member) from the fact's kept bytes. */
function listBytes(items: readonly ScoredFact[]): Buffer {
  const parts: Buffer[] = [OPEN_LIST];
  items.forEach((item, i) => {
    let fact = factBytes.get(item.fact);
    if (fact === undefined) {
      const json = factJson(item.fact);
      fact = Buffer.from(NUMBER_LEXEME in json.value ? serializeJson(json) : JSON.stringify(json));
      factBytes.set(item.fact, fact);
    }
    const rest = JSON.stringify(scoreFields(item));
    parts.push(i === 0 ? OPEN_ITEM : NEXT_ITEM, fact, Buffer.from(`,${rest.slice(1)}`));
  });
  parts.push(CLOSE_LIST);
  return Buffer.concat(parts);
}
