/**
 * Write as A, read as B: one read policy decides what every read path shows
 * (node/access/). Facts are written in each scope, in a garden, and held in
 * quarantine; readers with different keys then read them through every read
 * path, over REST and over Connect. Each path must show each reader exactly
 * the facts the rules allow it — its key's scopes; garden facts only to a
 * node admin (no garden has members yet); quarantined facts to nobody —
 * and REST and Connect must agree.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictService } from "../../gen/proto/stigmem/v1/conflicts_pb.js";
import { FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { RecallService } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { parseAssertInput } from "../../src/node/facts/assert-input.js";
import { qs, RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const ADMIN_KEY = `access-admin-${"Zx8Cv6Bn".repeat(5)}`;
const T = "stigmem://testnode";
const E = `${T}/user/quill`;
const GARDEN = `${T}/garden/board`;

let node: TestNode;
let admin: RestClient;

/** A fact written for the test, with what decides who may read it. */
interface Written {
  id: string;
  cid: string;
  scope: string;
  garden: boolean;
  quarantined: boolean;
}
const written: Written[] = [];

/** The readers: name → key scopes (null = all) and whether it is a node admin. */
const READERS = {
  admin: { scopes: null, admin: true },
  everyScope: { scopes: null, admin: false },
  company: { scopes: ["company"], admin: false },
  publicOnly: { scopes: ["public"], admin: false },
} as const;
type Reader = keyof typeof READERS;
const keys = {} as Record<Reader, string>;

/** What the rules let `reader` see of the written facts. */
function visibleTo(reader: Reader, inScope?: string): string[] {
  const r = READERS[reader];
  return written
    .filter((f) => (r.scopes === null || (r.scopes as readonly string[]).includes(f.scope)) && (!f.garden || r.admin) && !f.quarantined)
    .filter((f) => inScope === undefined || f.scope === inScope)
    .map((f) => f.id)
    .sort();
}

async function put(scope: string, relation: string, v: string, source = `${T}/agent/a`): Promise<void> {
  const res = await admin.post("/v1/facts", { entity: E, relation, value: { type: "string", v: `quokka ${v}` }, source, scope });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  written.push({ id: res.body.id, cid: res.body.cid, scope, garden: false, quarantined: false });
}

/**
 * A fact through the node's own write step, for what no route can write yet:
 * a garden fact (gardens land later) and a quarantined one (as federation
 * ingest stores an instruction from a peer).
 */
async function putDirect(relation: string, v: string, how: "garden" | "quarantine"): Promise<void> {
  const input = parseAssertInput({
    entity: E,
    relation,
    value: { type: "string", v: `quokka ${v}` },
    source: `${T}/agent/a`,
    scope: "company",
    gardenId: how === "garden" ? GARDEN : undefined,
  });
  const now = Date.now();
  const provenance =
    how === "garden"
      ? ({ kind: "local", actor: "agent:admin" } as const)
      : ({
          kind: "ingested",
          receivedFrom: "stigmem:node:00000000-0000-4000-8000-000000000001",
          id: crypto.randomUUID(),
          timestamp: "2026-01-01T00:00:00.000000+00:00",
          originHlc: { wall: now - 1000, counter: 0 },
          originNodeId: "stigmem:node:00000000-0000-4000-8000-000000000001",
          cid: (await import("../../src/core/cid.js")).computeCid({
            entity: E,
            relation,
            value_type: "string",
            value_v: `quokka ${v}`,
            source: `${T}/agent/a`,
            confidence: 1,
            scope: "company",
          }),
          supersedes: [],
          quarantine: "pending",
        } as const);
  const out = await node.node.writes.submit(() => node.node.applier.apply(input, provenance, now, { auditWrite: false }));
  written.push({ id: out.row.id, cid: out.row.cid, scope: "company", garden: how === "garden", quarantined: how === "quarantine" });
}

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none" } });
  admin = new RestClient(node.url, ADMIN_KEY);
  keys.admin = ADMIN_KEY;
  for (const [name, r] of Object.entries(READERS)) {
    if (r.admin) continue;
    const res = await admin.post("/v1/auth/keys", {
      entity_uri: `agent:${name}`,
      permissions: ["read"],
      allowed_scopes: r.scopes === null ? null : [...r.scopes],
    });
    expect(res.status).toBe(201);
    keys[name as Reader] = res.body.raw_key;
  }
  for (const scope of ["local", "team", "company", "public"]) await put(scope, `memory:in_${scope}`, `${scope} note`);
  await putDirect("memory:board_minutes", "garden minutes", "garden");
  await putDirect("memory:held", "held instruction", "quarantine");
  // Contradicting values from two sources in company: a conflict whose facts only company readers see.
  await put("company", "memory:mood", "calm", `${T}/agent/a`);
  await put("company", "memory:mood", "stormy", `${T}/agent/b`);
  // An edge in company and one in public, for the graph.
  for (const scope of ["company", "public"]) {
    const res = await admin.post("/v1/facts", { entity: E, relation: "memory:knows", value: { type: "ref", v: `${T}/user/${scope}-friend` }, source: `${T}/agent/a`, scope });
    expect(res.status).toBe(201);
    written.push({ id: res.body.id, cid: res.body.cid, scope, garden: false, quarantined: false });
  }
});
afterAll(async () => {
  await node.stop();
});

function clients(reader: Reader) {
  const transport = createConnectTransport({
    baseUrl: node.url,
    httpVersion: "1.1",
    interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${keys[reader]}`), next(req))],
  });
  return {
    rest: new RestClient(node.url, keys[reader]),
    facts: createClient(FactService, transport),
    recall: createClient(RecallService, transport),
    conflicts: createClient(ConflictService, transport),
  };
}

const readers = Object.keys(READERS) as Reader[];

describe("one read policy over every read path", () => {
  it.each(readers)("listing the current view and history: %s sees exactly what the rules allow", async (reader) => {
    const c = clients(reader);
    for (const history of [false, true]) {
      const rest = await c.rest.get(`/v1/facts${qs({ entity: E, include_superseded: history, include_contradicted: true, limit: 500 })}`);
      expect(rest.status).toBe(200);
      const viaRest = rest.body.facts.map((f: { id: string }) => f.id).sort();
      const connect = await c.facts.queryFacts({ entity: E, includeSuperseded: history, includeContradicted: true, limit: 500 });
      expect(connect.facts.map((f) => f.id).sort()).toEqual(viaRest);
      expect(viaRest).toEqual(visibleTo(reader));
      expect(rest.body.total).toBe(viaRest.length);
    }
  });

  it.each(readers)("reading one fact by id and by CID: %s gets exactly the allowed ones", async (reader) => {
    const c = clients(reader);
    const allowed = new Set(visibleTo(reader));
    for (const f of written) {
      for (const key of [f.id, f.cid]) {
        const rest = await c.rest.get(`/v1/facts/${encodeURIComponent(key)}`);
        const connect = await c.facts.getFact({ id: key }).then(
          (r) => r.fact?.id,
          () => undefined,
        );
        if (allowed.has(f.id)) {
          expect(rest.status, `${reader} reads ${key}`).toBe(200);
          expect(connect).toBe(f.id);
        } else {
          expect(rest.status, `${reader} must not read ${key}`).toBe(404);
          expect(connect).toBeUndefined();
        }
      }
    }
  });

  it.each(readers)("recall in company scope: %s gets only allowed facts", async (reader) => {
    const c = clients(reader);
    const scopeAllowed = READERS[reader].scopes === null || (READERS[reader].scopes as readonly string[]).includes("company");
    const rest = await c.rest.post("/v1/recall", { query: "quokka quill", scope: "company", include_neighbors: true, token_budget: 200000 });
    // A scope the key may not read, asked for by name, is refused (protocol.md §8).
    if (!scopeAllowed) {
      expect(rest.status).toBe(403);
      return;
    }
    expect(rest.status).toBe(200);
    const viaRest = rest.body.facts.map((f: { fact: { id: string } }) => f.fact.id).sort();
    const connect = await c.recall.recall({ query: "quokka quill", scope: "company", includeNeighbors: true, tokenBudget: 200000 });
    expect(connect.facts.map((f) => f.fact!.id).sort()).toEqual(viaRest);
    expect(viaRest).toEqual(visibleTo(reader, "company"));
  });

  it.each(readers)("the memory card in company scope: %s sees only allowed facts summarized", async (reader) => {
    const c = clients(reader);
    const scopeAllowed = READERS[reader].scopes === null || (READERS[reader].scopes as readonly string[]).includes("company");
    const rest = await c.rest.get(`/v1/cards/${encodeURIComponent(E)}${qs({ scope: "company" })}`);
    if (!scopeAllowed) {
      expect(rest.status).toBe(403);
      return;
    }
    expect(rest.status).toBe(200);
    const connect = await c.recall.getCard({ entityUri: E, scope: "company" });
    expect(connect.card?.factHashes).toEqual(rest.body.fact_hashes);
    const cidOf = new Map(written.map((f) => [f.cid, f.id]));
    expect(rest.body.fact_hashes.map((h: string) => cidOf.get(h)).sort()).toEqual(visibleTo(reader, "company"));
  });

  it.each(readers)("the graph: %s walks only allowed edges", async (reader) => {
    const c = clients(reader);
    for (const scope of ["company", "public"]) {
      const allowed = READERS[reader].scopes === null || (READERS[reader].scopes as readonly string[]).includes(scope);
      const rest = await c.rest.get(`/v1/graph/neighbors${qs({ entity: E, scope })}`);
      if (!allowed) {
        expect(rest.status).toBe(403);
        continue;
      }
      const connect = await c.recall.getNeighbors({ entity: E, scope });
      expect(connect.neighbors.map((n) => n.entity)).toEqual(rest.body.neighbors.map((n: { entity: string }) => n.entity));
      expect(rest.body.neighbors.map((n: { entity: string }) => n.entity)).toEqual([`${T}/user/${scope}-friend`]);
    }
  });

  it.each(readers)("conflicts: %s sees a conflict only if it may read both facts", async (reader) => {
    const c = clients(reader);
    const rest = await c.rest.get("/v1/conflicts");
    expect(rest.status).toBe(200);
    const connect = await c.conflicts.listConflicts({});
    expect(connect.conflicts.map((x) => x.conflictId)).toEqual(rest.body.conflicts.map((x: { conflict_id: string }) => x.conflict_id));
    const sees = READERS[reader].scopes === null || (READERS[reader].scopes as readonly string[]).includes("company");
    expect(rest.body.total).toBe(sees ? 1 : 0);
  });
});
