/**
 * Recall's semantic channel (protocol.md §9 stage 3) over real HTTP: the
 * offline embedder finds facts that share no word with the question, the
 * ACL and the current view apply to its hits, and an embedder that fails,
 * throws or hangs costs the channel, never the recall. Faults are injected
 * at the recall/embedder seam: the node is composed with a channel that
 * forwards to whichever channel a test installs (the real one by default).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SemanticIndex } from "../../src/embed/semantic-index.js";
import { startEmbedding } from "../../src/embed/start-embedding.js";
import type { SemanticChannel, SemanticHit } from "../../src/node/recall/semantic-channel.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://testnode";
const S = `${T}/agent/test`;

let node: TestNode;
let api: RestClient;
let real: SemanticChannel | null;
/** The channel recall's calls go to. */
let target: SemanticChannel;
const switchable: SemanticChannel = {
  get embedderId() {
    return target.embedderId;
  },
  search: (query, opts) => target.search(query, opts),
  similarities: (rowids) => target.similarities(rowids),
  embedTexts: (texts) => (target.embedTexts === undefined ? Promise.reject(new Error("no embedTexts")) : target.embedTexts(texts)),
  similarityTo: (query, rowids) => (target.similarityTo === undefined ? new Float64Array(rowids.length).fill(Number.NaN) : target.similarityTo(query, rowids)),
};
const ids: Record<string, string> = {};

async function put(key: string, entity: string, relation: string, v: string, extra: Record<string, unknown> = {}) {
  const res = await api.post("/v1/facts", { entity, relation, value: { type: "string", v }, source: S, scope: "company", ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  ids[key] = res.body.id;
  return res.body;
}

const rowidOf = (id: string): number =>
  (node.inspect().prepare("SELECT rowid FROM facts WHERE id = ?").get(id) as { rowid: number }).rowid;

async function recall(body: Record<string, unknown>) {
  const res = await api.post("/v1/recall", { scope: "company", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A channel that answers `hits` (or fails as told), for fault injection at the seam. */
function fake(search: (q: string) => Promise<SemanticHit[]>): SemanticChannel {
  return { embedderId: "test/fake", search, similarities: () => ({ cosine: () => 0 }) };
}

beforeAll(async () => {
  node = await startTestNode({
    semantic: (host) => {
      const runtime = startEmbedding(host);
      real = runtime?.channel ?? null;
      if (runtime === null) return null;
      target = runtime.channel;
      return { channel: switchable, close: () => runtime.close() };
    },
  });
  api = new RestClient(node.url);
  await put("city", `${T}/user/alice`, "memory:lives_in", "Berlin");
  await put("role", `${T}/user/alice`, "memory:role", "chief executive officer");
  await put("outage", `${T}/service/db`, "memory:incident", "the deployment failed because the database crashed");
  await put("ceo", `${T}/user/bob`, "memory:title", "CEO");
  await put("public", `${T}/user/alice`, "memory:secret", "Berlin apartment address", { scope: "public" });
  await put("old", `${T}/user/alice`, "memory:hobby", "chess");
  await put("new", `${T}/user/alice`, "memory:hobby", "climbing");
  // Wait until the background queue has embedded every fact.
  const deadline = Date.now() + 20_000;
  const all = Object.values(ids).map(rowidOf);
  while (real !== null && (real as SemanticIndex).vectors(all).size < all.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
});
afterEach(() => {
  if (real !== null) target = real;
});
afterAll(async () => {
  await node.stop();
});

describe("with the offline embedder", () => {
  it("is configured by default", () => {
    expect(real).not.toBeNull();
  });

  it("finds a fact that shares no word with the question", async () => {
    const r = await recall({ query: "Who is the chief executive?", include_neighbors: false });
    const hit = r.facts.find((f: any) => f.fact.id === ids.ceo);
    expect(hit).toBeDefined();
    expect(hit.score_breakdown.lexical).toBe(0);
    expect(hit.score_breakdown.semantic).toBeGreaterThan(0.25);
  });

  it("scores every candidate on the semantic channel, not only the search's own hits", async () => {
    // A tiny k leaves the lexical hit outside the search's window: its similarity comes from its stored vector.
    const r = await recall({ query: "alice chess climbing", limit: 1, include_neighbors: false });
    const lexical = r.facts.find((f: any) => f.fact.id === ids.new);
    expect(lexical).toBeDefined();
    expect(lexical.score_breakdown.lexical).toBeGreaterThan(0);
    expect(lexical.score_breakdown.semantic).toBeGreaterThan(0);
  });

  it("answers nothing rather than nearest noise for a question about nothing stored", async () => {
    const r = await recall({ query: "zzz-no-such-entity-xyz-nonexistent-token-abc" });
    expect(r).toMatchObject({ facts: [], total_scored: 0 });
  });
});

describe("authorization and the current view apply to semantic hits", () => {
  it("drops hits outside the scope and superseded facts, whatever the embedder says", async () => {
    target = fake(async () =>
      ["public", "old", "new", "city"].map((k) => ({ rowid: rowidOf(ids[k]!), similarity: 0.99 })),
    );
    const r = await recall({ query: "qqqq", include_neighbors: false });
    expect(r.facts.map((f: any) => f.fact.id).sort()).toEqual([ids.city, ids.new].sort());
    expect(r.total_scored).toBe(2);
    for (const f of r.facts) expect(f.score_breakdown).toMatchObject({ lexical: 0, semantic: 0.99 });
  });

  it("asks the embedder inside the recall scope only, over-fetching ×4", async () => {
    const seen: unknown[] = [];
    target = {
      embedderId: "test/spy",
      search: async (_q, opts) => (seen.push(opts), []),
      similarities: () => ({ cosine: () => 0 }),
    };
    await recall({ query: "anything", limit: 25 });
    expect(seen).toEqual([{ scopes: ["company"], k: 100 }]);
  });

  it("leaves a similarity the embedder cannot tell (no stored vector) out of the fusion instead of counting 0", async () => {
    const both = (similarity: number) => ({
      embedderId: "test/unknown",
      search: async () => [],
      similarities: () => ({ cosine: () => 0 }),
      embedTexts: async (texts: readonly string[]) => texts.map(() => Float32Array.of(1)),
      similarityTo: (_q: Float32Array, rowids: readonly number[]) => new Float64Array(rowids.length).fill(similarity),
    });
    const body = { query: "chess climbing", entity: `${T}/user/alice`, include_neighbors: false };
    target = both(Number.NaN);
    const unknown = (await recall(body)).facts.find((f: any) => f.fact.id === ids.new);
    target = both(0);
    const zero = (await recall(body)).facts.find((f: any) => f.fact.id === ids.new);
    expect(unknown.score_breakdown.semantic).toBe(0);
    expect(zero.score_breakdown.semantic).toBe(0);
    // Unknown: the other signals' weights alone decide; 0 would pull the score down by the semantic weight.
    expect(unknown.score).toBeGreaterThan(zero.score);
    const b = zero.score_breakdown;
    const rest = 0.35 * b.lexical + 0.15 * b.graph + 0.1 * b.source_trust + 0.05 * b.recency;
    expect(zero.score).toBeCloseTo(rest, 6);
    expect(unknown.score).toBeCloseTo(rest / 0.65, 6);
  });

  it("ignores malformed hits", async () => {
    target = fake(async () => [
      { rowid: Number.NaN, similarity: 1 },
      { rowid: 10 ** 12, similarity: 1 },
      { rowid: rowidOf(ids.city!), similarity: Number.NaN },
      { rowid: rowidOf(ids.role!), similarity: 7 },
    ]);
    const r = await recall({ query: "qqqq", include_neighbors: false });
    expect(r.facts.map((f: any) => [f.fact.id, f.score_breakdown.semantic])).toEqual([[ids.role, 1]]);
  });
});

describe("a write while the semantic search runs", () => {
  it("reads the direct candidates again, so one recall never mixes two states of the store", async () => {
    await put("officeOld", `${T}/user/carol`, "memory:office", "Lisbon");
    let release: (hits: SemanticHit[]) => void = () => {};
    let searched: () => void = () => {};
    const searching = new Promise<void>((resolve) => (searched = resolve));
    target = fake(() => {
      searched();
      return new Promise<SemanticHit[]>((resolve) => (release = resolve));
    });
    const pending = recall({ query: "carol office" });
    // Once this resumes, the recall has read its lexical candidates and waits for the search.
    await searching;
    await put("officeNew", `${T}/user/carol`, "memory:office", "Porto");
    release([]);
    const values = (await pending).facts.map((f: { fact: { value: { v: unknown } } }) => f.fact.value.v);
    expect(values).toContain("Porto");
    expect(values).not.toContain("Lisbon");
  });
});

describe("embedder outage", () => {
  const lexicalOnly = async () => {
    const r = await recall({ query: "alice role chief executive", include_neighbors: false });
    expect(r.facts[0].fact.id).toBe(ids.role);
    for (const f of r.facts) expect(f.score_breakdown.semantic).toBe(0);
    // Without the semantic channel its weight leaves the denominator: a perfect lexical hit
    // scores (0.35·1 + 0.15·1 + 0.10·0.7 + 0.05·recency) / 0.65.
    const top = r.facts[0].score_breakdown;
    expect(top.weighted_total).toBeCloseTo((0.35 * top.lexical + 0.15 + 0.1 * top.source_trust + 0.05 * top.recency) / 0.65, 9);
    return r;
  };

  it("answers from the other channels when the search rejects", async () => {
    target = fake(() => Promise.reject(new Error("embedding provider is down")));
    await lexicalOnly();
  });

  it("answers when the channel throws synchronously", async () => {
    target = fake(() => {
      throw new Error("boom");
    });
    await lexicalOnly();
  });

  it("answers without the channel when the embedder hangs", async () => {
    target = fake(() => new Promise(() => {}));
    const started = Date.now();
    await lexicalOnly();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ["similarities() throws", (): never => {
      throw new Error("vector store unavailable");
    }],
    ["a cosine throws", () => ({
      cosine: (): never => {
        throw new Error("all scratch areas are in use");
      },
    })],
  ])("answers when %s during diversification", async (_case, similarities) => {
    target = { embedderId: "test/broken-similarities", search: async () => [], similarities };
    const r = await recall({ query: "alice", lambda_mmr: 0.5 });
    expect(r.facts.length).toBeGreaterThan(1);
  });

  it("answers with no embedder at all", async () => {
    const bare = await startTestNode({ semantic: () => null });
    try {
      const client = new RestClient(bare.url);
      await client.post("/v1/facts", { entity: `${T}/user/alice`, relation: "memory:lives_in", value: { type: "string", v: "Berlin" }, source: S, scope: "company" });
      const res = await client.post("/v1/recall", { scope: "company", query: "alice" });
      expect(res.status).toBe(200);
      expect(res.body.facts.length).toBeGreaterThan(0);
      for (const f of res.body.facts) expect(f.score_breakdown.semantic).toBe(0);
    } finally {
      await bare.stop();
    }
  });
});
