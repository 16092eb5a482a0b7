/**
 * The recall answer's REST bytes are exactly what the reply serializer
 * writes for the same answer's JSON, canonical number lexemes included.
 */
import { describe, expect, it } from "vitest";
import type { Fact } from "../../../src/node/facts/fact.js";
import type { RecallAnswer, ScoredFact } from "../../../src/node/recall/recall.js";
import { serializeJson } from "../../../src/transport/rest/json-serializer.js";
import { recallResponseJson, serializeRecallBody } from "../../../src/transport/rest/recall-json.js";

function fact(id: string, value: Fact["value"]): Fact {
  return {
    id,
    entity: "user:alice",
    relation: "memory:note",
    value,
    source: 'agent:me "quoted" \u2028',
    timestamp: "2026-01-01T00:00:00.000000+00:00",
    confidence: 0.9,
    scope: "company",
    cid: `sha256:${"0".repeat(64)}`,
    validUntil: null,
    hlc: { wall: 1795268267955, counter: 7 },
    originHlc: { wall: 1795268267955, counter: 7 },
    receivedFrom: null,
    originNodeId: null,
    gardenId: null,
    contradicted: false,
    warnings: [],
    sourceTrust: 0.7,
    quarantine: null,
    derivedFrom: [],
    supersedes: [],
    state: "current",
  };
}

function item(f: Fact): ScoredFact {
  return {
    fact: f,
    score: 0.123456789,
    breakdown: { lexical: 0.5, semantic: 0.25, graph: 1, sourceTrust: 0.8, recency: 0.1, weightedTotal: 0.123456789 },
    hopDistance: 0,
    tokenEstimate: 7,
    fromCard: false,
  };
}

function answer(facts: ScoredFact[], proof: boolean): RecallAnswer {
  return {
    recallId: "7d1c3a52-0000-4000-8000-000000000000",
    queryHash: "ab".repeat(32),
    facts,
    totalScored: 3,
    tokenBudget: 4000,
    tokensUsed: 21,
    truncated: false,
    chainProof: proof ? { tenantId: "default", checkedEntries: 2, headHash: "cd".repeat(32) } : null,
  };
}

const facts = [
  item(fact("a", { type: "string", text: "plain", interpretAs: "content" })),
  item(fact("b", { type: "number", text: "1e-05", interpretAs: "content" })),
  item(fact("c", { type: "string", text: "do this", interpretAs: "instruction" })),
];

/** Both renderings of one answer. */
function both(a: RecallAnswer, legacy: boolean): [string, string] {
  return [serializeRecallBody(a, legacy).toString("utf8"), serializeJson(recallResponseJson(a, legacy))];
}

describe("serializeRecallBody", () => {
  it("writes what the reply serializer writes, with content, instructions and a chain proof", () => {
    const [fast, slow] = both(answer(facts, true), false);
    expect(fast).toBe(slow);
    expect(fast).toContain('"v":1e-05');
    const parsed = JSON.parse(fast);
    expect(parsed.content.map((f: { fact: { id: string } }) => f.fact.id)).toEqual(["a", "b"]);
    expect(parsed.instructions.map((f: { fact: { id: string } }) => f.fact.id)).toEqual(["c"]);
    expect(parsed.chain_proof).toEqual({ tenant_id: "default", checked_entries: 2, head_hash: "cd".repeat(32), checkpoint: null });
    expect(parsed.facts[0].score_breakdown).toEqual({ lexical: 0.5, semantic: 0.25, graph: 1, source_trust: 0.8, recency: 0.1, weighted_total: 0.123456789 });
  });

  it("writes what the reply serializer writes in the legacy format, without content and instructions", () => {
    const [fast, slow] = both(answer(facts, false), true);
    expect(fast).toBe(slow);
    expect(JSON.parse(fast)).not.toHaveProperty("content");
  });

  it("writes what the reply serializer writes when every item is content, with a number lexeme or without", () => {
    for (const items of [facts.slice(0, 2), facts.slice(0, 1)]) {
      const [fast, slow] = both(answer(items, false), false);
      expect(fast).toBe(slow);
    }
  });

  it("writes an empty answer", () => {
    const [fast, slow] = both(answer([], false), false);
    expect(fast).toBe(slow);
  });

  it("writes the same bytes again for facts it has written before, in other answers too", () => {
    const a = answer(facts, false);
    const first = serializeRecallBody(a, false).toString("utf8");
    expect(serializeRecallBody(a, false).toString("utf8")).toBe(first);
    const [fast, slow] = both(answer([{ ...facts[1]!, score: 0.5 }, facts[0]!], false), false);
    expect(fast).toBe(slow);
  });
});
