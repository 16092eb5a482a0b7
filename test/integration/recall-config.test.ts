/**
 * The recall settings on a running node: the fusion switch
 * (STIGMEM_RECALL_FUSION) and the recency half-life
 * (STIGMEM_RECALL_HALF_LIFE_DAYS) change scores as protocol.md §9 says.
 */
import { afterAll, describe, expect, it } from "vitest";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const nodes: TestNode[] = [];
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

async function nodeWith(env: Record<string, string>): Promise<RestClient> {
  const n = await startTestNode({ env: { STIGMEM_EMBEDDER: "none", ...env } });
  nodes.push(n);
  const api = new RestClient(n.url);
  const res = await api.post("/v1/facts", { entity: "user:solo", relation: "memory:role", value: { type: "string", v: "pilot" }, source: "agent:x" });
  expect(res.status).toBe(201);
  return api;
}

describe("fusion switch", () => {
  it("wsum: Σ wᵢsᵢ / Σ wᵢ over the active signals", async () => {
    const api = await nodeWith({ STIGMEM_RECALL_FUSION: "wsum" });
    const f = (await api.post("/v1/recall", { query: "pilot" })).body.facts[0];
    const b = f.score_breakdown;
    expect(f.score).toBeCloseTo((0.35 * b.lexical + 0.15 * b.graph + 0.1 * b.source_trust + 0.05 * b.recency) / 0.65, 12);
    expect(f.score).toBeLessThan(1);
  });

  it("rrf: the only candidate is first on every signal, so it scores its confidence", async () => {
    const api = await nodeWith({ STIGMEM_RECALL_FUSION: "rrf", STIGMEM_RECALL_HALF_LIFE_DAYS: "7" });
    const f = (await api.post("/v1/recall", { query: "pilot" })).body.facts[0];
    expect(f.score).toBeCloseTo(1, 12);
    // /v1/doctor names the tuning in force (protocol.md §13.7).
    const doctor = (await api.get("/v1/doctor")).body;
    expect(doctor.constants).toMatchObject({ recall_fusion: "rrf", recall_half_life_days: 7 });
    expect(doctor.versions).toMatchObject({ recall_stopwords: "v1", card_format: "1" });
  });
});

describe("recency half-life", () => {
  it("decays by exp(−ln2·age/H)", async () => {
    const halfLifeDays = 1 / 86_400; // one second
    const api = await nodeWith({ STIGMEM_RECALL_HALF_LIFE_DAYS: String(halfLifeDays) });
    await new Promise((r) => setTimeout(r, 1_100));
    const before = Date.now();
    const f = (await api.post("/v1/recall", { query: "pilot" })).body.facts[0];
    const after = Date.now();
    const ts = Date.parse(f.fact.timestamp);
    const at = (now: number) => Math.exp((-Math.LN2 * (now - ts)) / 1_000);
    expect(f.score_breakdown.recency).toBeLessThan(0.5);
    expect(f.score_breakdown.recency).toBeLessThanOrEqual(at(before) + 1e-9);
    expect(f.score_breakdown.recency).toBeGreaterThanOrEqual(at(after) - 1e-9);
  });
});
