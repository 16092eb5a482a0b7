/**
 * The client commands (`facts`, `recall`, `conflicts`) and `mcp config` as
 * people and scripts call them: the compiled bin against a real node with
 * auth on, through `@stigmem/sdk` on each transport. `--json` prints the
 * SDK's result and parses; the readable output is a table; a refusal by the
 * node is one stderr line with its error code and exit 1; a node that does
 * not answer is named. (Help and usage errors are in cli-commands.test.ts.)
 */
import { execFile } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const ADMIN_KEY = `cli-admin-${"Lk4Jh3Gf".repeat(5)}`;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

let node: TestNode;

/** Runs the bin without blocking this process, whose event loop serves the node. */
function stigmem(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? "", STIGMEM_URL: node.url, STIGMEM_API_KEY: ADMIN_KEY, ...env }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ status: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }),
    );
  });
}

/** A loopback port nothing listens on: one the OS just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function json(args: readonly string[], env: Record<string, string> = {}): Promise<any> {
  const r = await stigmem([...args, "--json"], env);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none" } });
});
afterAll(async () => {
  await node?.stop();
});

describe("facts", () => {
  let id: string;

  it("assert --json prints the stored fact; a second identical one is deduplicated", async () => {
    const r = await json(["facts", "assert", "user:dana", "memory:role", "quartz geologist", "--source", "agent:ops", "--scope", "company"]);
    expect(r).toMatchObject({ deduplicated: false, fact: { entity: "user:dana", relation: "memory:role", value: { type: "string", v: "quartz geologist" }, source: "agent:ops", scope: "company", confidence: 1 } });
    id = r.fact.id as string;
    const again = await json(["facts", "assert", "user:dana", "memory:role", "quartz geologist", "--source", "agent:ops", "--scope", "company"]);
    expect(again).toMatchObject({ deduplicated: true, fact: { id } });
  });

  it("assert types the value from --type, and prints what it stored", async () => {
    const n = await json(["facts", "assert", "user:dana", "memory:age", "41.5", "--type", "number", "--source", "agent:ops", "--scope", "company", "--confidence", "0.8"]);
    expect(n.fact).toMatchObject({ value: { type: "number", v: 41.5 }, confidence: 0.8 });
    const b = await json(["facts", "assert", "user:dana", "memory:active", "true", "--type", "boolean", "--source", "agent:ops", "--scope", "company"]);
    expect(b.fact.value).toMatchObject({ type: "boolean", v: true });
    const nul = await json(["facts", "assert", "user:dana", "memory:manager", "--type", "null", "--source", "agent:ops", "--scope", "company"]);
    expect(nul.fact.value).toMatchObject({ type: "null", v: null });
    const text = await stigmem(["facts", "assert", "user:dana", "memory:team", "geo", "--source", "agent:ops", "--scope", "company"]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^stored: user:dana memory:team = geo \(scope company\)\nid {3}[0-9a-f-]{36}\ncid {2}sha256:[0-9a-f]{64}\n$/);
  });

  it("get --json prints the fact, by id or CID, on every transport", async () => {
    const fact = await json(["facts", "get", id]);
    expect(fact).toMatchObject({ id, entity: "user:dana", state: "current" });
    expect(await json(["facts", "get", fact.cid as string])).toEqual(fact);
    for (const transport of ["connect", "grpc", "grpc-web"]) {
      expect(await json(["facts", "get", id, "--transport", transport]), transport).toEqual(fact);
    }
    expect(await json(["facts", "get", id], { STIGMEM_TRANSPORT: "grpc" })).toEqual(fact);
  });

  it("get prints every field, one per line", async () => {
    const r = await stigmem(["facts", "get", id]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^id {12}${id}\\nentity {8}user:dana\\nrelation {6}memory:role\\nvalue {9}quartz geologist \\(string\\)\\n`));
    expect(r.stdout).toMatch(/^cid {11}sha256:[0-9a-f]{64}$/m);
  });

  it("query --json prints a page; the table lists the facts, newest first, with the next page's cursor", async () => {
    const page = await json(["facts", "query", "--entity", "user:dana"]);
    expect(page.total).toBe(5);
    expect(page.facts.map((f: any) => f.relation)).toEqual(["memory:team", "memory:manager", "memory:active", "memory:age", "memory:role"]);
    const r = await stigmem(["facts", "query", "--entity", "user:dana", "--limit", "2"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ENTITY +RELATION +VALUE +SOURCE +SCOPE +CONF +STATE +ID$/);
    expect(lines[1]).toMatch(/^user:dana +memory:team +geo +agent:ops +company +1 +current +[0-9a-f-]{36}$/);
    expect(lines[3]).toMatch(/^2 of 5 fact\(s\); next page: --cursor \S+$/);
    const cursor = lines[3]!.split("--cursor ")[1]!;
    const next = await json(["facts", "query", "--entity", "user:dana", "--limit", "2", "--cursor", cursor]);
    expect(next.facts.map((f: any) => f.relation)).toEqual(["memory:active", "memory:age"]);
  });

  it("a refusal by the node is one line with its code, exit 1", async () => {
    const missing = await stigmem(["facts", "get", "00000000-0000-4000-8000-000000000000"]);
    expect(missing).toMatchObject({ status: 1, stdout: "" });
    expect(missing.stderr).toBe("stigmem: facts get: not_found: no fact 00000000-0000-4000-8000-000000000000\n");
    const invalid = await stigmem(["facts", "assert", "user:dana", "memory:born", "last spring", "--type", "datetime", "--source", "agent:ops"]);
    expect(invalid).toMatchObject({ status: 1, stdout: "" });
    expect(invalid.stderr).toBe("stigmem: facts assert: validation_error: body.value.v: a datetime value must be ISO 8601\n");
  });

  it("names the missing key, and the node that does not answer", async () => {
    const noKey = await stigmem(["facts", "get", id], { STIGMEM_API_KEY: "" });
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toMatch(/^stigmem: facts get: auth_required: .* — pass a key with STIGMEM_API_KEY or --key\n$/);
    const closed = await closedPort();
    const down = await stigmem(["facts", "get", id, "--url", `http://127.0.0.1:${closed}`]);
    expect(down.status).toBe(1);
    expect(down.stderr).toBe(`stigmem: facts get: unavailable: no answer from http://127.0.0.1:${closed} (ECONNREFUSED); is a node running there? (--url or STIGMEM_URL)\n`);
  });
});

describe("recall", () => {
  it("--json prints the answer; the table shows each score and its breakdown", async () => {
    const r = await json(["recall", "quartz geologist", "--scope", "company"]);
    expect(r.facts[0].fact).toMatchObject({ entity: "user:dana", relation: "memory:role" });
    expect(r.facts[0].scoreBreakdown).toMatchObject({ lexical: expect.any(Number), recency: expect.any(Number) });
    const t = await stigmem(["recall", "quartz geologist", "--scope", "company", "--budget", "500"]);
    expect(t.status, t.stderr).toBe(0);
    const lines = t.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^# +SCORE +LEX +SEM +GRAPH +TRUST +RECENCY +ENTITY +RELATION +VALUE +SOURCE$/);
    const b = r.facts[0].scoreBreakdown;
    const numbers = [r.facts[0].score, b.lexical, b.semantic, b.graph, b.sourceTrust, b.recency].map((n: number) => n.toFixed(3)).join(" +");
    expect(lines[1]).toMatch(new RegExp(`^1 +${numbers} +user:dana +memory:role +quartz geologist +agent:ops$`));
    expect(lines.at(-1)).toMatch(/^\d+ fact\(s\) of \d+ scored; \d+ of 500 tokens$/);
  });

  it("a scope the key may not use is the node's refusal", async () => {
    const created = await fetch(`${node.url}/v1/auth/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ entity_uri: "agent:reader", permissions: ["read"], allowed_scopes: ["company"] }),
    });
    const key = ((await created.json()) as { raw_key: string }).raw_key;
    const r = await stigmem(["recall", "quartz", "--scope", "public"], { STIGMEM_API_KEY: key });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^stigmem: recall: scope_not_allowed: /);
  });
});

describe("conflicts", () => {
  let conflictId: string;
  let winner: string;

  beforeAll(async () => {
    expect((await stigmem(["facts", "assert", "user:eli", "memory:city", "Basel", "--source", "agent:one", "--scope", "company"])).status).toBe(0);
    expect((await stigmem(["facts", "assert", "user:eli", "memory:city", "Bern", "--source", "agent:two", "--scope", "company"])).status).toBe(0);
  });

  it("list --json prints the page; the table shows both sides", async () => {
    const page = await json(["conflicts", "list"]);
    const c = page.conflicts.find((x: any) => x.entity === "user:eli");
    expect(c).toMatchObject({ relation: "memory:city", status: "unresolved" });
    conflictId = c.conflictId as string;
    winner = c.factA.id as string;
    const t = await stigmem(["conflicts", "list"]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^ID +ENTITY +RELATION +SCOPE +A +B +STATUS +DETECTED\n/);
    expect(t.stdout).toMatch(new RegExp(`^${conflictId} +user:eli +memory:city +company +\\S+ ← agent:\\S+ +\\S+ ← agent:\\S+ +unresolved `, "m"));
    expect(t.stdout).toMatch(/\n1 of 1 unresolved conflict\(s\)\n$/);
  });

  it("resolve --json settles it; an unknown conflict is the node's not_found", async () => {
    const unknown = await stigmem(["conflicts", "resolve", "stigmem:conflict:00000000-0000-4000-8000-000000000000", "--winner", winner]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^stigmem: conflicts resolve: not_found: /);
    const r = await json(["conflicts", "resolve", conflictId, "--winner", winner, "--note", "asked eli"]);
    expect(r).toMatchObject({ conflictStatus: "resolved", resolutionFactId: expect.any(String) });
    expect((await json(["conflicts", "list"])).conflicts).toEqual([]);
    const resolved = await json(["conflicts", "list", "--status", "resolved"]);
    expect(resolved.conflicts[0]).toMatchObject({ conflictId, resolutionNote: "asked eli" });
  });
});

describe("mcp config", () => {
  it.each(["claude-code", "cursor", "claude-desktop"])("%s --json launches stigmem mcp with the node's URL and key", async (client) => {
    const doc = await json(["mcp", "config", client, "--key", "k-123"]);
    const entry = doc.mcpServers.stigmem;
    expect(entry).toMatchObject({ command: process.execPath, args: [BIN, "mcp"], env: { STIGMEM_URL: node.url, STIGMEM_API_KEY: "k-123" } });
  });

  it("vscode prompts for the key; --http points at the node's /mcp", async () => {
    const doc = await json(["mcp", "config", "vscode", "--http"], { STIGMEM_API_KEY: "" });
    expect(doc).toEqual({
      servers: { stigmem: { type: "http", url: `${node.url}/mcp`, headers: { Authorization: "Bearer ${input:stigmem-api-key}" } } },
      inputs: [{ type: "promptString", id: "stigmem-api-key", description: "Stigmem API key", password: true }],
    });
  });

  it("codex-cli prints TOML under a line saying where it goes", async () => {
    const r = await stigmem(["mcp", "config", "codex-cli", "--http"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "# Codex CLI: add to ~/.codex/config.toml, and export STIGMEM_API_KEY in the shell that starts codex\n" +
        `[mcp_servers.stigmem]\nurl = "${node.url}/mcp"\nbearer_token_env_var = "STIGMEM_API_KEY"\n`,
    );
  });
});
