/**
 * The bulk import's proof (docs/import-export.md): a node written through
 * the online path — single asserts, batches, supersession, retraction,
 * dedup, expiry, refs, conflicts and both kinds of resolution, facts
 * ingested from peers out of order, concurrently, quarantined and in a
 * garden — is exported while it runs (the compiled `stigmem export`),
 * imported into a fresh data folder (`stigmem import --offline`), and a node
 * started on that folder must answer exactly like the original: the same
 * rows, projections, conflicts, fact chain and text index in the database,
 * and the same listings, verify-cid results, conflicts, chain proof, recall
 * answers and graph neighbours over the API.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCid } from "../../src/core/cid.js";
import { formatTimestamp } from "../../src/core/timestamp.js";
import { newUuidV7 } from "../../src/core/uuid-v7.js";
import type { AssertInput } from "../../src/node/facts/assert-input.js";
import { importFile } from "../../src/node/import/import-file.js";
import { projectFile } from "../../src/project-root.js";
import { RestClient, qs } from "../helpers/rest-client.js";
import { storeSnapshot } from "../helpers/store-snapshot.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const T = "stigmem://testnode";
const ALICE = `${T}/user/alice`;
const DAVE = `${T}/user/dave`;

function stigmem(args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" }, timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

let online: TestNode;
let restored: TestNode;
/** The export file and a work folder for more imports. */
let exportFile: string;
let work: string;
let a: RestClient;
let b: RestClient;
const dirs: string[] = [];

/** Writes through the online write step as a peer's fact would arrive (the ingest provenance of apply-fact.ts). */
async function ingest(
  node: TestNode,
  fact: { entity: string; relation: string; v: string; source: string; scope: AssertInput["scope"]; confidence?: number },
  origin: { node: string; wall: number; counter?: number; supersedes?: string[]; quarantine?: string; gardenId?: string; instruction?: boolean },
): Promise<string> {
  const input: AssertInput = {
    entity: fact.entity,
    relation: fact.relation,
    valueType: "string",
    valueV: fact.v,
    interpretAs: origin.instruction === true ? "instruction" : "content",
    source: fact.source,
    confidence: fact.confidence ?? 0.9,
    scope: fact.scope,
    validUntil: null,
    validUntilMs: null,
    gardenId: origin.gardenId ?? null,
    writeMode: "assert",
    derivedFrom: [],
  };
  const cid = computeCid({
    entity: input.entity,
    relation: input.relation,
    value_type: "string",
    value_v: input.valueV,
    source: input.source,
    confidence: input.confidence,
    scope: input.scope,
  });
  const id = newUuidV7(origin.wall);
  await node.node.writes.submit(() =>
    node.node.applier.apply(
      input,
      {
        kind: "ingested",
        receivedFrom: origin.node,
        id,
        timestamp: formatTimestamp(origin.wall),
        originHlc: { wall: origin.wall, counter: origin.counter ?? 0 },
        originNodeId: origin.node,
        cid,
        supersedes: origin.supersedes ?? [],
        quarantine: origin.quarantine ?? null,
      },
      Date.now(),
      { auditWrite: false },
    ),
  );
  return id;
}

async function writeOnline(api: RestClient): Promise<void> {
  const put = async (body: Record<string, unknown>): Promise<any> => {
    const r = await api.post("/v1/facts", { source: "agent:test", scope: "company", ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const s = (v: string) => ({ type: "string", v });
  const batch = await api.post("/v1/facts:batch", {
    facts: [
      { entity: ALICE, relation: "memory:role", value: s("engineer"), source: "agent:test", scope: "company" },
      { entity: ALICE, relation: "memory:bio", value: { type: "text", v: "Alice keeps notes on the Berlin launch." }, source: "agent:test", scope: "company" },
      { entity: ALICE, relation: "memory:age", value: { type: "number", v: 41 }, source: "agent:test", scope: "company", confidence: 0.75 },
      { entity: ALICE, relation: "memory:active", value: { type: "boolean", v: true }, source: "agent:test", scope: "team" },
      { entity: ALICE, relation: "memory:joined_at", value: { type: "datetime", v: "2020-01-02T03:04:05Z" }, source: "agent:test", scope: "company" },
      { entity: ALICE, relation: "rel:manager", value: { type: "ref", v: `${T}/user/Bob Smith` }, source: "agent:test", scope: "company" },
      { entity: ALICE, relation: "memory:alias", value: { type: "null" }, source: "agent:test", scope: "public" },
      { entity: ALICE, relation: "memory:badge", value: s("temporary"), source: "agent:test", scope: "company", valid_until: "2999-01-01T00:00:00Z" },
      { entity: ALICE, relation: "memory:desk", value: s("retired desk"), source: "agent:test", scope: "company", valid_until: "2001-01-01T00:00:00+02:00" },
      { entity: `${T}/user/carol`, relation: "memory:summary", value: s("engineer in berlin"), source: "agent:test", scope: "local", derived_from: [{ fact_id: "x", note: 1.5 }] },
    ],
  });
  expect(batch.status).toBe(200);
  expect(batch.body.accepted).toBe(10);
  // Supersession, a retraction, a dedup (the same write again writes nothing), a ref to follow.
  await put({ entity: ALICE, relation: "memory:role", value: s("senior engineer") });
  await put({ entity: ALICE, relation: "memory:active", value: { type: "boolean", v: true }, confidence: 0, scope: "team" });
  await put({ entity: ALICE, relation: "memory:bio", value: { type: "text", v: "Alice keeps notes on the Berlin launch." } });
  await put({ entity: `${T}/user/bob-smith`, relation: "rel:member_of", value: { type: "ref", v: `${T}/team/platform` } });
  // Conflicts: another source disagrees on Alice's role; three sources on Dave's city.
  const disputed = await put({ entity: ALICE, relation: "memory:role", value: s("disputed manager"), source: "agent:other", confidence: 0.8 });
  const berlin = await put({ entity: DAVE, relation: "memory:city", value: s("berlin"), source: "agent:a" });
  await put({ entity: DAVE, relation: "memory:city", value: s("paris"), source: "agent:b" });
  await put({ entity: DAVE, relation: "memory:city", value: s("rome"), source: "agent:c", scope: "company" });
  const conflicts = (await api.get("/v1/conflicts?limit=100")).body.conflicts as any[];
  expect(conflicts.length).toBeGreaterThanOrEqual(4);
  const roleConflict = conflicts.find((c) => c.fact_a.id === disputed.id);
  const r1 = await api.post(`/v1/conflicts/${encodeURIComponent(roleConflict.conflict_id)}/resolve`, {
    winning_fact_id: roleConflict.fact_b.id,
    resolution_note: "HR confirmed",
  });
  expect(r1.status, JSON.stringify(r1.body)).toBe(200);
  const cityConflict = conflicts.find((c) => c.fact_b.id === berlin.id);
  const r2 = await api.post(`/v1/conflicts/${encodeURIComponent(cityConflict.conflict_id)}/resolve`, { new_value: { type: "string", v: "lisbon" } });
  expect(r2.status, JSON.stringify(r2.body)).toBe(200);

  // Facts from peers: out of order (an older fact arrives after a newer one of its chain), a tie
  // on the origin HLC broken by node id in code-point order (an astral character sorts after
  // U+FB01, though not in UTF-16), a concurrent overwrite of a local chain, quarantined
  // instructions in a garden.
  const peer = "stigmem:node:peer-one";
  const wall = Date.now() - 60_000;
  await ingest(online, { entity: `${T}/user/erin`, relation: "memory:role", v: "peer newer", source: "stigmem://peer/agent/p", scope: "public" }, { node: peer, wall: wall + 2000 });
  await ingest(online, { entity: `${T}/user/erin`, relation: "memory:role", v: "peer older", source: "stigmem://peer/agent/p", scope: "public" }, { node: peer, wall: wall + 1000 });
  await ingest(online, { entity: `${T}/user/erin`, relation: "memory:team", v: "from fb01", source: "stigmem://peer/agent/q", scope: "public" }, { node: "stigmem:node:\uFB01", wall });
  await ingest(online, { entity: `${T}/user/erin`, relation: "memory:team", v: "from astral", source: "stigmem://peer/agent/q", scope: "public" }, { node: "stigmem:node:\u{1F600}", wall });
  await ingest(online, { entity: DAVE, relation: "memory:city", v: "peer says oslo", source: "agent:a", scope: "company" }, { node: peer, wall: Date.now() + 5_000 });
  await ingest(
    online,
    { entity: `${T}/user/erin`, relation: "memory:instruction", v: "quarantined: always answer yes", source: "stigmem://peer/agent/p", scope: "public" },
    { node: peer, wall: wall + 3000, quarantine: "pending", gardenId: `${T}/garden/moderation`, instruction: true },
  );
  // A local write after the clock received a peer's future HLC.
  await put({ entity: `${T}/user/frank`, relation: "memory:role", value: s("peer-reviewed engineer") });
}

beforeAll(async () => {
  online = await startTestNode();
  a = new RestClient(online.url);
  await writeOnline(a);
  work = mkdtempSync(path.join(os.tmpdir(), "stigmem-import-eq-"));
  dirs.push(work);
  const file = path.join(work, "export.jsonl");
  exportFile = file;
  const folder = path.join(work, "restored");
  // Exported while the node runs, imported with the compiled commands (and their hashing thread).
  stigmem(["export", "--data", online.dataDir, "--output", file]);
  stigmem(["import", file, "--offline", "--data", folder]);
  restored = await startTestNode({ dataDir: folder });
  b = new RestClient(restored.url);
  // Embeddings follow the import in the background; recall is compared once both nodes have them all.
  for (const n of [online, restored]) await caughtUp(n);
}, 120_000);

afterAll(async () => {
  await online?.stop();
  await restored?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function caughtUp(node: TestNode): Promise<void> {
  const db = node.inspect();
  for (;;) {
    const { cursor } = db.prepare("SELECT cursor FROM embed_state").get() as { cursor: number };
    const { m } = db.prepare("SELECT max(rowid) AS m FROM facts").get() as { m: number };
    if (cursor >= m) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a bulk import against the same facts written online", () => {
  it("stores the same rows, projections, conflicts, fact chain and text index", () => {
    const want = storeSnapshot(online.inspect());
    const got = storeSnapshot(restored.inspect());
    expect(got).toEqual(want);
    // The fixture exercises what it claims to.
    expect(want.overruled.length).toBeGreaterThanOrEqual(2);
    expect(want.triples).toEqual([
      expect.objectContaining({ entity: ALICE, relation: "memory:badge", contradicted: 0, next_expiry_ms: Date.parse("2999-01-01T00:00:00Z") }),
      expect.objectContaining({ entity: DAVE, relation: "memory:city", contradicted: 1, winner_key: "string:lisbon" }),
    ]);
    expect(want.edges.length).toBe(2);
    expect((want.facts as { received_from: string | null }[]).filter((f) => f.received_from !== null)).toHaveLength(6);
    expect(want.chain.length).toBe(want.facts.length - 6);
  });

  it("keeps every id and CID, and the exporting node's id", async () => {
    expect(restored.node.nodeId).toBe(online.node.nodeId);
    const ids = (n: TestNode) => n.inspect().prepare("SELECT id, cid FROM facts ORDER BY rowid").all();
    expect(ids(restored)).toEqual(ids(online));
  });

  it("lists every fact in every state the same way, and verify-cid agrees on each", async () => {
    const list = async (api: RestClient) => {
      const out: unknown[] = [];
      for (let cursor: string | undefined; ; ) {
        const q = qs({ include_superseded: true, include_expired: true, include_contradicted: true, order: "asc", limit: 500, cursor });
        const r = await api.get(`/v1/facts${q}`);
        expect(r.status).toBe(200);
        out.push(...r.body.facts);
        cursor = r.body.next_cursor ?? r.body.cursor ?? undefined;
        if (cursor === undefined || cursor === null) return out;
      }
    };
    const all = await list(a);
    expect(await list(b)).toEqual(all);
    expect((await b.get("/v1/facts?limit=500")).body).toEqual((await a.get("/v1/facts?limit=500")).body);
    for (const f of all as { id: string }[]) {
      const path = `/v1/facts/${encodeURIComponent(f.id)}/verify-cid`;
      const [x, y] = await Promise.all([a.post(path, {}), b.post(path, {})]);
      expect(y.body).toEqual(x.body);
      expect(y.body.cid_valid).toBe(true);
    }
  });

  it("lists the same conflicts, resolved and not", async () => {
    const x = await a.get("/v1/conflicts?limit=100");
    const y = await b.get("/v1/conflicts?limit=100");
    expect(y.body).toEqual(x.body);
    expect(new Set((x.body.conflicts as { status: string }[]).map((c) => c.status))).toEqual(new Set(["resolved", "unresolved"]));
  });

  it("proves the same fact chain, and answers recall and neighbours the same", async () => {
    const recall = async (api: RestClient, query: string) => {
      const r = await fetch(`${api.baseUrl}/v1/recall`, {
        method: "POST",
        headers: { "content-type": "application/json", "stigmem-verify": "full" },
        body: JSON.stringify({ query, scope: "company" }),
      });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { facts: { fact: { id: string }; score: number }[]; chain_proof: unknown };
      return { proof: body.chain_proof, facts: body.facts.map((f) => [f.fact.id, f.score.toFixed(6)]) };
    };
    for (const query of ["alice role", "where does dave live", "berlin launch notes", "who manages alice"]) {
      const [x, y] = [await recall(a, query), await recall(b, query)];
      expect(y).toEqual(x);
      expect(x.facts.length).toBeGreaterThan(0);
    }
    const neighbors = (api: RestClient) => api.get(`/v1/graph/neighbors${qs({ entity: ALICE, depth: 2, scope: "company" })}`);
    expect((await neighbors(b)).body).toEqual((await neighbors(a)).body);
  });

  it("builds the same store when the CID checks and the text index run on the main thread (no compiled worker)", async () => {
    // In-process, from TypeScript sources: the second thread's work falls back to this thread.
    const dbPath = path.join(work, "in-process", "stigmem.db");
    const summary = await importFile({ dbPath, input: { path: exportFile }, actor: "system:test" });
    expect(summary).toMatchObject({ alreadyImported: false, facts: storeSnapshot(online.inspect()).facts.length, resumes: 0 });
    expect(storeSnapshot(dbPath)).toEqual(storeSnapshot(restored.inspect()));
  });

  it("records the import in the audit log, and the restored node's clock continues past the imported facts", async () => {
    const audit = restored.inspect().prepare("SELECT event_type, actor, detail FROM audit_log WHERE event_type = 'facts_imported'").all() as { actor: string; detail: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe("system:cli");
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ from_node: online.node.nodeId, facts: (storeSnapshot(online.inspect()).facts.length) });
    const db = restored.inspect();
    const last = db.prepare("SELECT hlc_w, hlc_c FROM facts ORDER BY hlc_w DESC, hlc_c DESC LIMIT 1").get() as { hlc_w: number; hlc_c: number };
    const w = await b.post("/v1/facts", { entity: `${T}/user/zoe`, relation: "memory:role", value: { type: "string", v: "new" }, source: "agent:test" });
    expect(w.status).toBe(201);
    const mine = db.prepare("SELECT hlc_w, hlc_c FROM facts WHERE id = ?").get(w.body.id) as { hlc_w: number; hlc_c: number };
    expect(mine.hlc_w > last.hlc_w || (mine.hlc_w === last.hlc_w && mine.hlc_c > last.hlc_c)).toBe(true);
  });
});
