/**
 * The REST body of a recall answer, the same bytes as the reply serializer
 * (json-serializer.ts) would write for it, in a fraction of the time:
 * - `content` and `instructions` repeat the items of `facts`; when one of
 *   them holds all of them (an answer without instructions) the bytes of
 *   `facts` are reused as they are;
 * - a record's bytes are written once and kept for as long as recall serves
 *   the same record object (node/recall/recall.ts keeps one per kept row);
 * - only a record whose value carries a canonical number lexeme (the only
 *   place a recall item can carry one: node/facts/fact-record.ts) goes
 *   through the serializer's replacer, which is called for every key and
 *   value and costs as much again as the plain JSON.stringify.
 *
 * @module
 */
import { NUMBER_LEXEME } from "../../node/facts/number-lexeme.js";
import type { FactRecord } from "../../node/facts/fact-record.js";
import type { RecallResponseBody, ScoredFact } from "../../node/recall/recall.js";
import { serializeJson } from "./json-serializer.js";

const ITEM_LISTS: ReadonlySet<string> = new Set(["facts", "content", "instructions"]);

/**
 * The answer as UTF-8 bytes, ready to send. `facts` is encoded once and
 * its bytes are reused for a `content` list that repeats it: as one string
 * the whole answer was measured to cost ~1 ms more per recall in Node's own
 * steps (its byte length for the header, then its encoding on the socket).
 */
export function serializeRecallBody(body: RecallResponseBody): Buffer {
  const facts = body.facts;
  let factsBytes: Buffer | undefined;
  const parts: Buffer[] = [];
  let text = "{";
  // Key order and left-out undefined members as JSON.stringify has them.
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (text.length > 1 || parts.length > 0) text += ",";
    text += `${JSON.stringify(key)}:`;
    if (ITEM_LISTS.has(key)) {
      const items = value as ScoredFact[];
      const same = items.length === facts.length && items.every((f, i) => f === facts[i]);
      parts.push(Buffer.from(text), same ? (factsBytes ??= listBytes(facts)) : listBytes(items));
      text = "";
    } else text += serializeJson(value);
  }
  parts.push(Buffer.from(`${text}}`));
  return Buffer.concat(parts);
}

/** Bytes of records already written, by record: recall serves the same record object while its row is kept. */
const recordBytes = new WeakMap<FactRecord, Buffer>();

const OPEN_LIST = Buffer.from("[");
const CLOSE_LIST = Buffer.from("]");
const OPEN_ITEM = Buffer.from('{"fact":');
const NEXT_ITEM = Buffer.from(',{"fact":');

/** A list of items as JSON.stringify writes it, each item's `fact` (its first member) from the record's kept bytes. */
function listBytes(items: readonly ScoredFact[]): Buffer {
  const parts: Buffer[] = [OPEN_LIST];
  items.forEach((item, i) => {
    let fact = recordBytes.get(item.fact);
    if (fact === undefined) {
      fact = Buffer.from(NUMBER_LEXEME in item.fact.value ? serializeJson(item.fact) : JSON.stringify(item.fact));
      recordBytes.set(item.fact, fact);
    }
    const rest = JSON.stringify({
      score: item.score,
      score_breakdown: item.score_breakdown,
      hop_distance: item.hop_distance,
      token_estimate: item.token_estimate,
      from_card: item.from_card,
    });
    parts.push(i === 0 ? OPEN_ITEM : NEXT_ITEM, fact, Buffer.from(`,${rest.slice(1)}`));
  });
  parts.push(CLOSE_LIST);
  return Buffer.concat(parts);
}
