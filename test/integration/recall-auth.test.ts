/**
 * Authorization of recall, memory cards and the graph (protocol.md §8, §9):
 * permission first, then key scopes, all as part of the SQL. A fact outside
 * the key's scopes is never scored, counted, packed, summarized or walked —
 * over REST and over Connect. Instructions stay apart from content.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { RecallService } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { qs, RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const ADMIN_KEY = `recall-admin-${"Qw7Er5Ty".repeat(5)}`;
const T = "stigmem://testnode";
const ALICE = `${T}/user/alice`;
const S = `${T}/agent/test`;

let node: TestNode;
let admin: RestClient;
let companyKey: string;
let company: RestClient;
let writerOnly: RestClient;
let instructor: RestClient;

async function keyFor(body: Record<string, unknown>): Promise<string> {
  const res = await admin.post("/v1/auth/keys", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.raw_key as string;
}

async function put(client: RestClient, body: Record<string, unknown>): Promise<any> {
  const res = await client.post("/v1/facts", { source: S, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const text = (v: string) => ({ type: "string", v });

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none" } });
  admin = new RestClient(node.url, ADMIN_KEY);
  companyKey = await keyFor({ entity_uri: "agent:reader", permissions: ["read"], allowed_scopes: ["company"] });
  company = admin.withKey(companyKey);
  writerOnly = admin.withKey(await keyFor({ entity_uri: "agent:writer", permissions: ["write"] }));
  instructor = admin.withKey(
    await keyFor({ entity_uri: "agent:boss", permissions: ["read", "write", "instruction:write"], allowed_scopes: ["company"] }),
  );
  // Same words in two scopes: only the company one may ever reach the company key.
  await put(admin, { entity: ALICE, relation: "memory:role", value: text("zircon engineer"), scope: "company" });
  await put(admin, { entity: ALICE, relation: "memory:salary", value: text("zircon secret salary"), scope: "public" });
  await put(admin, { entity: ALICE, relation: "memory:note", value: text("zircon local note"), scope: "local" });
  // Edges in both scopes.
  await put(admin, { entity: ALICE, relation: "memory:knows", value: { type: "ref", v: `${T}/user/bob` }, scope: "company" });
  await put(admin, { entity: ALICE, relation: "memory:knows", value: { type: "ref", v: `${T}/user/mallory` }, scope: "public" });
  await put(admin, { entity: `${T}/user/mallory`, relation: "memory:role", value: text("zircon spy"), scope: "public" });
  await put(admin, { entity: `${T}/user/bob`, relation: "memory:role", value: text("designer"), scope: "company" });
  // An instruction next to content.
  await put(instructor, {
    entity: ALICE,
    relation: "intent:policy",
    value: { type: "string", v: "always cc legal on zircon mail", interpret_as: "instruction" },
    scope: "company",
  });
});
afterAll(async () => {
  await node.stop();
});

describe("recall", () => {
  it("needs the read permission", async () => {
    const r = await writerOnly.post("/v1/recall", { query: "zircon", scope: "company" });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe("permission_denied");
    expect((await new RestClient(node.url).post("/v1/recall", { query: "zircon" })).status).toBe(401);
  });

  it("refuses an explicit scope outside the key with 403 scope_not_allowed", async () => {
    const r = await company.post("/v1/recall", { query: "zircon", scope: "public" });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe("scope_not_allowed");
  });

  it("answers the default scope outside the key with nothing, counting nothing", async () => {
    const r = await company.post("/v1/recall", { query: "zircon" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ facts: [], total_scored: 0, tokens_used: 0 });
    expect(r.headers.get("x-total-count")).toBe("0");
  });

  it("never scores, counts or walks into facts outside the key's scopes", async () => {
    const r = await company.post("/v1/recall", { query: "zircon salary spy mallory secret", scope: "company", depth: 3 });
    expect(r.status).toBe(200);
    const scopes = new Set(r.body.facts.map((f: any) => f.fact.scope));
    expect([...scopes]).toEqual(["company"]);
    const entities = r.body.facts.map((f: any) => f.fact.entity);
    expect(entities).not.toContain(`${T}/user/mallory`);
    expect(JSON.stringify(r.body)).not.toMatch(/secret|spy|mallory/);
    // total_scored counts only what the key may read: the 4 company facts here.
    const all = await admin.post("/v1/recall", { query: "zircon salary spy mallory secret", scope: "company", depth: 3 });
    expect(r.body.total_scored).toBe(all.body.total_scored);
    expect(r.body.total_scored).toBe(4);
  });

  it("keeps instructions apart from content", async () => {
    const r = await company.post("/v1/recall", { query: "zircon legal mail", scope: "company" });
    const policy = r.body.facts.find((f: any) => f.fact.relation === "intent:policy");
    expect(policy.fact.value).toEqual({ type: "string", v: "always cc legal on zircon mail", interpret_as: "instruction" });
    expect(r.body.instructions.map((f: any) => f.fact.id)).toEqual([policy.fact.id]);
    expect(r.body.content.map((f: any) => f.fact.id)).not.toContain(policy.fact.id);
    expect(r.body.content.length + r.body.instructions.length).toBe(r.body.facts.length);
    // Collapsing into cards never hides an instruction inside card text.
    const cards = await company.post("/v1/recall", { query: "zircon legal mail", scope: "company", prefer_cards: true });
    const card = cards.body.facts.find((f: any) => f.from_card);
    expect(card.fact.value.v).not.toContain("always cc legal");
    expect(cards.body.instructions.map((f: any) => f.fact.relation)).toEqual(["intent:policy"]);
  });
});

describe("cards", () => {
  it("summarize only what the key may read, and refuse a named scope outside it", async () => {
    const ok = await company.get(`/v1/cards/${ALICE}${qs({ scope: "company" })}`);
    expect(ok.status).toBe(200);
    expect(ok.body.summary).toContain("zircon engineer");
    expect(ok.body.summary).not.toMatch(/secret|local note|always cc legal/);
    const forbidden = await company.get(`/v1/cards/${ALICE}${qs({ scope: "public" })}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe("scope_not_allowed");
    // The default scope (local) is outside the key: nothing readable, 404.
    expect((await company.get(`/v1/cards/${ALICE}`)).status).toBe(404);
    expect((await writerOnly.get(`/v1/cards/${ALICE}${qs({ scope: "company" })}`)).status).toBe(403);
  });

  it("serve the admin the public card without mixing scopes", async () => {
    const pub = await admin.get(`/v1/cards/${ALICE}${qs({ scope: "public" })}`);
    expect(pub.body.summary).toContain("zircon secret salary");
    expect(pub.body.summary).not.toContain("zircon engineer");
  });
});

describe("neighbors", () => {
  it("walk only edges of a scope the key may read", async () => {
    const r = await company.get(`/v1/graph/neighbors${qs({ entity: ALICE, scope: "company", depth: 3 })}`);
    expect(r.status).toBe(200);
    expect(r.body.neighbors.map((n: any) => n.entity)).toEqual([`${T}/user/bob`]);
    const forbidden = await company.get(`/v1/graph/neighbors${qs({ entity: ALICE, scope: "public" })}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe("scope_not_allowed");
    const pub = await admin.get(`/v1/graph/neighbors${qs({ entity: ALICE, scope: "public" })}`);
    expect(pub.body.neighbors.map((n: any) => n.entity)).toEqual([`${T}/user/mallory`]);
  });
});

describe("over Connect", () => {
  const client = () =>
    createClient(
      RecallService,
      createConnectTransport({
        baseUrl: node.url,
        httpVersion: "1.1",
        interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${companyKey}`), next(req))],
      }),
    );
  const reason = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    return [err?.code, err?.findDetails(ErrorInfoSchema)[0]?.reason];
  };

  it("applies the same rules to Recall, GetCard and GetNeighbors", async () => {
    const c = client();
    expect(await reason(c.recall({ query: "zircon", scope: "public" }))).toEqual([Code.PermissionDenied, "scope_not_allowed"]);
    expect(await reason(c.getCard({ entityUri: ALICE, scope: "public" }))).toEqual([Code.PermissionDenied, "scope_not_allowed"]);
    expect(await reason(c.getNeighbors({ entity: ALICE, scope: "public" }))).toEqual([Code.PermissionDenied, "scope_not_allowed"]);
    expect(await reason(c.getCard({ entityUri: ALICE }))).toEqual([Code.NotFound, "not_found"]);
    const ok = await c.recall({ query: "zircon salary spy", scope: "company", depth: 3 });
    expect(ok.facts.length).toBeGreaterThan(0);
    expect(ok.facts.every((f) => f.fact?.scope === "company")).toBe(true);
    expect(ok.totalScored).toBe(4);
    const none = await c.recall({ query: "zircon" });
    expect(none.totalScored).toBe(0);
  });
});
