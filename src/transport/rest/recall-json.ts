/**
 * The REST text of a recall answer, the same bytes as the reply serializer
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

export function serializeRecallBody(body: RecallResponseBody): string {
  const facts = body.facts;
  const plain = facts.every((f) => !(NUMBER_LEXEME in f.fact.value));
  const list = (items: ScoredFact[]): string => (plain ? JSON.stringify(items) : serializeJson(items));
  let factsText: string | undefined;
  const members: string[] = [];
  // Key order and left-out undefined members as JSON.stringify has them.
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    let text: string;
    if (ITEM_LISTS.has(key)) {
      const items = value as ScoredFact[];
      const same = items.length === facts.length && items.every((f, i) => f === facts[i]);
      text = same ? (factsText ??= list(facts)) : list(items);
    } else text = serializeJson(value);
    members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(",")}}`;
}
