import { describe, expect, it } from "vitest";
import type { ScoringRow } from "../../../src/store/recall-rows.js";
import type { CachedFact } from "../../../src/store/recall-rows.js";
import type { ViewFilter } from "../../../src/store/view-filter.js";
import { inView, ViewRowCache } from "../../../src/store/view-row-cache.js";
import { sharedPolicy, type ReadPolicy } from "../../../src/node/access/read-policy.js";
import { readCondition, type ViewOptions } from "../../../src/node/access/read-rules.js";

interface State {
  live?: boolean;
  validUntilMs?: number | null;
  gardenId?: string | null;
  quarantine?: string | null;
}

function fact(rowid: number, entity: string, over: Partial<ScoringRow> = {}, state: State = {}): CachedFact {
  const row: ScoringRow = {
    rowid,
    entity,
    relation: "memory:role",
    value_type: "string",
    value_v: "engineer",
    interpret_as: "content",
    source: "agent:a",
    actor: "agent:a",
    received_from: null,
    confidence: 0.9,
    scope: "company",
    timestamp: "2026-01-01T00:00:00.000000+00:00",
    hlc_w: rowid,
    hlc_c: 0,
    contradicted: 0,
    ...over,
  };
  return { rowid, entity, row: state.live === false ? null : row, validUntilMs: state.validUntilMs ?? null, gardenId: state.gardenId ?? null, quarantine: state.quarantine ?? null };
}

/** The current view of `policy` at t = 1,000 ms, contradicted values included, as recall reads it. */
function viewOf(policy: ReadPolicy, over: Partial<ViewOptions> = {}, filter: Partial<ViewFilter> = {}): ViewFilter {
  const readable = readCondition(policy, { kind: "current", nowMs: 1_000, includeContradicted: true, minConfidence: 0.1, ...over });
  return { scope: "company", readable, ...filter };
}
const reader = sharedPolicy("agent:reader");
const admin: ReadPolicy = { ...reader, gardens: "all" };
const view = viewOf(reader);

describe("inView", () => {
  it("holds a live, unexpired, non-garden head of the scope at or above the confidence floor", () => {
    expect(inView(fact(1, "e"), view)).toBe(true);
    expect(inView(fact(1, "e", { confidence: 0.1 }), view)).toBe(true);
    expect(inView(fact(1, "e", {}, { validUntilMs: 1_001 }), view)).toBe(true);
  });

  it.each([
    ["a superseded or dead head", fact(1, "e", {}, { live: false }), view],
    ["another scope", fact(1, "e", { scope: "public" }), view],
    ["an expired fact (valid_until at now)", fact(1, "e", {}, { validUntilMs: 1_000 }), view],
    ["a garden fact", fact(1, "e", {}, { gardenId: "stigmem://n/garden/g" }), view],
    ["a quarantined fact, even for an admin", fact(1, "e", {}, { quarantine: "pending" }), viewOf(admin)],
    ["a scope outside the key", fact(1, "e"), viewOf({ ...reader, scopes: ["public"] })],
    ["a fact below min_confidence", fact(1, "e", { confidence: 0.05 }), view],
    ["another entity", fact(1, "e"), { ...view, entity: "f" }],
    ["another relation", fact(1, "e"), { ...view, relation: "memory:team" }],
    ["an instruction when only content is asked for", fact(1, "e", { interpret_as: "instruction" }), viewOf(reader, { contentOnly: true })],
  ])("leaves out %s", (_what, f, v) => {
    expect(inView(f, v)).toBe(false);
  });

  it("admits any confidence above 0 when min_confidence is 0", () => {
    expect(inView(fact(1, "e", { confidence: 0.01 }), viewOf(reader, { minConfidence: 0 }))).toBe(true);
  });

  it("shows a garden fact to a reader of that garden", () => {
    expect(inView(fact(1, "e", {}, { gardenId: "stigmem://n/garden/g" }), viewOf(admin))).toBe(true);
    expect(inView(fact(1, "e", {}, { gardenId: "stigmem://n/garden/g" }), viewOf({ ...reader, gardens: ["stigmem://n/garden/g"] }))).toBe(true);
  });
});

describe("ViewRowCache", () => {
  it("forgets exactly the invalidated entity's rows and heads", () => {
    const cache = new ViewRowCache();
    cache.putHeads("a", [fact(1, "a"), fact(2, "a")]);
    cache.put(fact(3, "a", {}, { live: false }));
    cache.putHeads("b", [fact(4, "b")]);
    cache.invalidate("a");
    expect([1, 2, 3].map((r) => cache.get(r))).toEqual([undefined, undefined, undefined]);
    expect(cache.heads("a")).toBeUndefined();
    expect(cache.get(4)?.entity).toBe("b");
    expect(cache.heads("b")?.map((f) => f.rowid)).toEqual([4]);
    expect(cache.size).toBe(1);
  });

  it("forgets everything when cleared (another connection committed)", () => {
    const cache = new ViewRowCache();
    cache.putHeads("a", [fact(1, "a")]);
    cache.putHeads("b", [fact(2, "b")]);
    expect(cache.get(1)).toBeDefined();
    cache.clear();
    expect(cache.get(1)).toBeUndefined();
    expect(cache.heads("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("evicts whole entities, oldest first, so that invalidating one still finds all of its rows", () => {
    const cache = new ViewRowCache(8);
    for (let e = 0; e < 4; e++) cache.putHeads(`e${e}`, [fact(e * 10 + 1, `e${e}`), fact(e * 10 + 2, `e${e}`)]);
    expect(cache.size).toBe(8);
    cache.put(fact(41, "e4"));
    // Over the limit: the oldest entity goes whole, down to 7 rows (an eighth free).
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.heads("e0")).toBeUndefined();
    expect(cache.size).toBe(7);
    cache.invalidate("e1");
    expect(cache.get(11)).toBeUndefined();
    expect(cache.get(12)).toBeUndefined();
    expect(cache.size).toBe(5);
  });

  it("keeps the first copy of a row put twice", () => {
    const cache = new ViewRowCache();
    const first = fact(1, "a");
    cache.put(first);
    cache.put(fact(1, "a", { value_v: "other" }));
    expect(cache.get(1)).toBe(first);
    expect(cache.size).toBe(1);
  });

  it("keeps nothing with a limit of 0", () => {
    const cache = new ViewRowCache(0);
    cache.put(fact(1, "a"));
    cache.putHeads("b", [fact(2, "b")]);
    expect([cache.get(1), cache.get(2), cache.heads("b")]).toEqual([undefined, undefined, undefined]);
    expect(cache.size).toBe(0);
  });
});
