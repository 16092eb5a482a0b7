/**
 * The fact core over real HTTP: value types, dedup, supersession,
 * contradictions and conflicts, retraction, expiry, paging, batches,
 * idempotency, restart durability and read-side integrity checks.
 */
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qs, RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const E = "stigmem://testnode/user/alice";
const S = "stigmem://testnode/agent/test";

function fact(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { entity: E, relation: "memory:role", value: { type: "string", v: "engineer" }, source: S, scope: "company", ...overrides };
}

let node: TestNode;
let api: RestClient;
beforeAll(async () => {
  node = await startTestNode();
  api = new RestClient(node.url);
});
afterAll(async () => {
  await node.stop();
});

describe("value types", () => {
  it.each([
    ["string", "engineer", "engineer"],
    ["text", "A long narrative.\nWith lines — and ünïcode.", "A long narrative.\nWith lines — and ünïcode."],
    ["datetime", "2026-11-21T12:00:00Z", "2026-11-21T12:00:00Z"],
    ["ref", "stigmem://testnode/project/atlas", "stigmem://testnode/project/atlas"],
    ["number", 42.0, 42],
    ["boolean", false, false],
    ["null", undefined, null],
  ])("round-trips a %s value through assert, get and query", async (type, v, expected) => {
    const entity = `stigmem://testnode/user/types-${type}`;
    const value = v === undefined ? { type } : { type, v };
    const created = await api.post("/v1/facts", fact({ entity, relation: "memory:sample", value }));
    expect(created.status).toBe(201);
    expect(created.body.value).toEqual({ type, v: expected, interpret_as: "content" });
    const got = await api.get(`/v1/facts/${created.body.id}`);
    expect(got.body.value.v).toEqual(expected);
    const byCid = await api.get(`/v1/facts/${encodeURIComponent(created.body.cid)}`);
    expect(byCid.body.id).toBe(created.body.id);
    const listed = await api.get(`/v1/facts${qs({ entity })}`);
    expect(listed.body.facts).toHaveLength(1);
    expect(listed.body.facts[0].value.v).toEqual(expected);
  });

  it.each([
    [0.00001, "1e-05"],
    [1e-7, "1e-07"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [42.0, "42"],
    [3.14, "3.14"],
  ])("writes the number %d with its canonical lexeme %s", async (v, lexeme) => {
    const res = await fetch(`${node.url}/v1/facts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(fact({ relation: `memory:num_${lexeme}`, value: { type: "number", v } })),
    });
    const text = await res.text();
    expect(text).toContain(`"v":${lexeme},`);
    expect((JSON.parse(text) as { value: { v: number } }).value.v).toBe(v);
  });

  it("gives 42 and 42.0 one CID (deliberate fix of the reference)", async () => {
    const a = await api.post("/v1/facts", fact({ relation: "memory:age", value: { type: "number", v: 42 } }));
    const b = await api.request("POST", "/v1/facts", JSON.stringify(fact({ relation: "memory:age" })).replace(
      '"value":{"type":"string","v":"engineer"}',
      '"value":{"type":"number","v":42.0}',
    ));
    expect(b.body.cid).toBe(a.body.cid);
    expect(b.headers.get("stigmem-deduplicated")).toBe("true");
  });
});

describe("dedup and supersession", () => {
  it("answers the same fact twice with the same row and the dedup header", async () => {
    const f = fact({ entity: "stigmem://testnode/user/dedup" });
    const first = await api.post("/v1/facts", f);
    const second = await api.post("/v1/facts", f);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.cid).toBe(first.body.cid);
    expect(first.headers.get("stigmem-deduplicated")).toBeNull();
    expect(second.headers.get("stigmem-deduplicated")).toBe("true");
    const all = await api.get(`/v1/facts${qs({ entity: "stigmem://testnode/user/dedup", include_superseded: true })}`);
    expect(all.body.total).toBe(1);
  });

  it("gives each new fact a UUIDv7 id carrying its write time, so ids sort in write order", async () => {
    const entity = "stigmem://testnode/user/ids";
    const written = [];
    for (const v of ["a", "b", "c"]) written.push((await api.post("/v1/facts", fact({ entity, value: { type: "string", v } }))).body);
    for (const f of written) {
      expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(f.id.replace("-", "").slice(0, 12), 16)).toBe(Math.floor(Date.parse(f.timestamp)));
    }
    const prefixes = written.map((f) => f.id.slice(0, 13));
    expect([...prefixes].sort()).toEqual(prefixes);
  });

  it("treats a new value from the same source as an update, not a conflict", async () => {
    const entity = "stigmem://testnode/user/update";
    const v1 = await api.post("/v1/facts", fact({ entity }));
    const v2 = await api.post("/v1/facts", fact({ entity, value: { type: "string", v: "manager" } }));
    expect(v2.body.supersedes).toEqual([v1.body.id]);
    expect(v2.body.contradicted).toBe(false);
    const view = await api.get(`/v1/facts${qs({ entity })}`);
    expect(view.body.facts.map((f: any) => f.value.v)).toEqual(["manager"]);
    const history = await api.get(`/v1/facts${qs({ entity, include_superseded: true })}`);
    expect(history.body.facts.map((f: any) => [f.value.v, f.state])).toEqual([
      ["manager", "current"],
      ["engineer", "superseded"],
    ]);
    const conflicts = await api.get("/v1/conflicts");
    expect(conflicts.body.conflicts.filter((c: any) => c.entity === entity)).toEqual([]);
  });

  it("revives a value re-asserted after a retraction", async () => {
    const entity = "stigmem://testnode/user/revive";
    const first = await api.post("/v1/facts", fact({ entity }));
    await api.post("/v1/facts", fact({ entity, value: { type: "string", v: "retracted" }, confidence: 0 }));
    expect((await api.get(`/v1/facts${qs({ entity })}`)).body.total).toBe(0);
    const again = await api.post("/v1/facts", fact({ entity }));
    expect(again.body.id).not.toBe(first.body.id);
    expect((await api.get(`/v1/facts${qs({ entity })}`)).body.facts[0].value.v).toBe("engineer");
  });
});

describe("contradictions and conflicts", () => {
  const entity = "stigmem://testnode/user/contested";
  let a: any;
  let b: any;
  beforeAll(async () => {
    a = (await api.post("/v1/facts", fact({ entity, confidence: 0.9 }))).body;
    b = (await api.post("/v1/facts", fact({ entity, source: "agent:other", value: { type: "string", v: "ceo" } }))).body;
  });

  it("records one conflict and flags both facts", async () => {
    const list = await api.get("/v1/conflicts?status=unresolved");
    const mine = list.body.conflicts.filter((c: any) => c.entity === entity);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: "unresolved", fact_a: { id: b.id }, fact_b: { id: a.id }, scope: "company" });
    expect(mine[0].conflict_id).toMatch(/^stigmem:conflict:[0-9a-f-]{36}$/);
    expect(b.contradicted).toBe(true);
  });

  it("shows the winner by default and both with include_contradicted", async () => {
    const def = await api.get(`/v1/facts${qs({ entity })}`);
    // Winner: greatest (confidence, ≺); b has confidence 1.0.
    expect(def.body.facts.map((f: any) => [f.value.v, f.contradicted])).toEqual([["ceo", true]]);
    const both = await api.get(`/v1/facts${qs({ entity, include_contradicted: true })}`);
    expect(both.body.facts.map((f: any) => f.value.v).sort()).toEqual(["ceo", "engineer"]);
    expect(both.body.facts.every((f: any) => f.contradicted)).toBe(true);
  });

  it("never conflicts on identical values from different sources", async () => {
    const e = "stigmem://testnode/user/agree";
    await api.post("/v1/facts", fact({ entity: e }));
    const other = await api.post("/v1/facts", fact({ entity: e, source: "agent:other" }));
    expect(other.body.contradicted).toBe(false);
    expect((await api.get(`/v1/facts${qs({ entity: e })}`)).body.total).toBe(2);
  });

  it("resolves additively: a new fact on the triple, the loser overruled, the note kept", async () => {
    const conflict = (await api.get("/v1/conflicts")).body.conflicts.find((c: any) => c.entity === entity);
    const res = await api.post(`/v1/conflicts/${encodeURIComponent(conflict.conflict_id)}/resolve`, {
      winning_fact_id: a.id,
      resolution_note: "HR records say engineer",
    });
    expect(res.status).toBe(200);
    expect(res.body.conflict_status).toBe("resolved");
    const resolution = (await api.get(`/v1/facts/${res.body.resolution_fact_id}`)).body;
    expect(resolution).toMatchObject({ entity, relation: "memory:role", scope: "company", confidence: 1, source: "anon:trusted" });
    expect((await api.get(`/v1/facts/${b.id}`)).body.state).toBe("overruled");
    const view = await api.get(`/v1/facts${qs({ entity })}`);
    expect(view.body.facts.map((f: any) => [f.value.v, f.contradicted])).toEqual([
      ["engineer", false],
      ["engineer", false],
    ]);
    const closed = await api.get(`/v1/conflicts/${encodeURIComponent(conflict.conflict_id)}`);
    expect(closed.body).toMatchObject({
      status: "resolved",
      resolved_by: res.body.resolution_fact_id,
      resolution_note: "HR records say engineer",
      resolver: "anon:trusted",
    });
    const again = await api.post(`/v1/conflicts/${encodeURIComponent(conflict.conflict_id)}/resolve`, {
      winning_fact_id: a.id,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict_already_resolved");
  });

  it("refuses a resolution that names neither or both choices", async () => {
    const conflict = (await api.get("/v1/conflicts")).body.conflicts[0];
    const id = encodeURIComponent(conflict.conflict_id);
    expect((await api.post(`/v1/conflicts/${id}/resolve`, {})).status).toBe(422);
    expect(
      (await api.post(`/v1/conflicts/${id}/resolve`, { winning_fact_id: a.id, new_value: { type: "string", v: "x" } })).status,
    ).toBe(422);
    expect((await api.post("/v1/conflicts/stigmem:conflict:nope/resolve", { winning_fact_id: a.id })).status).toBe(404);
  });
});

describe("the triple projection", () => {
  const tripleRows = (entity: string): number => {
    const db = new Database(path.join(node.dataDir, "stigmem.db"), { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM fact_triples WHERE entity = ?").get(entity) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it("keeps a row only while a triple is contradicted or a live head will expire", async () => {
    const plain = "stigmem://testnode/user/plain-triple";
    await api.post("/v1/facts", fact({ entity: plain }));
    await api.post("/v1/facts", fact({ entity: plain, value: { type: "string", v: "manager" } }));
    expect(tripleRows(plain)).toBe(0);

    const expiring = "stigmem://testnode/user/expiring-triple";
    await api.post("/v1/facts", fact({ entity: expiring, valid_until: "2999-01-01T00:00:00Z" }));
    expect(tripleRows(expiring)).toBe(1);

    const contested = "stigmem://testnode/user/contested-triple";
    const a = (await api.post("/v1/facts", fact({ entity: contested, confidence: 0.9 }))).body;
    await api.post("/v1/facts", fact({ entity: contested, source: "agent:other", value: { type: "string", v: "ceo" } }));
    expect(tripleRows(contested)).toBe(1);
    expect((await api.get(`/v1/facts${qs({ entity: contested })}`)).body.facts.map((f: any) => f.value.v)).toEqual(["ceo"]);
    const conflict = (await api.get("/v1/conflicts")).body.conflicts.find((c: any) => c.entity === contested);
    await api.post(`/v1/conflicts/${encodeURIComponent(conflict.conflict_id)}/resolve`, { winning_fact_id: a.id });
    expect(tripleRows(contested)).toBe(0);
    const view = (await api.get(`/v1/facts${qs({ entity: contested })}`)).body.facts;
    expect(view.map((f: any) => [f.value.v, f.contradicted])).toEqual([
      ["engineer", false],
      ["engineer", false],
    ]);
  });
});

describe("retraction and expiry", () => {
  it("takes a retracted value out of the current view", async () => {
    const entity = "stigmem://testnode/user/retract";
    await api.post("/v1/facts", fact({ entity }));
    const r = await api.post("/v1/facts", fact({ entity, value: { type: "string", v: "retracted" }, confidence: 0 }));
    expect(r.body.state).toBe("retracted");
    expect((await api.get(`/v1/facts${qs({ entity })}`)).body).toMatchObject({ facts: [], total: 0 });
  });

  it("hides expired facts unless include_expired", async () => {
    const entity = "stigmem://testnode/user/expiry";
    await api.post("/v1/facts", fact({ entity, valid_until: "2001-01-01T00:00:00Z" }));
    await api.post("/v1/facts", fact({ entity, relation: "memory:later", valid_until: "2999-01-01T00:00:00Z" }));
    const view = await api.get(`/v1/facts${qs({ entity })}`);
    expect(view.body.facts.map((f: any) => f.relation)).toEqual(["memory:later"]);
    const all = await api.get(`/v1/facts${qs({ entity, include_expired: true })}`);
    expect(all.body.facts.map((f: any) => [f.relation, f.state])).toEqual([
      ["memory:later", "current"],
      ["memory:role", "expired"],
    ]);
  });
});

describe("expiry of a contradiction's winner", () => {
  it("shows the value still valid once the winning fact expires", async () => {
    const entity = "stigmem://testnode/user/expiring-winner";
    await api.post("/v1/facts", fact({ entity, confidence: 0.5 }));
    const soon = new Date(Date.now() + 1_000).toISOString();
    await api.post("/v1/facts", fact({ entity, source: "agent:other", value: { type: "string", v: "ceo" }, valid_until: soon }));
    const before = await api.get(`/v1/facts${qs({ entity })}`);
    expect(before.body.facts.map((f: any) => [f.value.v, f.contradicted])).toEqual([["ceo", true]]);
    await new Promise((r) => setTimeout(r, 1_100));
    await node.node.expirySweeper.sweep();
    const after = await api.get(`/v1/facts${qs({ entity })}`);
    expect(after.body.facts.map((f: any) => [f.value.v, f.contradicted])).toEqual([["engineer", false]]);
  });
});

describe("paging", () => {
  it("returns each of 1,000 facts exactly once, with the true total", async () => {
    const entity = "stigmem://testnode/user/pager";
    for (let batch = 0; batch < 2; batch++) {
      const facts = Array.from({ length: 500 }, (_, i) => fact({ entity, relation: `memory:n${batch * 500 + i}` }));
      const res = await api.post("/v1/facts:batch", { facts });
      expect(res.body.accepted).toBe(500);
    }
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.get(`/v1/facts${qs({ entity, limit: 37, cursor })}`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(1000);
      expect(page.headers.get("x-total-count")).toBe("1000");
      for (const f of page.body.facts) {
        expect(seen.has(f.id)).toBe(false);
        seen.add(f.id);
      }
      cursor = page.body.cursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(seen.size).toBe(1000);
    expect(pages).toBe(Math.ceil(1000 / 37));
  });

  it("pages oldest first with order=asc", async () => {
    const entity = "stigmem://testnode/user/pager";
    const asc = await api.get(`/v1/facts${qs({ entity, order: "asc", limit: 2 })}`);
    expect(asc.body.facts.map((f: any) => f.relation)).toEqual(["memory:n0", "memory:n1"]);
  });

  it("refuses a cursor reused under other filters, and a forged one", async () => {
    const first = await api.get(`/v1/facts${qs({ entity: "stigmem://testnode/user/pager", limit: 5 })}`);
    const other = await api.get(`/v1/facts${qs({ relation: "memory:n1", cursor: first.body.cursor })}`);
    expect(other.status).toBe(400);
    expect(other.body.code).toBe("invalid_cursor");
    expect((await api.get("/v1/facts?cursor=not-a-cursor")).body.code).toBe("invalid_cursor");
  });
});

describe("batches", () => {
  it("writes nothing from an atomic batch with one bad item", async () => {
    const entity = "stigmem://testnode/user/atomic";
    const res = await api.post("/v1/facts:batch", {
      atomic: true,
      facts: [fact({ entity }), fact({ entity, scope: "universe" }), fact({ entity, relation: "memory:x" })],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, rejected: 3 });
    expect(res.body.results.map((r: any) => r.error)).toEqual(["batch_aborted", "validation_error", "batch_aborted"]);
    expect((await api.get(`/v1/facts${qs({ entity })}`)).body.total).toBe(0);
  });

  it("keeps the good items of a non-atomic batch", async () => {
    const entity = "stigmem://testnode/user/partial";
    const res = await api.post("/v1/facts:batch", {
      facts: [fact({ entity }), fact({ entity, confidence: 7 }), fact({ entity, relation: "memory:x" })],
    });
    expect(res.body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(res.body.results[1]).toMatchObject({ index: 1, status: "rejected", error: "validation_error" });
    expect((await api.get(`/v1/facts${qs({ entity })}`)).body.total).toBe(2);
  });

  it("replays an idempotent batch and refuses the key with another body", async () => {
    const entity = "stigmem://testnode/user/idem";
    const body = { idempotency_key: "k-1", facts: [fact({ entity })] };
    const first = await api.post("/v1/facts:batch", body);
    const replay = await api.post("/v1/facts:batch", body);
    expect(replay.body).toEqual(first.body);
    const other = await api.post("/v1/facts:batch", { ...body, facts: [fact({ entity, relation: "memory:x" })] });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("idempotency_key_reused");
    expect((await api.get(`/v1/facts${qs({ entity })}`)).body.total).toBe(1);
  });

  it("writes once when the same idempotent batch arrives twice at the same time", async () => {
    const entity = "stigmem://testnode/user/idem-race";
    const body = { idempotency_key: "k-race", facts: [fact({ entity })] };
    const [a, b] = await Promise.all([api.post("/v1/facts:batch", body), api.post("/v1/facts:batch", body)]);
    expect(a.body).toEqual(b.body);
    expect((await api.get(`/v1/facts${qs({ entity, include_superseded: true })}`)).body.total).toBe(1);
  });

  it("refuses more than 500 items", async () => {
    const res = await api.post("/v1/facts:batch", { facts: Array.from({ length: 501 }, () => fact()) });
    expect(res.status).toBe(422);
  });
});

describe("bad input is a clear 4xx", () => {
  it.each([
    ["not an object", "[1,2]", 422],
    ["missing fields", "{}", 422],
    ["empty entity", JSON.stringify(fact({ entity: "" })), 422],
    ["whitespace entity", JSON.stringify(fact({ entity: "  \t " })), 400],
    ["empty formal URI part", JSON.stringify(fact({ entity: "stigmem:// /b/c" })), 400],
    ["boolean as string", JSON.stringify(fact({ value: { type: "boolean", v: "false" } })), 422],
    ["number as string", JSON.stringify(fact({ value: { type: "number", v: "42" } })), 422],
    ["null with a value", JSON.stringify(fact({ value: { type: "null", v: 1 } })), 422],
    ["bad datetime", JSON.stringify(fact({ value: { type: "datetime", v: "yesterday" } })), 422],
    ["empty ref", JSON.stringify(fact({ value: { type: "ref", v: "" } })), 422],
    ["bad interpret_as", JSON.stringify(fact({ value: { type: "string", v: "x", interpret_as: "magic" } })), 422],
    ["bad valid_until", JSON.stringify(fact({ valid_until: "tomorrow" })), 422],
    ["confidence as string", JSON.stringify(fact({ confidence: "high" })), 422],
    ["long relation", JSON.stringify(fact({ relation: `memory:${"r".repeat(2100)}` })), 422],
    ["value over 64 KiB", JSON.stringify(fact({ value: { type: "text", v: "x".repeat(65_537) } })), 413],
    ["lone surrogate", JSON.stringify(fact({ value: { type: "string", v: "\ud800" } })), 422],
    ["unknown garden", JSON.stringify(fact({ garden_id: "stigmem://testnode/garden/none" })), 404],
  ])("%s → %i", async (_label, body, status) => {
    const res = await api.request("POST", "/v1/facts", body);
    expect(res.status).toBe(status);
    expect(res.body.detail).toBeDefined();
  });

  it("answers 413 value_too_large with the stable code", async () => {
    const res = await api.post("/v1/facts", fact({ value: { type: "text", v: "é".repeat(40_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("value_too_large");
  });

  it("answers 404 for an unknown id and 400 for a malformed CID", async () => {
    expect((await api.get("/v1/facts/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const bad = await api.get("/v1/facts/sha256:XYZ");
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("cid_malformed");
  });

  it.each([
    ["limit=0", 422],
    ["limit=501", 422],
    ["limit=abc", 422],
    ["min_confidence=2", 422],
    ["include_expired=maybe", 422],
    ["order=sideways", 422],
    ["scope=universe", 422],
    ["after=yesterday", 422],
    ["entity=%20%20", 400],
    ["as_of=2020-01-01T00:00:00Z", 501],
  ])("GET /v1/facts?%s → %i", async (query, status) => {
    expect((await api.get(`/v1/facts?${query}`)).status).toBe(status);
  });
});

describe("integrity", () => {
  it("refuses to serve a fact whose stored content no longer matches its CID", async () => {
    const entity = "stigmem://testnode/user/tampered";
    const f = (await api.post("/v1/facts", fact({ entity }))).body;
    await api.post("/v1/facts", fact({ entity, relation: "memory:other" }));
    // Simulate tampering with the file behind the node's back.
    const db = new Database(path.join(node.dataDir, "stigmem.db"));
    db.exec("DROP TRIGGER facts_no_update");
    db.prepare("UPDATE facts SET value_v = 'ceo' WHERE id = ?").run(f.id);
    db.close();

    const single = await api.get(`/v1/facts/${f.id}`);
    expect(single.status).toBe(409);
    expect(single.body).toMatchObject({ code: "cid_mismatch", fact_id: f.id, stored_cid: f.cid });
    const list = await api.get(`/v1/facts${qs({ entity })}`);
    expect(list.headers.get("stigmem-integrity")).toBe("degraded");
    expect(list.body.facts.map((x: any) => x.relation)).toEqual(["memory:other"]);
    const verify = await api.post(`/v1/facts/${f.id}/verify-cid`, {});
    expect(verify.body).toMatchObject({ cid_valid: false, stored_cid: f.cid });
    expect(verify.body.computed_cid).not.toBe(f.cid);
  });
});

describe("durability", () => {
  it("keeps facts and HLC order across a restart", async () => {
    const first = await startTestNode();
    const dataDir = first.dataDir;
    const before = (await new RestClient(first.url).post("/v1/facts", fact())).body;
    await first.close();
    const second = await startTestNode({ dataDir });
    try {
      const client = new RestClient(second.url);
      expect((await client.get(`/v1/facts/${before.id}`)).body.cid).toBe(before.cid);
      const after = (await client.post("/v1/facts", fact({ relation: "memory:next" }))).body;
      const [w1, c1] = before.hlc.split(".").map(Number);
      const [w2, c2] = after.hlc.split(".").map(Number);
      expect(w2 > w1 || (w2 === w1 && c2 > c1)).toBe(true);
      expect(second.node.nodeId).toBe(first.node.nodeId);
    } finally {
      await second.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
