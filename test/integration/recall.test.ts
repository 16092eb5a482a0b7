/**
 * POST /v1/recall over real HTTP (protocol.md §9): response shape, natural
 * questions, stop words, exact entity words, the current view (superseded,
 * retracted, expired, low-confidence facts never appear), contradictions,
 * token budgets, graph depth, filters, MMR, cards, chain proofs, integrity
 * and validation.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestClient } from "../helpers/rest-client.js";
import { factPutter } from "../helpers/put-fact.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://testnode";
const ALICE = `${T}/user/alice`;
const BOB = `${T}/user/bob`;
const CAROL = `${T}/user/carol`;
const ATLAS = `${T}/project/atlas`;
const S = `${T}/agent/test`;

let node: TestNode;
let api: RestClient;

const put = factPutter(() => api, S);

async function recall(body: Record<string, unknown>, path = "/v1/recall", headers: Record<string, string> = {}) {
  const res = await fetch(node.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ scope: "company", ...body }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const pairs = (body: any): string[] => body.facts.map((f: any) => `${f.fact.entity} ${f.fact.relation}`);

beforeAll(async () => {
  // Lexical and graph only, so rankings are exact; recall-semantic.test.ts covers the embedder.
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
  await put(ALICE, "memory:role", "chief executive officer");
  await put(ALICE, "memory:trust_level", "high");
  await put(ALICE, "memory:email", "alice@example.com");
  await put(BOB, "memory:role", "designer");
  await put(BOB, "memory:knows", { type: "ref", v: ALICE });
  await put(ATLAS, "memory:owner", { type: "ref", v: ALICE });
  await put(ATLAS, "memory:description", "atlas is the migration of billing to postgres");
  await put(CAROL, "memory:note", "what is this and what is that, of the the and of the");
});
afterAll(async () => {
  await node.stop();
});

describe("response shape", () => {
  it("answers every field, a uuid4 recall_id, the query hash and X-Total-Count", async () => {
    const r = await recall({ query: "alice role" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(Object.keys(r.body)).toEqual([
      "recall_id",
      "query_hash",
      "facts",
      "content",
      "instructions",
      "total_scored",
      "token_budget",
      "tokens_used",
      "truncated",
      "tombstone_notices",
      "chain_proof",
    ]);
    expect(r.body.recall_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.body.query_hash).toBe(sha256("alice role"));
    expect(r.headers.get("x-total-count")).toBe(String(r.body.total_scored));
    expect(r.body).toMatchObject({ token_budget: 4000, truncated: false, tombstone_notices: [], chain_proof: null });
    const first = r.body.facts[0];
    expect(Object.keys(first)).toEqual(["fact", "score", "score_breakdown", "hop_distance", "token_estimate", "from_card"]);
    expect(Object.keys(first.score_breakdown)).toEqual(["lexical", "semantic", "graph", "source_trust", "recency", "weighted_total"]);
    expect(first.score_breakdown.weighted_total).toBe(first.score);
    expect(first.score_breakdown.semantic).toBe(0); // no embedder on this node
    expect(r.body.tokens_used).toBe(r.body.facts.reduce((s: number, f: any) => s + f.token_estimate, 0));
    expect(r.body.content).toEqual(r.body.facts);
    expect(r.body.instructions).toEqual([]);
    const f = first.fact;
    const text = `${f.entity} ${f.relation} ${f.value.v} ${f.source}`;
    expect(first.token_estimate).toBe(Math.max(1, Math.ceil([...text].length / 4)));
  });

  it("says where its time went in Server-Timing, within the round trip", async () => {
    const started = performance.now();
    const r = await recall({ query: "alice role" });
    const roundTrip = performance.now() - started;
    const header = r.headers.get("server-timing") ?? "";
    const phases = header.split(", ").map((p) => /^([a-z-]+);dur=(\d+\.\d{3})$/.exec(p));
    expect(phases.map((m) => m?.[1])).toEqual(["structure", "candidates", "semantic-wait", "signals", "fuse", "diversify", "pack", "verify", "build", "serialize"]);
    const total = phases.reduce((sum, m) => sum + Number(m![2]), 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(roundTrip);
  });

  it("?legacy_format=true leaves out content and instructions", async () => {
    const r = await recall({ query: "alice role" }, "/v1/recall?legacy_format=true");
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty("content");
    expect(r.body).not.toHaveProperty("instructions");
    expect(r.body.facts.length).toBeGreaterThan(0);
    expect((await recall({ query: "x" }, "/v1/recall?legacy_format=perhaps")).status).toBe(422);
  });

  it("answers an empty result with zeros", async () => {
    const r = await recall({ query: "zzz-no-such-entity-xyz-nonexistent-token-abc" });
    expect(r.body).toMatchObject({ facts: [], content: [], instructions: [], total_scored: 0, tokens_used: 0, truncated: false });
    expect(r.headers.get("x-total-count")).toBe("0");
  });
});

describe("questions in natural language", () => {
  it.each([
    ["What is Alice's role?", `${ALICE} memory:role`],
    ["I need to know: what's the trust level of alice?", `${ALICE} memory:trust_level`],
    ["who is the owner of atlas?", `${ATLAS} memory:owner`],
    ["Is Atlas migrating billing to Postgres?", `${ATLAS} memory:description`],
    ["alice's e-mail — please!", `${ALICE} memory:email`],
    ["what's bob's role???", `${BOB} memory:role`],
  ])("%j finds %s first", async (query, expected) => {
    const r = await recall({ query });
    expect(r.status).toBe(200);
    expect(pairs(r.body)[0]).toBe(expected);
  });

  it("never lets stop words dominate: a fact made of stop words does not match a question", async () => {
    const r = await recall({ query: "What is the role of the chief executive?" });
    expect(pairs(r.body)[0]).toBe(`${ALICE} memory:role`);
    expect(pairs(r.body)).not.toContain(`${CAROL} memory:note`);
  });

  it.each(['"', "?", "...", "'", "NEAR(", "AND OR NOT", "*", "a:b:c", "((", "'; DROP TABLE facts; --"])(
    "treats %j as text, never as FTS syntax",
    async (query) => {
      const r = await recall({ query });
      expect(r.status).toBe(200);
    },
  );

  it("matches an entity URI written in the question exactly (lexical 1) and walks from it", async () => {
    await put("agent:hub", "memory:kind", "router");
    await put("agent:hub", "memory:connects", { type: "ref", v: "device:leaf" });
    await put("device:leaf", "memory:kind", "sensor");
    const r = await recall({ query: "Where is agent:hub?", depth: 1 });
    const hub = r.body.facts.filter((f: any) => f.fact.entity === "agent:hub");
    expect(hub.length).toBe(2);
    for (const f of hub) expect(f.score_breakdown).toMatchObject({ lexical: 1, graph: 1 });
    expect(hub.every((f: any) => f.hop_distance === 0)).toBe(true);
    // The leaf is one hop away and shares no word with the question.
    const leaf = r.body.facts.find((f: any) => f.fact.entity === "device:leaf");
    expect(leaf).toMatchObject({ hop_distance: 1, score_breakdown: { lexical: 0, graph: 0.5 } });
    const formal = await recall({ query: `tell me about ${BOB}.` });
    for (const f of formal.body.facts.filter((x: any) => x.fact.entity === BOB)) expect(f.score_breakdown.lexical).toBe(1);
  });

  it("matches relation words (trust level → memory:trust_level) and short entity ids (user:x)", async () => {
    await put("user:zed", "memory:trust_level", "low");
    const r = await recall({ query: "user:zed trust level" });
    expect(pairs(r.body)[0]).toBe("user:zed memory:trust_level");
    expect(r.body.facts[0].score_breakdown.lexical).toBe(1);
  });
});

describe("the current view only", () => {
  it("never returns superseded, retracted, expired or low-confidence facts", async () => {
    const e = `${T}/user/dora`;
    await put(e, "memory:city", "lisbon");
    await put(e, "memory:city", "berlin"); // same source: supersedes lisbon
    await put(e, "memory:pet", "gecko");
    await put(e, "memory:pet", "retracted", { confidence: 0 });
    await put(e, "memory:visa", "expired visa", { valid_until: "2020-01-01T00:00:00Z" });
    await put(e, "memory:rumour", "dora rumour", { confidence: 0.05 });
    const r = await recall({ query: "dora lisbon berlin gecko visa rumour" });
    const values = r.body.facts.map((f: any) => f.fact.value.v);
    expect(values).toContain("berlin");
    for (const gone of ["lisbon", "gecko", "retracted", "expired visa", "dora rumour"]) expect(values).not.toContain(gone);
    expect(r.body.total_scored).toBe(1);
    // min_confidence 0 admits the low-confidence fact, never the others.
    const all = await recall({ query: "dora lisbon berlin gecko visa rumour", min_confidence: 0 });
    expect(all.body.facts.map((f: any) => f.fact.value.v).sort()).toEqual(["berlin", "dora rumour"]);
  });

  it("finds the scope's few matches behind many better-ranked ones of another scope", async () => {
    // The full-text hits are read best first in chunks sized for the scope's share; these
    // company facts rank last (longer text) and come after 30 matches in "team".
    for (let i = 0; i < 30; i++) await put(`${T}/fish/t${i}`, "memory:kind", "zebrafish", { scope: "team" });
    await put(`${T}/fish/c1`, "memory:kind", "zebrafish kept in the lab tank number one");
    await put(`${T}/fish/c2`, "memory:kind", "zebrafish kept in the lab tank number two");
    const r = await recall({ query: "zebrafish", limit: 2 });
    expect(r.body.facts.map((f: any) => f.fact.entity).sort()).toEqual([`${T}/fish/c1`, `${T}/fish/c2`]);
    expect(r.body.facts.every((f: any) => f.fact.scope === "company")).toBe(true);
  });

  it("returns both sides of a contradiction, flagged and scored × 0.7", async () => {
    const e = `${T}/project/hermes`;
    await put(e, "roadmap:status", "blocked", { source: `${T}/agent/tracker` });
    await put(e, "roadmap:status", "on track", { source: `${T}/agent/planner` });
    await put(e, "memory:codename", "hermes");
    // Only the trust signal: raw = 0.7 (another key's source), so score = 0.7 × confidence × penalty.
    const weights = { lexical: 0, semantic: 0, graph: 0, source_trust: 1, recency: 0 };
    const r = await recall({ query: "hermes", weights, entity: e });
    const byValue = Object.fromEntries(r.body.facts.map((f: any) => [f.fact.value.v, f]));
    expect(byValue.blocked.fact.contradicted).toBe(true);
    expect(byValue["on track"].fact.contradicted).toBe(true);
    expect(byValue.blocked.score).toBeCloseTo(0.7 * 0.7, 12);
    expect(byValue.hermes.score).toBeCloseTo(0.7, 12);
  });
});

describe("token budget", () => {
  it("fits nothing in a budget of 1", async () => {
    const r = await recall({ query: "alice", token_budget: 1 });
    expect(r.body).toMatchObject({ facts: [], tokens_used: 0, truncated: true, token_budget: 1 });
    expect(r.body.total_scored).toBeGreaterThan(0);
  });

  it("packs exactly the first item when the budget is its estimate, and never overspends", async () => {
    const full = await recall({ query: "alice", include_neighbors: false });
    const first = full.body.facts[0];
    const tight = await recall({ query: "alice", include_neighbors: false, token_budget: first.token_estimate });
    expect(tight.body.facts.map((f: any) => f.fact.id)).toEqual([first.fact.id]);
    expect(tight.body.tokens_used).toBe(first.token_estimate);
    expect(tight.body.truncated).toBe(full.body.facts.length > 1);
    for (const budget of [2, 5, 10, 15, 20, 30, 50, 80]) {
      const r = await recall({ query: "alice", token_budget: budget });
      expect(r.body.tokens_used).toBeLessThanOrEqual(budget);
    }
  });
});

describe("graph", () => {
  beforeAll(async () => {
    // g0 → g1 → g2 → g3, and a reified relationship between g0 and a project.
    for (let i = 0; i < 3; i++) await put(`${T}/node/g${i}`, "memory:links_to", { type: "ref", v: `${T}/node/g${i + 1}` });
    for (let i = 0; i < 4; i++) await put(`${T}/node/g${i}`, "memory:label", `label ${i}`);
    await put(`${T}/node/g0`, "memory:seed", "graphseed");
    await put("rel:assignment-1", "rel:subject", { type: "ref", v: `${T}/node/g0` });
    await put("rel:assignment-1", "rel:object", { type: "ref", v: `${T}/project/zephyr` });
    await put(`${T}/project/zephyr`, "memory:label", "zephyr");
  });

  const reach = async (body: Record<string, unknown>) => {
    const r = await recall({ query: "graphseed", ...body });
    expect(r.status).toBe(200);
    const hops: Record<string, number> = {};
    for (const f of r.body.facts) hops[f.fact.entity] = Math.min(hops[f.fact.entity] ?? 99, f.hop_distance);
    return hops;
  };

  it("walks ref edges both ways up to depth", async () => {
    expect(await reach({ depth: 1 })).toMatchObject({ [`${T}/node/g0`]: 0, [`${T}/node/g1`]: 1, "rel:assignment-1": 1 });
    const d3 = await reach({ depth: 3 });
    expect(d3).toMatchObject({ [`${T}/node/g2`]: 2, [`${T}/node/g3`]: 3, [`${T}/project/zephyr`]: 2 });
    expect(await reach({ depth: 1 })).not.toHaveProperty(`${T}/node/g2`);
  });

  it("include_neighbors=false keeps the direct hits only", async () => {
    expect(Object.keys(await reach({ include_neighbors: false, depth: 3 }))).toEqual([`${T}/node/g0`]);
  });

  it("scores neighbours 1/(1+hops)", async () => {
    const r = await recall({ query: "graphseed", depth: 3 });
    for (const f of r.body.facts) {
      const expected = f.score_breakdown.lexical > 0 ? 1 : 1 / (1 + f.hop_distance);
      expect(f.score_breakdown.graph).toBeCloseTo(expected, 12);
    }
  });

  it("refuses depth above 3 with 400 graph_depth_exceeded, below 1 with 422", async () => {
    const r = await recall({ query: "graphseed", depth: 4 });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("graph_depth_exceeded");
    expect((await recall({ query: "graphseed", depth: 0 })).status).toBe(422);
  });
});

describe("filters and diversity", () => {
  it("entity and relation narrow every channel", async () => {
    const r = await recall({ query: "alice role", entity: " STIGMEM://TestNode/user/Alice" });
    expect(new Set(r.body.facts.map((f: any) => f.fact.entity))).toEqual(new Set([ALICE]));
    const rel = await recall({ query: "role", relation: "memory:role" });
    expect(rel.body.facts.length).toBeGreaterThanOrEqual(2);
    expect(rel.body.facts.every((f: any) => f.fact.relation === "memory:role")).toBe(true);
    expect((await recall({ query: "x", entity: "   " })).body.code).toBe("invalid_entity_uri");
  });

  it("lambda_mmr below 1 lets a different entity ahead of a near-duplicate", async () => {
    const e1 = `${T}/team/orbit`;
    const e2 = `${T}/team/comet`;
    await put(e1, "memory:topic", "kepler kepler kepler mission");
    await put(e1, "memory:topic2", "kepler kepler mission");
    await put(e2, "memory:topic", "kepler mission");
    const plain = await recall({ query: "kepler", lambda_mmr: 1, include_neighbors: false });
    expect(plain.body.facts.map((f: any) => f.fact.entity)).toEqual([e1, e1, e2]);
    const diverse = await recall({ query: "kepler", lambda_mmr: 0.3, include_neighbors: false });
    expect(diverse.body.facts.map((f: any) => f.fact.entity)).toEqual([e1, e2, e1]);
  });
});

describe("prefer_cards", () => {
  it("collapses an entity's candidates into its card, scored at their best score", async () => {
    const plain = await recall({ query: "alice role email", include_neighbors: false });
    const best = Math.max(...plain.body.facts.filter((f: any) => f.fact.entity === ALICE).map((f: any) => f.score));
    const r = await recall({ query: "alice role email", include_neighbors: false, prefer_cards: true });
    const card = r.body.facts.find((f: any) => f.fact.id === `card:${ALICE}`);
    expect(card).toBeDefined();
    expect(card.from_card).toBe(true);
    expect(card.score).toBeCloseTo(best, 6); // recency moved on a little between the two calls
    expect(card.fact).toMatchObject({ entity: ALICE, relation: "stigmem:card:summary", source: "system:stigmem:materializer" });
    expect(card.fact.value.type).toBe("text");
    expect(card.fact.value.v).toContain("- memory:role: chief executive officer (confidence 1.00");
    expect(card.fact.cid).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.body.facts.filter((f: any) => f.fact.entity === ALICE)).toHaveLength(1);
    const card2 = await api.get(`/v1/cards/${ALICE}?scope=company`);
    expect(card.fact.value.v).toBe(card2.body.summary);
    expect(card.token_estimate).toBe(Math.ceil([...`${ALICE} stigmem:card:summary ${card2.body.summary} system:stigmem:materializer`].length / 4));
  });
});

describe("validation", () => {
  it.each([
    [{}, 422],
    [{ query: "" }, 422],
    [{ query: 5 }, 422],
    [{ query: "x", token_budget: 0 }, 422],
    [{ query: "x", token_budget: 200_001 }, 422],
    [{ query: "x", token_budget: 10.5 }, 422],
    [{ query: "x", limit: 0 }, 422],
    [{ query: "x", limit: 501 }, 422],
    [{ query: "x", min_confidence: 1.5 }, 422],
    [{ query: "x", weights: { lexical: 2 } }, 422],
    [{ query: "x", weights: "heavy" }, 422],
    [{ query: "x", lambda_mmr: -0.1 }, 422],
    [{ query: "x", include_neighbors: "yes" }, 422],
    [{ query: "x", scope: 7 }, 422],
    [{ query: "x", scope: "universe" }, 400],
    [{ query: "x", depth: 4 }, 400],
    [{ query: "x", as_of: "2020-01-01T00:00:00Z" }, 501],
    [{ query: "x", token_budget: 200_000, limit: 500, depth: 3, weights: { semantic: 0 } }, 200],
  ])("%j → %i", async (body, status) => {
    const res = await fetch(`${node.url}/v1/recall`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(status);
    const json = (await res.json()) as any;
    if (status === 422) expect(Array.isArray(json.detail)).toBe(true);
    if (status === 400) expect(["invalid_scope", "graph_depth_exceeded"]).toContain(json.code);
    if (status === 501) expect(json.code).toBe("time_travel_plugin_not_loaded");
  });

  it("defaults the scope to local", async () => {
    await put(`${T}/user/lola`, "memory:role", "local-only-marker", { scope: "local" });
    const r = await fetch(`${node.url}/v1/recall`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "local-only-marker" }) });
    const body = (await r.json()) as any;
    expect(body.facts.map((f: any) => f.fact.scope)).toEqual(["local"]);
  });
});

describe("integrity", () => {
  it("Stigmem-Verify: full fills chain_proof over the whole fact chain", async () => {
    const r = await recall({ query: "alice" }, "/v1/recall", { "Stigmem-Verify": "full" });
    expect(r.status).toBe(200);
    const db = new Database(path.join(node.dataDir, "stigmem.db"), { readonly: true });
    const { n, head } = db.prepare("SELECT COUNT(*) AS n, (SELECT hex(chain_hash) FROM fact_chain ORDER BY chain_seq DESC LIMIT 1) AS head FROM fact_chain").get() as { n: number; head: string };
    db.close();
    expect(r.body.chain_proof).toEqual({ tenant_id: "default", checked_entries: n, head_hash: `sha256:${head.toLowerCase()}`, checkpoint: null });
    // Incremental: a later write is covered by the next proof.
    await put(`${T}/user/erin`, "memory:role", "auditor");
    const again = await recall({ query: "erin" }, "/v1/recall", { "stigmem-verify": "FULL" });
    expect(again.body.chain_proof.checked_entries).toBe(n + 1);
  });

  it("drops a tampered fact from recall and says the answer is degraded", async () => {
    const e = `${T}/user/mallory`;
    const f = await put(e, "memory:role", "treasurer");
    await put(e, "memory:team", "treasury");
    const db = new Database(path.join(node.dataDir, "stigmem.db"));
    db.exec("DROP TRIGGER IF EXISTS facts_no_update");
    db.prepare("UPDATE facts SET value_v = 'king' WHERE id = ?").run(f.id);
    db.close();
    const r = await recall({ query: "mallory treasurer treasury king" });
    expect(r.headers.get("stigmem-integrity")).toBe("degraded");
    expect(r.body.facts.map((x: any) => x.fact.id)).not.toContain(f.id);
    expect(r.body.facts.map((x: any) => x.fact.relation)).toContain("memory:team");
  });
});

describe("a broken fact chain", () => {
  it("answers 409 fact_chain_mismatch to Stigmem-Verify: full, and audits it", async () => {
    const other = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    try {
      const client = new RestClient(other.url);
      for (const v of ["one", "two", "three"]) {
        await client.post("/v1/facts", { entity: ALICE, relation: `memory:n_${v}`, value: { type: "string", v }, source: S });
      }
      const call = (verify: boolean) =>
        fetch(`${other.url}/v1/recall`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(verify ? { "stigmem-verify": "full" } : {}) },
          body: JSON.stringify({ query: "one" }),
        });
      expect((await call(true)).status).toBe(200);
      const db = new Database(path.join(other.dataDir, "stigmem.db"));
      db.exec("DROP TRIGGER fact_chain_no_update");
      db.prepare("UPDATE fact_chain SET chain_hash = zeroblob(32) WHERE chain_seq = 2").run();
      db.close();
      const broken = await call(true);
      expect(broken.status).toBe(409);
      // Nested `detail` as the reference has it for this code, and the same fields at the top level.
      const body = (await broken.json()) as any;
      expect(body).toMatchObject({ code: "fact_chain_mismatch", chain_seq: 2 });
      expect(body.detail).toMatchObject({ code: "fact_chain_mismatch", message: body.message, chain_seq: 2 });
      expect((await call(false)).status).toBe(200); // without the header nothing is checked
      const audited = other.inspect().prepare("SELECT detail FROM audit_log WHERE event_type = 'fact_chain_mismatch'").all();
      expect(audited.length).toBeGreaterThan(0);
    } finally {
      await other.stop();
    }
  });
});

function sha256(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}
