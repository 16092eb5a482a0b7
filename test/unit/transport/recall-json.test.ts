/**
 * The recall answer's REST text is byte for byte what the reply serializer
 * writes for the same body, canonical number lexemes included.
 */
import { describe, expect, it } from "vitest";
import { withNumberLexeme } from "../../../src/node/facts/number-lexeme.js";
import type { RecallResponseBody, ScoredFact } from "../../../src/node/recall/recall.js";
import { serializeJson } from "../../../src/transport/rest/json-serializer.js";
import { serializeRecallBody } from "../../../src/transport/rest/recall-json.js";

function item(id: string, value: ScoredFact["fact"]["value"]): ScoredFact {
  const signals = { lexical: 0.5, semantic: 0.25, graph: 1, source_trust: 0.8, recency: 0.1 };
  return {
    fact: { id, entity: "user:alice", relation: "memory:note", value, source: "agent:me \"quoted\" \u2028", contradicted: false } as ScoredFact["fact"],
    score: 0.123456789,
    score_breakdown: { ...signals, weighted_total: 0.123456789 },
    hop_distance: 0,
    token_estimate: 7,
    from_card: false,
  };
}

function body(facts: ScoredFact[], legacy: boolean): RecallResponseBody {
  return {
    recall_id: "7d1c3a52-0000-4000-8000-000000000000",
    query_hash: "ab".repeat(32),
    facts,
    ...(legacy
      ? {}
      : {
          content: facts.filter((f) => f.fact.value.interpret_as !== "instruction"),
          instructions: facts.filter((f) => f.fact.value.interpret_as === "instruction"),
        }),
    total_scored: 3,
    token_budget: 4000,
    tokens_used: 21,
    truncated: false,
    tombstone_notices: [],
    chain_proof: legacy ? null : { tenant_id: "default", checked_entries: 2, head_hash: "cd".repeat(32), checkpoint: null },
  };
}

const facts = [
  item("a", { type: "string", v: "plain", interpret_as: "content" }),
  item("b", withNumberLexeme({ type: "number", v: 0.00001, interpret_as: "content" }, "1e-05")),
  item("c", { type: "string", v: "do this", interpret_as: "instruction" }),
];

describe("serializeRecallBody", () => {
  it("writes what the reply serializer writes, with content and instructions", () => {
    const b = body(facts, false);
    expect(serializeRecallBody(b).toString("utf8")).toBe(serializeJson(b));
    expect(serializeRecallBody(b).toString("utf8")).toContain('"v":1e-05');
  });

  it("writes what the reply serializer writes in the legacy format", () => {
    const b = body(facts, true);
    expect(serializeRecallBody(b).toString("utf8")).toBe(serializeJson(b));
  });

  it("writes what the reply serializer writes when every item is content, with a number lexeme or without", () => {
    for (const items of [facts.slice(0, 2), facts.slice(0, 1)]) {
      const b = body(items, false);
      expect(serializeRecallBody(b).toString("utf8")).toBe(serializeJson(b));
    }
  });

  it("writes an empty answer", () => {
    const b = body([], false);
    expect(serializeRecallBody(b).toString("utf8")).toBe(serializeJson(b));
  });

  it("writes the same bytes again for records it has written before, in other answers too", () => {
    const b = body(facts, false);
    const first = serializeRecallBody(b).toString("utf8");
    expect(serializeRecallBody(b).toString("utf8")).toBe(first);
    const other = body([{ ...facts[1]!, score: 0.5 }, facts[0]!], false);
    expect(serializeRecallBody(other).toString("utf8")).toBe(serializeJson(other));
  });
});
