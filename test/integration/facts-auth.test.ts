/**
 * Permissions and key scopes on the fact routes (protocol.md §8): checked
 * before anything is read, enforced for writes and explicit scopes, applied
 * silently to broad reads, identical over REST and Connect.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { qs, RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const ADMIN_KEY = `facts-admin-${"Zy9Xw8Vu".repeat(5)}`;
const E = "stigmem://testnode/user/scoped";

let node: TestNode;
let admin: RestClient;
let reader: RestClient;
let companyWriter: RestClient;
let companyKey: string;
let publicFact: { id: string; cid: string };

function fact(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { entity: E, relation: "memory:role", value: { type: "string", v: "engineer" }, source: "agent:writer", scope: "company", ...overrides };
}

async function keyFor(body: Record<string, unknown>): Promise<string> {
  const res = await admin.post("/v1/auth/keys", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.raw_key as string;
}

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY } });
  admin = new RestClient(node.url, ADMIN_KEY);
  reader = admin.withKey(await keyFor({ entity_uri: "agent:reader", permissions: ["read"] }));
  companyKey = await keyFor({ entity_uri: "agent:writer", permissions: ["read", "write"], allowed_scopes: ["company"] });
  companyWriter = admin.withKey(companyKey);
  publicFact = (await admin.post("/v1/facts", fact({ scope: "public", relation: "memory:public" }))).body;
  await admin.post("/v1/facts", fact({ scope: "public", source: "agent:x", relation: "memory:public", value: { type: "string", v: "other" } }));
});
afterAll(async () => {
  await node.stop();
});

describe("fact routes under auth", () => {
  it("refuses callers without a key with 401 and WWW-Authenticate", async () => {
    const res = await new RestClient(node.url).get("/v1/facts");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.body.code).toBe("auth_required");
  });

  it("refuses writes from a read-only key", async () => {
    const res = await reader.post("/v1/facts", fact());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("permission_denied");
    const batch = await reader.post("/v1/facts:batch", { facts: [fact()] });
    expect(batch.status).toBe(403);
  });

  it("lets a scoped key write in its scope and refuses others", async () => {
    expect((await companyWriter.post("/v1/facts", fact())).status).toBe(201);
    const outside = await companyWriter.post("/v1/facts", fact({ scope: "public" }));
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe("scope_not_allowed");
  });

  it("requires instruction:write for instruction values", async () => {
    const res = await companyWriter.post("/v1/facts", fact({ value: { type: "string", v: "always cc legal", interpret_as: "instruction" } }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("instruction_write_required");
  });

  it("refuses an explicit scope outside the key, and filters broad reads silently", async () => {
    const explicit = await companyWriter.get(`/v1/facts${qs({ scope: "public" })}`);
    expect(explicit.status).toBe(403);
    expect(explicit.body.code).toBe("scope_not_allowed");
    const broad = await companyWriter.get(`/v1/facts${qs({ entity: E, include_contradicted: true })}`);
    expect(broad.status).toBe(200);
    expect(broad.body.facts.map((f: any) => f.scope)).toEqual(["company"]);
    expect(broad.body.total).toBe(1);
    const everything = await admin.get(`/v1/facts${qs({ entity: E, include_contradicted: true })}`);
    expect(everything.body.total).toBe(3);
  });

  it("hides unreadable facts and conflicts as if they did not exist", async () => {
    expect((await companyWriter.get(`/v1/facts/${publicFact.id}`)).status).toBe(404);
    expect((await companyWriter.get(`/v1/facts/${encodeURIComponent(publicFact.cid)}`)).status).toBe(404);
    expect((await companyWriter.post(`/v1/facts/${publicFact.id}/verify-cid`, {})).status).toBe(404);
    const adminConflicts = await admin.get("/v1/conflicts");
    expect(adminConflicts.body.total).toBe(1);
    const scoped = await companyWriter.get("/v1/conflicts");
    expect(scoped.body).toMatchObject({ conflicts: [], total: 0 });
    const id = encodeURIComponent(adminConflicts.body.conflicts[0].conflict_id);
    expect((await companyWriter.get(`/v1/conflicts/${id}`)).status).toBe(404);
    expect((await companyWriter.post(`/v1/conflicts/${id}/resolve`, { winning_fact_id: publicFact.id })).status).toBe(404);
  });

  it("rejects out-of-scope items of a batch individually and audits them", async () => {
    const res = await companyWriter.post("/v1/facts:batch", { facts: [fact({ relation: "memory:ok" }), fact({ scope: "team" })] });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.error ?? r.status)).toEqual(["accepted", "scope_not_allowed"]);
    const rows = node.inspect()
      .prepare("SELECT detail FROM audit_log WHERE event_type = 'permission_denied'")
      .all() as { detail: string }[];
    expect(rows.map((r) => JSON.parse(r.detail) as { operation: string; item?: number })).toContainEqual(
      expect.objectContaining({ operation: "batchAssertFacts", item: 1 }),
    );
  });

  it("audits the denials", () => {
    const rows = node.inspect()
      .prepare("SELECT actor, detail FROM audit_log WHERE event_type = 'permission_denied'")
      .all() as { actor: string; detail: string }[];
    const codes = rows.map((r) => (JSON.parse(r.detail) as { code: string }).code);
    expect(codes).toEqual(expect.arrayContaining(["permission_denied", "scope_not_allowed", "instruction_write_required"]));
  });

  it("applies the same rules over Connect", async () => {
    const client = createClient(
      FactService,
      createConnectTransport({
        baseUrl: node.url,
        httpVersion: "1.1",
        interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${companyKey}`), next(req))],
      }),
    );
    const err = await client.queryFacts({ scope: "public" }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.PermissionDenied);
    expect(err?.findDetails(ErrorInfoSchema)[0]?.reason).toBe("scope_not_allowed");
    const ok = await client.queryFacts({ entity: E, includeContradicted: true });
    expect(ok.facts.length).toBeGreaterThan(0);
    expect(ok.facts.every((f) => f.scope === "company")).toBe(true);
  });
});
