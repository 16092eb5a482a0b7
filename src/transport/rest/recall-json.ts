/**
 * The REST body of a recall answer, the same bytes as the reply serializer
 * (json-serializer.ts) would write for it, in about a third of the time:
 * - `content` and `instructions` repeat the items of `facts`; when one of
 *   them holds all of them (an answer without instructions) the text of
 *   `facts` is reused as it is;
 * - an answer whose values carry no canonical number lexeme (the only place
 *   a recall item can carry one: node/facts/fact-record.ts) skips the
 *   serializer's replacer, which is called for every key and value and
 *   costs as much again as the plain JSON.stringify.
 *
 * @module
 */
import { NUMBER_LEXEME } from "../../node/facts/number-lexeme.js";
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
  const plain = facts.every((f) => !(NUMBER_LEXEME in f.fact.value));
  const list = (items: ScoredFact[]): Buffer => Buffer.from(plain ? JSON.stringify(items) : serializeJson(items));
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
      parts.push(Buffer.from(text), same ? (factsBytes ??= list(facts)) : list(items));
      text = "";
    } else text += serializeJson(value);
  }
  parts.push(Buffer.from(`${text}}`));
  return Buffer.concat(parts);
}
