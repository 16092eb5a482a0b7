/**
 * GET /v1/cards/{entity_uri} over real HTTP and Connect (protocol.md §9,
 * "Memory cards"): the deterministic summary, URIs with slashes, caching,
 * invalidation by every kind of change (assert, supersession, retraction,
 * batch, conflict resolution, expiry) and a rebuild after a restart.
 */
import { rmSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecallService } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { qs, RestClient } from "../helpers/rest-client.js";
import { factPutter } from "../helpers/put-fact.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://testnode";
const S = `${T}/agent/test`;

let node: TestNode;
let api: RestClient;

const put = factPutter(() => api, S);

const card = (entity: string, query: Record<string, string | boolean> = { scope: "company" }) => api.get(`/v1/cards/${entity}${qs(query)}`);
const tick = () => new Promise((r) => setTimeout(r, 5));

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
});
afterAll(async () => {
  await node.stop();
});

describe("the card", () => {
  it("is the §9 text with CIDs, trust-weighted confidence and every field", async () => {
    const e = `${T}/user/alice`;
    const role = await put(e, "memory:role", "engineer", { confidence: 0.9 });
    const age = await put(e, "memory:age", { type: "number", v: 42 }, { confidence: 0.125 });
    const team = await put(e, "memory:team", "platform");
    const res = await card(e);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entity_uri: e,
      scope: "company",
      summary: [
        `Entity: ${e}`,
        "Scope: company",
        "Facts:",
        `- memory:age: 42 (confidence 0.12, source ${S})`,
        `- memory:role: engineer (confidence 0.90, source ${S})`,
        `- memory:team: platform (confidence 1.00, source ${S})`,
      ].join("\n"),
      fact_hashes: [age.cid, role.cid, team.cid],
      avg_confidence: expect.closeTo((0.9 + 0.125 + 1) / 3, 12),
      refreshed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/),
      is_stale: false,
      has_contradictions: false,
    });
  });

  it("accepts URIs with slashes raw or percent-encoded, and normalizes them", async () => {
    const e = `${T}/user/slash`;
    await put(e, "memory:role", "tester");
    const raw = await api.get(`/v1/cards/${e}?scope=company`);
    const encoded = await api.get(`/v1/cards/${encodeURIComponent(e)}?scope=company`);
    const shouting = await api.get(`/v1/cards/${encodeURIComponent(" STIGMEM://TestNode/user/Slash")}?scope=company`);
    expect(raw.status).toBe(200);
    expect(encoded.body.summary).toBe(raw.body.summary);
    expect(shouting.body.entity_uri).toBe(e);
    const short = await put("user:shorty", "memory:role", "x");
    expect((await api.get(`/v1/cards/user:shorty?scope=company`)).body.fact_hashes).toEqual([short.cid]);
  });

  it("answers 404 for an entity with nothing current, 400 for a bad scope, 422 for a bad flag", async () => {
    expect((await card(`${T}/user/nobody`)).status).toBe(404);
    expect((await card(`${T}/user/alice`, { scope: "local" })).status).toBe(404);
    const bad = await card(`${T}/user/alice`, { scope: "galaxy" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_scope");
    expect((await card(`${T}/user/alice`, { scope: "company", refresh: "maybe" })).status).toBe(422);
    const gone = `${T}/user/gone`;
    await put(gone, "memory:role", "x");
    await put(gone, "memory:role", "retracted", { confidence: 0 });
    expect((await card(gone)).status).toBe(404);
  });

  it("cuts long values and flags contradictions", async () => {
    const e = `${T}/project/long`;
    await put(e, "memory:notes", { type: "text", v: "x".repeat(300) });
    await put(e, "roadmap:status", "blocked", { source: `${T}/agent/a` });
    await put(e, "roadmap:status", "on track", { source: `${T}/agent/b`, confidence: 0.8 });
    const res = await card(e);
    expect(res.body.summary).toContain(`- memory:notes: ${"x".repeat(200)} (confidence`);
    expect(res.body.summary).not.toContain("x".repeat(201));
    expect(res.body.summary).toContain(`- roadmap:status: blocked (confidence 1.00, source ${T}/agent/a) [contradicted]`);
    expect(res.body.summary).toContain(`- roadmap:status: on track (confidence 0.80, source ${T}/agent/b) [contradicted]`);
    expect(res.body.has_contradictions).toBe(true);
  });
});

describe("caching and invalidation", () => {
  const e = `${T}/user/carol`;

  it("serves the cached card until something changes, and rebuilds on refresh=true", async () => {
    await put(e, "memory:role", "designer");
    const first = await card(e);
    await tick();
    const second = await card(e);
    expect(second.body.refreshed_at).toBe(first.body.refreshed_at);
    await tick();
    const forced = await card(e, { scope: "company", refresh: true });
    expect(forced.body.refreshed_at > first.body.refreshed_at).toBe(true);
    expect(forced.body.summary).toBe(first.body.summary);
  });

  it("is rebuilt after an assert, a supersession and a retraction", async () => {
    await put(e, "memory:city", "lisbon");
    expect((await card(e)).body.summary).toContain("memory:city: lisbon");
    await put(e, "memory:city", "berlin");
    const moved = (await card(e)).body.summary;
    expect(moved).toContain("memory:city: berlin");
    expect(moved).not.toContain("lisbon");
    await put(e, "memory:city", "retracted", { confidence: 0 });
    expect((await card(e)).body.summary).not.toContain("memory:city");
  });

  it("is rebuilt after a batch", async () => {
    await card(e);
    const res = await api.post("/v1/facts:batch", {
      facts: [{ entity: e, relation: "memory:pet", value: { type: "string", v: "gecko" }, source: S, scope: "company" }],
    });
    expect(res.body.accepted).toBe(1);
    expect((await card(e)).body.summary).toContain("memory:pet: gecko");
  });

  it("is rebuilt after a conflict resolution", async () => {
    const p = `${T}/project/apollo`;
    await put(p, "roadmap:phase", "design", { source: `${T}/agent/a` });
    await put(p, "roadmap:phase", "build", { source: `${T}/agent/b` });
    expect((await card(p)).body.has_contradictions).toBe(true);
    const conflicts = await api.get("/v1/conflicts?status=unresolved&limit=500");
    const c = conflicts.body.conflicts.find((x: any) => x.entity === p);
    const resolved = await api.post(`/v1/conflicts/${encodeURIComponent(c.conflict_id)}/resolve`, { new_value: { type: "string", v: "ship" } });
    expect(resolved.status).toBe(200);
    const after = await card(p);
    expect(after.body.has_contradictions).toBe(false);
    expect(after.body.summary).toContain("roadmap:phase: ship");
    expect(after.body.summary).not.toMatch(/design|build/);
  });

  it("drops a fact when its valid_until passes, with no write in between", async () => {
    const x = `${T}/user/ephemeral`;
    await put(x, "memory:role", "permanent");
    await put(x, "memory:status", "in a meeting", { valid_until: new Date(Date.now() + 1_200).toISOString() });
    expect((await card(x)).body.summary).toContain("in a meeting");
    await new Promise((r) => setTimeout(r, 1_400));
    const later = await card(x);
    expect(later.body.summary).not.toContain("in a meeting");
    expect(later.body.summary).toContain("permanent");
  });

  it("ignores writes to other entities", async () => {
    const before = await card(e);
    await put(`${T}/user/unrelated`, "memory:role", "x");
    expect((await card(e)).body.refreshed_at).toBe(before.body.refreshed_at);
  });
});

describe("over Connect", () => {
  it("GetCard answers the same card", async () => {
    const e = `${T}/user/alice`;
    const client = createClient(RecallService, createConnectTransport({ baseUrl: node.url, httpVersion: "2", useBinaryFormat: true }));
    const res = await client.getCard({ entityUri: e, scope: "company" });
    const rest = (await card(e)).body;
    expect(res.card).toMatchObject({
      entityUri: rest.entity_uri,
      scope: "company",
      summary: rest.summary,
      factHashes: rest.fact_hashes,
      isStale: false,
      hasContradictions: false,
    });
    expect(res.card?.avgConfidence).toBeCloseTo(rest.avg_confidence, 12);
  });
});

describe("restart", () => {
  it("keeps cards in the database but rebuilds them before trusting them again", async () => {
    const first = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    const dataDir = first.dataDir;
    const e = `${T}/user/durable`;
    const client = new RestClient(first.url);
    await client.post("/v1/facts", { entity: e, relation: "memory:role", value: { type: "string", v: "archivist" }, source: S });
    const before = (await client.get(`/v1/cards/${e}`)).body;
    await first.close();
    const second = await startTestNode({ dataDir, env: { STIGMEM_EMBEDDER: "none" } });
    try {
      const stored = second.inspect().prepare("SELECT summary FROM memory_cards WHERE entity = ?").get(e) as { summary: string };
      expect(stored.summary).toBe(before.summary);
      await tick();
      const after = (await new RestClient(second.url).get(`/v1/cards/${e}`)).body;
      expect(after.summary).toBe(before.summary);
      expect(after.refreshed_at > before.refreshed_at).toBe(true);
    } finally {
      await second.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
