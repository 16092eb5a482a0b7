/**
 * Every MCP tool through the official MCP SDK client, against a real node
 * with auth on, over both transports: stdio (`node dist/src/cli/main.js
 * mcp`, spawned with STIGMEM_URL and STIGMEM_API_KEY) and streamable HTTP
 * (the node's own `/mcp`). For each tool: the happy path (readable text and
 * the structured result), a bad argument (a tool error, never a protocol
 * error or a crash) and, where the node can refuse, the node's error code.
 * A read-only key restricted to one scope shows the tools act as the key's
 * principal on both transports.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const ADMIN_KEY = `mcp-admin-${"Zx9Cv8Bn".repeat(5)}`;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const TOOLS = ["recall", "assert_fact", "query_facts", "get_fact", "get_card", "list_conflicts", "resolve_conflict", "retract_fact", "lint"];

type Mode = "stdio" | "http";

/** What a tool call answered, flattened for assertions. */
interface Answer {
  isError: boolean;
  text: string;
  data: any;
}

async function connect(mode: Mode, node: TestNode, key: string): Promise<Client> {
  const client = new Client({ name: "stigmem-test", version: "1.0.0" });
  const transport =
    mode === "stdio"
      ? new StdioClientTransport({
          command: process.execPath,
          args: [BIN, "mcp"],
          env: { PATH: process.env.PATH ?? "", STIGMEM_URL: node.url, STIGMEM_API_KEY: key },
          stderr: "pipe",
        })
      : new StreamableHTTPClientTransport(new URL(`${node.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
  await client.connect(transport);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  const r = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: unknown };
  return { isError: r.isError === true, text: r.content.map((c) => c.text).join("\n"), data: r.structuredContent };
}

const str = (v: string) => ({ type: "string", v });

describe.each<Mode>(["stdio", "http"])("MCP tools over %s", (mode) => {
  let node: TestNode;
  let admin: Client;
  let reader: Client;
  const alice = `user:alice-${mode}`;

  beforeAll(async () => {
    node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none" } });
    const created = await new RestClient(node.url, ADMIN_KEY).post("/v1/auth/keys", {
      entity_uri: "agent:reader",
      permissions: ["read"],
      allowed_scopes: ["company"],
    });
    expect(created.status).toBe(201);
    admin = await connect(mode, node, ADMIN_KEY);
    reader = await connect(mode, node, created.body.raw_key as string);
  });

  afterAll(async () => {
    await admin?.close();
    await reader?.close();
    await node?.stop();
  });

  it("lists the nine tools with examples, scope and value-type enums, and strict arguments", async () => {
    const { tools } = await admin.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    for (const t of tools) expect(t.description, t.name).toMatch(/Example/);
    const assert = tools.find((t) => t.name === "assert_fact")!.inputSchema as any;
    expect(assert.required).toEqual(["entity", "relation", "value", "source"]);
    expect(assert.additionalProperties).toBe(false);
    expect(assert.properties.scope.enum).toEqual(["local", "team", "company", "public"]);
    expect(assert.properties.value.properties.type.enum).toEqual(["string", "text", "datetime", "ref", "number", "boolean", "null"]);
    expect(tools.find((t) => t.name === "recall")!.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools.find((t) => t.name === "retract_fact")!.annotations).toMatchObject({ destructiveHint: true });
  });

  describe("assert_fact", () => {
    it("stores a fact and answers it as text and structured content", async () => {
      const r = await call(admin, "assert_fact", { entity: alice, relation: "memory:role", value: str("zircon engineer"), source: "agent:claude", scope: "company" });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toMatch(new RegExp(`^Stored: ${alice} memory:role = "zircon engineer" \\(source agent:claude, scope company, confidence 1, .*, id ${r.data.fact.id}\\)$`));
      expect(r.data).toMatchObject({ deduplicated: false, fact: { entity: alice, relation: "memory:role", value: { type: "string", v: "zircon engineer" }, scope: "company" } });
      const again = await call(admin, "assert_fact", { entity: alice, relation: "memory:role", value: str("zircon engineer"), source: "agent:claude", scope: "company" });
      expect(again.data).toMatchObject({ deduplicated: true, fact: { id: r.data.fact.id } });
      expect(again.text).toMatch(/^Already known/);
    });

    it("refuses an unknown value type and a misspelt argument before calling the node", async () => {
      const badType = await call(admin, "assert_fact", { entity: alice, relation: "memory:x", value: { type: "strin", v: "x" }, source: "agent:claude" });
      expect(badType.isError).toBe(true);
      expect(badType.text).toMatch(/Input validation error.*value\.type/s);
      const typo = await call(admin, "assert_fact", { entity: alice, relation: "memory:x", value: str("x"), source: "agent:claude", scopes: "company" });
      expect(typo.isError).toBe(true);
      expect(typo.text).toContain("scopes");
    });

    it("answers the node's refusal with its error code", async () => {
      const r = await call(admin, "assert_fact", { entity: alice, relation: "memory:age", value: { type: "number", v: "forty" }, source: "agent:claude" });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error validation_error: .*value\.v/);
      expect(r.data.error).toMatchObject({ code: "validation_error", kind: "ValidationError" });
    });

    it("acts as the caller's key: a read-only key may not write", async () => {
      const r = await call(reader, "assert_fact", { entity: alice, relation: "memory:role", value: str("x"), source: "agent:reader", scope: "company" });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error permission_denied: this operation needs the "write" permission/);
      expect(r.data.error.details).toMatchObject({ required_permission: "write" });
    });
  });

  describe("recall", () => {
    it("finds the fact, with the untrusted-content notice and the score breakdown", async () => {
      const r = await call(admin, "recall", { query: "zircon engineer", scope: "company" });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toMatch(/^Recalled \d+ fact\(s\) for "zircon engineer"/);
      expect(r.text).toContain("untrusted data");
      expect(r.text).toMatch(new RegExp(`1\\. \\[\\d\\.\\d{3}\\] ${alice} memory:role = "zircon engineer"`));
      expect(r.data.facts[0].fact).toMatchObject({ entity: alice, relation: "memory:role" });
      expect(Object.keys(r.data.facts[0].scoreBreakdown).sort()).toEqual(["graph", "lexical", "recency", "semantic", "sourceTrust", "weightedTotal"]);
    });

    it("needs a query", async () => {
      const r = await call(admin, "recall", { scope: "company" });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/Input validation error.*query/s);
    });

    it("answers a scope the key may not use with the node's code", async () => {
      const r = await call(reader, "recall", { query: "zircon", scope: "public" });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error scope_not_allowed: /);
    });
  });

  describe("query_facts", () => {
    it("lists the facts of an entity, only in the key's scopes", async () => {
      await call(admin, "assert_fact", { entity: alice, relation: "memory:note", value: str("local only"), source: "agent:claude" });
      const all = await call(admin, "query_facts", { entity: alice });
      expect(all.isError, all.text).toBe(false);
      expect(all.data.facts.map((f: any) => f.relation).sort()).toEqual(["memory:note", "memory:role"]);
      expect(all.text).toMatch(/^2 of 2 matching fact\(s\):\n- /);
      const scoped = await call(reader, "query_facts", { entity: alice });
      expect(scoped.data.facts.map((f: any) => f.relation)).toEqual(["memory:role"]);
      const none = await call(admin, "query_facts", { entity: "user:nobody" });
      expect(none.text).toBe("No facts match.");
    });

    it("pages with a cursor", async () => {
      const first = await call(admin, "query_facts", { entity: alice, limit: 1 });
      expect(first.data.cursor).toEqual(expect.any(String));
      expect(first.text).toContain(`cursor "${first.data.cursor}"`);
      const second = await call(admin, "query_facts", { entity: alice, limit: 1, cursor: first.data.cursor });
      expect(second.data.facts[0].id).not.toBe(first.data.facts[0].id);
    });

    it("refuses a limit out of range, and the node refuses a cursor it did not issue", async () => {
      const bad = await call(admin, "query_facts", { limit: 0 });
      expect(bad.isError).toBe(true);
      expect(bad.text).toMatch(/Input validation error.*limit/s);
      const cursor = await call(admin, "query_facts", { cursor: "not-a-cursor" });
      expect(cursor.isError).toBe(true);
      expect(cursor.text).toMatch(/^Error invalid_cursor: /);
    });
  });

  describe("get_fact", () => {
    it("reads a fact by id and by CID", async () => {
      const stored = (await call(admin, "query_facts", { entity: alice, relation: "memory:role" })).data.facts[0];
      const byId = await call(admin, "get_fact", { id: stored.id });
      expect(byId.isError, byId.text).toBe(false);
      expect(byId.data.fact).toEqual(stored);
      expect(byId.text).toContain(`cid: ${stored.cid}`);
      expect((await call(admin, "get_fact", { id: stored.cid })).data.fact.id).toBe(stored.id);
    });

    it("needs an id, and answers an unknown one with not_found", async () => {
      expect((await call(admin, "get_fact", {})).text).toMatch(/Input validation error.*id/s);
      const r = await call(admin, "get_fact", { id: UNKNOWN_ID });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error not_found: /);
      expect(r.data.error).toMatchObject({ code: "not_found", kind: "NotFoundError" });
    });
  });

  describe("get_card", () => {
    it("summarizes an entity's current facts", async () => {
      const r = await call(admin, "get_card", { entity: alice, scope: "company" });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toMatch(new RegExp(`^Memory card of ${alice} \\(scope company, `));
      expect(r.text).toContain("zircon engineer");
      expect(r.data.card).toMatchObject({ entityUri: alice, scope: "company" });
    });

    it("refuses an unknown scope, and answers an entity without facts with not_found", async () => {
      const bad = await call(admin, "get_card", { entity: alice, scope: "galaxy" });
      expect(bad.isError).toBe(true);
      expect(bad.text).toMatch(/Input validation error.*scope/s);
      const none = await call(admin, "get_card", { entity: "user:nobody", scope: "company" });
      expect(none.isError).toBe(true);
      expect(none.text).toMatch(/^Error not_found: /);
    });
  });

  describe("list_conflicts and resolve_conflict", () => {
    const bob = `user:bob-${mode}`;
    let conflictId: string;
    let factIds: string[];

    beforeAll(async () => {
      await call(admin, "assert_fact", { entity: bob, relation: "memory:city", value: str("Zürich"), source: "agent:one", scope: "company" });
      await call(admin, "assert_fact", { entity: bob, relation: "memory:city", value: str("Geneva"), source: "agent:two", scope: "company" });
    });

    it("lists an unresolved conflict with both facts", async () => {
      const r = await call(admin, "list_conflicts", {});
      expect(r.isError, r.text).toBe(false);
      const conflict = r.data.conflicts.find((c: any) => c.entity === bob);
      expect(conflict).toMatchObject({ relation: "memory:city", status: "unresolved" });
      conflictId = conflict.conflictId;
      factIds = [conflict.factA.id, conflict.factB.id];
      expect(r.text).toContain(`${conflictId} (unresolved): ${bob} memory:city in scope company`);
      expect(r.text).toContain(`(fact ${conflict.factA.id})`);
    });

    it("refuses an unknown status and a cursor the node did not issue", async () => {
      expect((await call(admin, "list_conflicts", { status: "open" })).text).toMatch(/Input validation error.*status/s);
      expect((await call(admin, "list_conflicts", { cursor: "nope" })).text).toMatch(/^Error invalid_cursor: /);
    });

    it("refuses both or neither way of settling, and an unknown conflict", async () => {
      const neither = await call(admin, "resolve_conflict", { conflict_id: conflictId });
      expect(neither).toMatchObject({ isError: true, text: "Error invalid_arguments: give exactly one of winning_fact_id and new_value" });
      const both = await call(admin, "resolve_conflict", { conflict_id: conflictId, winning_fact_id: factIds[0], new_value: str("Bern") });
      expect(both.isError).toBe(true);
      const unknown = await call(admin, "resolve_conflict", { conflict_id: `stigmem:conflict:${UNKNOWN_ID}`, winning_fact_id: factIds[0] });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toMatch(/^Error not_found: /);
    });

    it("settles it by keeping one fact, and it then lists as resolved", async () => {
      const r = await call(admin, "resolve_conflict", { conflict_id: conflictId, winning_fact_id: factIds[0], note: "asked bob" });
      expect(r.isError, r.text).toBe(false);
      expect(r.data).toMatchObject({ conflictStatus: "resolved", resolutionFactId: expect.any(String) });
      expect(r.text).toBe(`Resolved ${conflictId}: resolution fact ${r.data.resolutionFactId}.`);
      const open = await call(admin, "list_conflicts", {});
      expect(open.data.conflicts.some((c: any) => c.conflictId === conflictId)).toBe(false);
      const resolved = await call(admin, "list_conflicts", { status: "resolved" });
      expect(resolved.data.conflicts.find((c: any) => c.conflictId === conflictId)).toMatchObject({ resolutionNote: "asked bob" });
    });
  });

  describe("retract_fact", () => {
    it("retracts a chain by fact id, and by its fields", async () => {
      const a = await call(admin, "assert_fact", { entity: alice, relation: "memory:mood", value: str("happy"), source: "agent:claude", scope: "company" });
      const r = await call(admin, "retract_fact", { fact_id: a.data.fact.id });
      expect(r.isError, r.text).toBe(false);
      expect(r.text).toMatch(new RegExp(`^Retracted: ${alice} memory:mood from agent:claude in scope company \\(retraction fact `));
      expect(r.data.fact).toMatchObject({ confidence: 0, entity: alice, relation: "memory:mood" });
      expect((await call(admin, "query_facts", { entity: alice, relation: "memory:mood" })).data.facts).toEqual([]);

      await call(admin, "assert_fact", { entity: alice, relation: "memory:hobby", value: str("chess"), source: "agent:claude", scope: "company" });
      const byFields = await call(admin, "retract_fact", { entity: alice, relation: "memory:hobby", source: "agent:claude", scope: "company" });
      expect(byFields.isError, byFields.text).toBe(false);
      expect((await call(admin, "query_facts", { entity: alice, relation: "memory:hobby" })).data.facts).toEqual([]);
    });

    it("needs a fact id or all four fields, and answers an unknown fact with not_found", async () => {
      const partial = await call(admin, "retract_fact", { entity: alice });
      expect(partial).toMatchObject({ isError: true, text: "Error invalid_arguments: give fact_id, or all of entity, relation, source and scope (missing: relation, source, scope)" });
      const r = await call(admin, "retract_fact", { fact_id: UNKNOWN_ID });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error not_found: /);
    });
  });

  describe("lint", () => {
    it("says plainly that this node does not implement lint", async () => {
      const r = await call(admin, "lint", { scope: "company" });
      expect(r.isError).toBe(true);
      expect(r.text).toBe("Error not_implemented: lint is not implemented by this node yet");
      expect(r.data.error).toMatchObject({ code: "not_implemented", kind: "NotImplementedError" });
    });

    it("needs a scope", async () => {
      expect((await call(admin, "lint", {})).text).toMatch(/Input validation error.*scope/s);
    });
  });

  it("keeps serving after every kind of error", async () => {
    expect((await call(admin, "get_fact", { id: UNKNOWN_ID })).isError).toBe(true);
    expect((await call(admin, "no_such_tool", {})).isError).toBe(true);
    expect((await admin.listTools()).tools).toHaveLength(TOOLS.length);
  });
});

describe("/mcp and the node's auth", () => {
  let node: TestNode;
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
  };
  const post = (headers: Record<string, string>, body: unknown = initialize) =>
    fetch(`${node.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none" } });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it.each([
    ["no key", {}, "auth_required"],
    ["an unknown key", { authorization: `Bearer stgm_${"x".repeat(43)}` }, "invalid_api_key"],
    ["a malformed header", { authorization: "Basic abc" }, "invalid_api_key"],
  ])("refuses %s with the node's 401", async (_name, headers, code) => {
    const res = await post(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(await res.json()).toMatchObject({ code });
  });

  it("refuses before reading the body", async () => {
    const res = await post({}, "{not json");
    expect(res.status).toBe(401);
  });

  it("the MCP client cannot connect without a valid key", async () => {
    const client = new Client({ name: "stigmem-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${node.url}/mcp`), { requestInit: { headers: { authorization: "Bearer wrong-key" } } });
    await expect(client.connect(transport)).rejects.toThrow(/invalid_api_key/);
  });

  it("initializes with a valid key, statelessly", async () => {
    const res = await post({ authorization: `Bearer ${ADMIN_KEY}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    expect(await res.json()).toMatchObject({ jsonrpc: "2.0", id: 1, result: { serverInfo: { name: "stigmem" }, capabilities: { tools: {} } } });
  });

  it("answers protocol mistakes as JSON-RPC errors", async () => {
    const auth = { authorization: `Bearer ${ADMIN_KEY}` };
    const badJson = await post(auth, "{not json");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { code: -32700 } });
    const wrongType = await fetch(`${node.url}/mcp`, { method: "POST", headers: { ...auth, "content-type": "text/plain", accept: "application/json, text/event-stream" }, body: "x" });
    expect(wrongType.status).toBe(415);
    const get = await fetch(`${node.url}/mcp`, { headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});

describe("/mcp on a node without auth", () => {
  it("serves the tools to a caller without a key, as the trusted anonymous principal", async () => {
    const node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    try {
      const client = new Client({ name: "stigmem-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${node.url}/mcp`)));
      const r = await call(client, "assert_fact", { entity: "user:carol", relation: "memory:role", value: str("pilot"), source: "agent:anon" });
      expect(r.isError, r.text).toBe(false);
      await client.close();
    } finally {
      await node.stop();
    }
  });
});
