/**
 * Recall keeps an in-memory copy of the facts it scores and of their place in
 * the view (store/view-row-cache.ts). Each test here fills that copy with a
 * recall first, then changes the view in one of the ways it can change, and
 * recalls again: nothing stale may come back, through any read path (full-text
 * hits, an entity named in the query, the `entity` filter, graph neighbours).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factPutter } from "../helpers/put-fact.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://viewcopy";
const S = `${T}/agent/one`;
const OTHER = `${T}/agent/two`;

let node: TestNode;
let api: RestClient;
const put = factPutter(() => api, S);
const putAs = (source: string) => factPutter(() => api, source);

async function recall(body: Record<string, unknown>, to: TestNode = node): Promise<any[]> {
  const res = await new RestClient(to.url).post("/v1/recall", { scope: "company", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.facts;
}

const values = (facts: any[]): unknown[] => facts.map((f) => f.fact.value.v);

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
});
afterAll(async () => {
  await node.stop();
});

describe("recall after the view changed", () => {
  it("serves a same-source update instead of the fact it superseded", async () => {
    const e = `${T}/user/ines`;
    await put(e, "memory:city", "lisbon");
    expect(values(await recall({ query: "ines city" }))).toContain("lisbon");
    expect(values(await recall({ query: "city", entity: e }))).toEqual(["lisbon"]);
    await put(e, "memory:city", "porto");
    const after = values(await recall({ query: "ines city lisbon porto" }));
    expect(after).toContain("porto");
    expect(after).not.toContain("lisbon");
    expect(values(await recall({ query: "city", entity: e }))).toEqual(["porto"]);
    expect(values(await recall({ query: e }))).toEqual(["porto"]);
  });

  it("walks the graph with the edges as they are now, both ways, after the copy kept them", async () => {
    const hub = `${T}/office/oporto`;
    const ana = `${T}/user/ana`;
    const rui = `${T}/user/rui`;
    await put(hub, "memory:city", "oporto");
    await put(ana, "rel:office", { type: "ref", v: hub });
    // Who the hub's incoming edges come from, as recall walks them.
    const into = async () =>
      new Set((await recall({ query: hub, depth: 1 })).filter((f: any) => f.fact.value.v === hub).map((f: any) => f.fact.entity));
    expect([...(await into())]).toEqual([ana]);
    // A new edge into the hub (another entity's fact) and one moved away: both seen at once.
    await put(rui, "rel:office", { type: "ref", v: hub });
    await put(ana, "rel:office", { type: "ref", v: `${T}/office/braga` });
    expect([...(await into())]).toEqual([rui]);
    // Out of the hub: its own new edge.
    await put(hub, "rel:region", { type: "ref", v: `${T}/region/norte` });
    await put(`${T}/region/norte`, "memory:name", "Norte");
    expect((await recall({ query: hub, depth: 1 })).some((f: any) => f.fact.entity === `${T}/region/norte`)).toBe(true);
  });

  it("drops a retracted fact", async () => {
    const e = `${T}/user/joao`;
    await put(e, "memory:pet", "parrot");
    expect(values(await recall({ query: "joao pet parrot" }))).toContain("parrot");
    await put(e, "memory:pet", "parrot", { confidence: 0 });
    expect(values(await recall({ query: "joao pet parrot" }))).not.toContain("parrot");
    expect(await recall({ query: "pet", entity: e })).toEqual([]);
  });

  it("flags a fact once another source contradicts it, and drops the loser of a resolution", async () => {
    const e = `${T}/user/kira`;
    const mine = await put(e, "memory:team", "payments");
    const before = await recall({ query: "kira team payments" });
    expect(before.find((f) => f.fact.id === mine.id)?.fact.contradicted).toBe(false);
    const theirs = await putAs(OTHER)(e, "memory:team", "growth");
    const contradicted = await recall({ query: "kira team payments growth", min_confidence: 0 });
    expect(contradicted.find((f) => f.fact.id === mine.id)?.fact.contradicted).toBe(true);

    const conflicts = await api.get(`/v1/conflicts?status=unresolved&limit=500`);
    const conflict = conflicts.body.conflicts.find((c: any) => c.fact_a.id === theirs.id);
    expect(conflict).toBeDefined();
    const resolved = await api.post(`/v1/conflicts/${encodeURIComponent(conflict.conflict_id)}/resolve`, { winning_fact_id: theirs.id });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const after = await recall({ query: "kira team payments growth", min_confidence: 0 });
    expect(after.map((f) => f.fact.id)).not.toContain(mine.id);
    expect(values(after)).toContain("growth");
    expect(after.every((f) => f.fact.contradicted === false)).toBe(true);
  });

  it("drops a fact whose valid_until passes, with no write in between", async () => {
    const e = `${T}/user/lena`;
    await put(e, "memory:badge", "visitor badge", { valid_until: new Date(Date.now() + 1_200).toISOString() });
    expect(values(await recall({ query: "lena visitor badge" }))).toContain("visitor badge");
    await new Promise((r) => setTimeout(r, 1_400));
    expect(values(await recall({ query: "lena visitor badge" }))).not.toContain("visitor badge");
  });

  it("follows a graph edge that moved to another entity", async () => {
    const milo = `${T}/user/milo`;
    const first = `${T}/team/first`;
    const second = `${T}/team/second`;
    await put(first, "memory:motto", "first motto");
    await put(second, "memory:motto", "second motto");
    await put(milo, "memory:member_of", { type: "ref", v: first });
    // "milo" is in none of the mottos: they come only over the edge.
    expect(values(await recall({ query: "milo" }))).toContain("first motto");
    await put(milo, "memory:member_of", { type: "ref", v: second });
    const after = values(await recall({ query: "milo" }));
    expect(after).toContain("second motto");
    expect(after).not.toContain("first motto");
  });

  it("reads an entity with more live facts than it keeps as a list through SQL, and still sees its updates", async () => {
    const e = `${T}/project/huge`;
    const facts = Array.from({ length: 300 }, (_, i) => ({
      entity: e,
      relation: `memory:field_${String(i).padStart(3, "0")}`,
      value: { type: "string", v: `value ${i}` },
      source: S,
      scope: "company",
      confidence: i === 7 ? 1 : 0.5,
    }));
    const res = await api.post("/v1/facts:batch", { facts });
    expect(res.body.accepted).toBe(300);
    const first = await recall({ query: "field", entity: e, limit: 500, token_budget: 200_000 });
    expect(first).toHaveLength(300);
    await put(e, "memory:field_007", "value seven, updated");
    const after = values(await recall({ query: "field", entity: e, limit: 500, token_budget: 200_000 }));
    expect(after).toHaveLength(300);
    expect(after).toContain("value seven, updated");
    expect(after).not.toContain("value 7");
  });

  it("sees what another process committed to the same database", async () => {
    const e = `${T}/user/nour`;
    await put(e, "memory:desk", "desk seven");
    expect(values(await recall({ query: "nour desk" }))).toContain("desk seven");
    // A second node on the same data folder: its writes reach this node only through the file.
    const beside = await startTestNode({ dataDir: node.dataDir, env: { STIGMEM_EMBEDDER: "none" }, shareDataFolder: true });
    try {
      const res = await new RestClient(beside.url).post("/v1/facts", {
        entity: e,
        relation: "memory:desk",
        value: { type: "string", v: "desk nine" },
        source: S,
        scope: "company",
      });
      expect(res.status).toBe(201);
    } finally {
      await beside.close();
    }
    const after = values(await recall({ query: "nour desk seven nine" }));
    expect(after).toContain("desk nine");
    expect(after).not.toContain("desk seven");
    expect(values(await recall({ query: "desk", entity: e }))).toEqual(["desk nine"]);
  });

  it("checks a served fact's CID again once the file was changed behind the node", async () => {
    const e = `${T}/user/omar`;
    const f = await put(e, "memory:role", "treasurer");
    await put(e, "memory:team", "treasury");
    const query = { query: "omar treasurer treasury king" };
    expect((await recall(query)).map((x) => x.fact.id)).toContain(f.id);
    const db = new Database(path.join(node.dataDir, "stigmem.db"));
    try {
      db.exec("DROP TRIGGER IF EXISTS facts_no_update");
      db.prepare("UPDATE facts SET value_v = 'king' WHERE id = ?").run(f.id);
    } finally {
      db.close();
    }
    const res = await api.post("/v1/recall", { scope: "company", ...query });
    expect(res.headers.get("stigmem-integrity")).toBe("degraded");
    expect(res.body.facts.map((x: any) => x.fact.id)).not.toContain(f.id);
    expect(res.body.facts.map((x: any) => x.fact.relation)).toContain("memory:team");
  });
});

describe("the size of the copy", () => {
  const cachedRows = async (url: string): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^stigmem_recall_cached_rows (\d+)$/m.exec(text)?.[1]);
  };

  it("is reported in /metrics", async () => {
    await put(`${T}/user/pia`, "memory:role", "pilot");
    await recall({ query: "pia pilot" });
    expect(await cachedRows(node.url)).toBeGreaterThan(0);
  });

  it("is nothing with STIGMEM_RECALL_CACHE_ROWS=0, and recall answers the same", async () => {
    const bare = await startTestNode({ env: { STIGMEM_EMBEDDER: "none", STIGMEM_RECALL_CACHE_ROWS: "0" } });
    try {
      const client = new RestClient(bare.url);
      const e = `${T}/user/quinn`;
      for (const v of ["oslo", "bergen"]) {
        const res = await client.post("/v1/facts", { entity: e, relation: "memory:city", value: { type: "string", v }, source: S, scope: "company" });
        expect(res.status).toBe(201);
        expect(values(await recall({ query: "quinn city oslo bergen" }, bare))).toEqual([v]);
      }
      expect(await cachedRows(bare.url)).toBe(0);
    } finally {
      await bare.stop();
    }
  });
});
