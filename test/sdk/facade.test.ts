/**
 * Every facade call against a real node over REST, Connect, gRPC and
 * gRPC-Web, and the promise behind one facade: the same call returns the
 * same domain object whichever transport carried it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { value, type Fact, type RecallResult, type ScoredFact, type StigmemClient } from "../../sdks/typescript/src/public-api.js";
import type { TestNode } from "../helpers/test-node.js";
import { clientOf, startSdkNode, TRANSPORTS } from "./sdk-node.js";

let node: TestNode;
beforeAll(async () => {
  node = await startSdkNode();
});
afterAll(async () => {
  await node.stop();
});

describe.each(TRANSPORTS)("facade over %s", (transport) => {
  let c: StigmemClient;
  /** Entities of this transport only, so the suites cannot see each other's facts. */
  const e = (name: string): string => `user:${transport}-${name}`;
  beforeAll(() => {
    c = clientOf(node, transport);
  });

  it("reports its transport, the node and the caller", async () => {
    expect(c.transport).toBe(transport);
    expect(await c.node.info()).toMatchObject({ version: "1.0", nodeId: node.node.nodeId, auth: "required", federation: "disabled" });
    expect(await c.node.health()).toEqual({ status: "ok" });
    expect(await c.me()).toMatchObject({ entityUri: "agent:admin", tenantId: "default", permissions: expect.arrayContaining(["admin"]) });
  });

  it("asserts, deduplicates, gets by id and CID, queries, lists and verifies a fact", async () => {
    const input = { entity: e("alice"), relation: "memory:role", value: value.string("engineer"), source: "agent:sdk", scope: "company" as const };
    const first = await c.facts.assert(input);
    expect(first.deduplicated).toBe(false);
    expect(first.fact).toMatchObject({
      entity: e("alice"),
      relation: "memory:role",
      value: { type: "string", v: "engineer", interpretAs: "content" },
      source: "agent:sdk",
      scope: "company",
      confidence: 1,
      state: "current",
      validUntil: null,
      receivedFrom: null,
    });
    expect(first.fact.cid).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await c.facts.assert(input);
    expect(again).toEqual({ fact: first.fact, deduplicated: true });
    expect(await c.facts.get(first.fact.id)).toEqual(first.fact);
    expect(await c.facts.get(first.fact.cid)).toEqual(first.fact);

    const page = await c.facts.query({ entity: e("alice") });
    expect(page).toEqual({ facts: [first.fact], total: 1, cursor: null, integrityDegraded: false });
    expect(await c.facts.verifyCid(first.fact.id)).toEqual({
      cidValid: true,
      computedCid: first.fact.cid,
      storedCid: first.fact.cid,
      mismatchReason: null,
    });
  });

  it("reads every value type back as written", async () => {
    const values = [value.text("long prose"), value.datetime("2030-01-01T00:00:00Z"), value.ref("user:bob"), value.number(42), value.boolean(false), value.null()];
    for (const [i, v] of values.entries()) {
      const { fact } = await c.facts.assert({ entity: e("types"), relation: `memory:v${i}`, value: v, source: "agent:sdk" });
      expect(fact.value).toEqual({ ...v, v: v.v ?? null, interpretAs: "content" });
    }
  });

  it("lists every page and retracts a chain", async () => {
    const facts = Array.from({ length: 5 }, (_, i) => ({ entity: e("paged"), relation: `memory:n${i}`, value: value.number(i), source: "agent:sdk" }));
    const batch = await c.facts.batch(facts, { idempotencyKey: `${transport}-paged` });
    expect(batch.accepted).toBe(5);
    expect(batch.results.map((r) => [r.index, r.status, r.error])).toEqual(facts.map((_, i) => [i, "accepted", null]));
    const listed: Fact[] = [];
    for await (const f of c.facts.list({ entity: e("paged"), limit: 2, order: "asc" })) listed.push(f);
    expect(listed.map((f) => f.id)).toEqual(batch.results.map((r) => r.factId));
    expect(listed.map((f) => f.cid)).toEqual(batch.results.map((r) => r.cid));

    const retraction = await c.facts.retract({ entity: e("paged"), relation: "memory:n0", source: "agent:sdk", scope: "local" });
    expect(retraction.fact).toMatchObject({ confidence: 0, value: { type: "string", v: "retracted" }, supersedes: [listed[0]!.id] });
    expect((await c.facts.query({ entity: e("paged") })).total).toBe(4);
    expect((await c.facts.get(listed[0]!.id)).state).toBe("superseded");
  });

  it("batches with a rejected item reported in place", async () => {
    const r = await c.facts.batch([
      { entity: e("batch"), relation: "memory:ok", value: value.string("x"), source: "agent:sdk" },
      { entity: e("batch"), relation: "memory:bad", value: value.number(1), source: "agent:sdk", confidence: 3 },
    ]);
    expect(r).toMatchObject({ accepted: 1, rejected: 1 });
    expect(r.results[1]).toMatchObject({ index: 1, status: "rejected", factId: null, error: "validation_error" });
  });

  it("recalls, builds a card and walks the graph", async () => {
    await c.facts.assert({ entity: e("atlas"), relation: "memory:summary", value: value.text("Atlas is the orbital telescope project"), source: "agent:sdk" });
    await c.facts.assert({ entity: e("atlas"), relation: "rel:owner", value: value.ref(e("carol")), source: "agent:sdk" });
    const r = await c.recall("orbital telescope", { entity: e("atlas"), tokenBudget: 500, verifyChain: true });
    expect(r.facts.map((s) => s.fact.relation)).toContain("memory:summary");
    expect(r.facts[0]!.scoreBreakdown.weightedTotal).toBeGreaterThan(0);
    expect(r.chainProof).toMatchObject({ tenantId: "default", checkpoint: null });
    expect(r.chainProof!.checkedEntries).toBeGreaterThan(0);
    expect(r.tokensUsed).toBeLessThanOrEqual(500);

    const card = await c.cards.get(e("atlas"));
    expect(card).toMatchObject({ entityUri: e("atlas"), scope: "local", hasContradictions: false });
    expect(card.summary).toContain("Atlas is the orbital telescope project");
    expect(card.factHashes).toHaveLength(2);

    // A formal URI travels in the REST path as one segment, and comes back normalized.
    await c.facts.assert({ entity: `stigmem://TestNode/User/${transport} Formal`, relation: "memory:x", value: value.string("y"), source: "agent:sdk" });
    expect((await c.cards.get(`stigmem://testnode/user/${transport}-formal`)).entityUri).toBe(`stigmem://testnode/user/${transport}-formal`);

    const graph = await c.graph.neighbors(e("atlas"), { scope: "local" });
    expect(graph.neighbors).toEqual([
      { entity: e("carol"), relation: "rel:owner", hops: 1, confidence: 1, sourceTrust: expect.any(Number), path: [e("atlas"), e("carol")] },
    ]);
  });

  it("counts a listed relation's shared values", async () => {
    for (const [svc, person] of [["pay", "tom"], ["ehr", "tom"], ["lis", "pedro"]] as const) {
      await c.facts.assert({ entity: e(`svc-${svc}`), relation: "has-oncall", value: value.ref(e(person)), source: "agent:sdk" });
    }
    const r = await c.recall("who is on call?");
    const mine = r.facts.filter((s) => s.fact.relation === "has-oncall" && s.fact.entity.startsWith(e("svc-")));
    expect(mine).toHaveLength(3);
    const counts = mine.map((s) => [s.fact.value.v, s.sameValueCount]);
    // The first of Tom's two facts carries the count; his copy and Pedro's fact carry none.
    expect(counts.filter(([, n]) => n !== null)).toEqual([[e("tom"), 2]]);
    expect(counts.filter(([v]) => v === e("tom")).map(([, n]) => n)).toEqual([2, null]);
  });

  it("lists, gets and resolves a conflict", async () => {
    const a = await c.facts.assert({ entity: e("pref"), relation: "pref:color", value: value.string("red"), source: "agent:a" });
    await c.facts.assert({ entity: e("pref"), relation: "pref:color", value: value.string("blue"), source: "agent:b" });
    const open = (await c.conflicts.list()).conflicts.find((x) => x.entity === e("pref"));
    expect(open).toMatchObject({ status: "unresolved", relation: "pref:color", scope: "local", resolvedBy: null });
    expect(await c.conflicts.get(open!.conflictId)).toEqual(open);
    const done = await c.conflicts.resolve(open!.conflictId, { winningFactId: a.fact.id, note: "red it is" });
    expect(done.conflictStatus).toBe("resolved");
    const closed = await c.conflicts.get(open!.conflictId);
    expect(closed).toMatchObject({ status: "resolved", resolvedBy: done.resolutionFactId, resolutionNote: "red it is" });
    expect((await c.conflicts.list({ status: "resolved" })).conflicts.map((x) => x.conflictId)).toContain(open!.conflictId);
    // A new value resolves too.
    await c.facts.assert({ entity: e("pref2"), relation: "pref:size", value: value.string("s"), source: "agent:a" });
    await c.facts.assert({ entity: e("pref2"), relation: "pref:size", value: value.string("m"), source: "agent:b" });
    const second = (await c.conflicts.list()).conflicts.find((x) => x.entity === e("pref2"))!;
    const byValue = await c.conflicts.resolve(second.conflictId, { newValue: value.string("l") });
    expect((await c.facts.get(byValue.resolutionFactId)).value).toEqual({ type: "string", v: "l", interpretAs: "content" });
  });

  it("creates, lists and revokes a key, which then stops working", async () => {
    const created = await c.keys.create({ entityUri: `agent:${transport}-reader`, permissions: ["read"], allowedScopes: ["local"], description: "sdk test" });
    expect(created.rawKey).toMatch(/.{32,}/);
    expect(created.key).toMatchObject({ entityUri: `agent:${transport}-reader`, permissions: ["read"], allowedScopes: ["local"], description: "sdk test", tenantId: "default" });
    expect((await c.keys.list()).map((k) => k.id)).toContain(created.key.id);
    const reader = clientOf(node, transport, { apiKey: created.rawKey! });
    expect(await reader.me()).toMatchObject({ entityUri: `agent:${transport}-reader`, permissions: ["read"], allowedScopes: ["local"], keyId: created.key.id });
    await c.keys.revoke(created.key.id);
    await expect(reader.me()).rejects.toMatchObject({ name: "AuthError", code: "invalid_api_key" });
  });
});

/** A recall without what moves with the clock (recency, hence scores) or per call (ids). */
function timeless(r: RecallResult): unknown {
  const strip = (s: ScoredFact) => ({ ...s, score: 0, scoreBreakdown: { ...s.scoreBreakdown, recency: 0, weightedTotal: 0 } });
  return { ...r, recallId: "", queryHash: "", facts: r.facts.map(strip), content: r.content.map(strip), instructions: r.instructions.map(strip) };
}

describe("one facade, one result whichever the transport", () => {
  it("returns equal domain objects for the same reads over all four transports", async () => {
    const rest = clientOf(node, "rest");
    const { fact } = await rest.facts.assert({ entity: "user:same", relation: "memory:age", value: value.number(1e21), source: "agent:same", confidence: 0.9 });
    await rest.facts.assert({ entity: "user:same", relation: "rel:knows", value: value.ref("user:other"), source: "agent:same" });
    const read = async (c: StigmemClient) => ({
      fact: await c.facts.get(fact.id),
      page: await c.facts.query({ entity: "user:same", includeSuperseded: true }),
      recall: timeless(await c.recall("same", { entity: "user:same" })),
      card: await c.cards.get("user:same"),
      graph: await c.graph.neighbors("user:same", { scope: "local", depth: 2 }),
      info: await c.node.info(),
      me: await c.me(),
      keys: await c.keys.list(),
      conflicts: await c.conflicts.list({ status: "resolved" }),
      cid: await c.facts.verifyCid(fact.id),
    });
    const expected = await read(rest);
    expect(expected.fact.value).toEqual({ type: "number", v: 1e21, interpretAs: "content" });
    for (const t of TRANSPORTS.slice(1)) expect(await read(clientOf(node, t)), t).toEqual(expected);
  });
});
