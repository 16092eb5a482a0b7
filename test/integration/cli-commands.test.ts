/**
 * Every `stigmem` command as scripts and people call it (the compiled bin,
 * npm test builds first): its own `--help`; usage mistakes exiting 2 with
 * one stderr line that names the command and the culprit, with a "did you
 * mean" for typos; `--json` output that parses; and `doctor` finding
 * expiring and revoked keys, a served (locked) data folder and a bootstrap
 * key that would stop the node from starting.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { projectFile } from "../../src/project-root.js";
import { VERSION } from "../../src/version.js";
import { embedTestEnv } from "../helpers/embed-cache.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const dirs: string[] = [];
const nodes: TestNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-cmd-"));
  dirs.push(d);
  return d;
}

function stigmem(args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...embedTestEnv(), ...env },
    timeout: 20_000,
  });
}

/** Like {@link stigmem}, without blocking this process: for commands that talk to a node it runs. */
function stigmemAsync(args: readonly string[]): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", ...embedTestEnv() }, timeout: 20_000 }, (err, stdout) =>
      resolve({ status: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout }),
    );
  });
}

/** Every command path of the program, e.g. ["keys", "create"]. */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const COMMANDS: string[][] = [
  [],
  ["serve"],
  ["keys"],
  ["keys", "create"],
  ["keys", "list"],
  ["keys", "revoke"],
  ["peers"],
  ["peers", "add"],
  ["peers", "list"],
  ["peers", "approve"],
  ["peers", "reject"],
  ["peers", "remove"],
  ["peers", "status"],
  ["embed"],
  ["embed", "backfill"],
  ["doctor"],
  ["facts"],
  ["facts", "assert"],
  ["facts", "get"],
  ["facts", "query"],
  ["recall"],
  ["conflicts"],
  ["conflicts", "list"],
  ["conflicts", "resolve"],
  ["mcp"],
  ["mcp", "config"],
  ["version"],
];

describe("--help", () => {
  it("the table below covers every command of the program", () => {
    expect(commandPaths(buildProgram()).map((p) => p.join(" ")).sort()).toEqual(
      COMMANDS.filter((c) => c.length > 0).map((c) => c.join(" ")).sort(),
    );
  });

  it.each(COMMANDS.map((c) => [c.join(" ") || "(root)", c] as const))("stigmem %s --help", (_name, cmd) => {
    const r = stigmem([...cmd, "--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(new RegExp(`^Usage: stigmem${cmd.map((c) => ` ${c}`).join("")} `));
    // The same text through the `help` command of the parent: `stigmem keys help create`.
    if (cmd.length > 0) expect(stigmem([...cmd.slice(0, -1), "help", cmd.at(-1)!]).stdout).toBe(r.stdout);
  });

  it("names every serve flag's environment variable twin", () => {
    const help = stigmem(["serve", "--help"]).stdout;
    for (const twin of ["--host", "STIGMEM_HOST", "--port", "STIGMEM_PORT", "--data", "STIGMEM_DATA_DIR", "--db", "STIGMEM_DB_PATH",
      "--node-url", "STIGMEM_NODE_URL", "--node-id", "STIGMEM_NODE_ID", "--log-level", "STIGMEM_LOG_LEVEL"]) {
      expect(help).toContain(twin);
    }
  });

  it("prints no colour when stdout is not a terminal, even when asked for help", () => {
    expect(stigmem(["--help"], { FORCE_COLOR: "0" }).stdout).not.toContain("\x1b[");
    expect(stigmem(["--help"]).stdout).not.toContain("\x1b[");
  });
});

describe("usage errors exit 2 with one line naming the culprit", () => {
  it.each([
    [[], /^stigmem: missing command \(serve, keys, peers, embed, doctor, facts, recall, conflicts, mcp, version\)/],
    [["frobnicate"], /^stigmem: unknown command 'frobnicate'$/],
    [["serv"], /^stigmem: unknown command 'serv' \(did you mean serve\?\)$/],
    [["serve", "--prot", "1"], /^stigmem: serve: unknown option '--prot' \(did you mean --port\?\)$/],
    [["serve", "--port"], /^stigmem: serve: option '--port <port>' argument missing$/],
    [["serve", "now"], /^stigmem: serve: too many arguments/],
    [["serve", "--port", "x"], /^stigmem: --port: must be a port number/],
    [["keys"], /^stigmem: keys: missing command \(create, list, revoke\)/],
    [["keys", "lst"], /^stigmem: keys: unknown command 'lst' \(did you mean list\?\)$/],
    [["keys", "revoke"], /^stigmem: keys revoke: missing required argument 'id'$/],
    [["keys", "create", "--entty", "a:b"], /^stigmem: keys create: unknown option '--entty' \(did you mean --entity\?\)$/],
    [["embed"], /^stigmem: embed: missing command \(backfill\)/],
    [["embed", "backfill", "--forse"], /^stigmem: embed backfill: unknown option '--forse' \(did you mean --force\?\)$/],
    [["doctor", "--jsn"], /^stigmem: doctor: unknown option '--jsn' \(did you mean --json\?\)$/],
    [["version", "1"], /^stigmem: version: too many arguments/],
    [["facts"], /^stigmem: facts: missing command \(assert, get, query\)/],
    [["facts", "asert"], /^stigmem: facts: unknown command 'asert' \(did you mean assert\?\)$/],
    [["facts", "assert", "user:a", "--source", "agent:a"], /^stigmem: facts assert: missing required argument 'relation'$/],
    [["facts", "assert", "user:a", "memory:x", "v"], /^stigmem: facts assert: required option '--source <uri>' not specified$/],
    [["facts", "assert", "user:a", "memory:x", "v", "--source", "agent:a", "--type", "number"], /^stigmem: facts assert: value: "v" is not a number$/],
    [["facts", "assert", "user:a", "memory:x", "--source", "agent:a"], /^stigmem: facts assert: value: is required for --type string$/],
    [["facts", "assert", "user:a", "memory:x", "v", "--source", "agent:a", "--confidence", "2"], /^stigmem: facts assert: option '--confidence <n>' argument '2' is invalid\. must be a number from 0 to 1$/],
    [["facts", "assert", "user:a", "memory:x", "v", "--source", "agent:a", "--type", "str"], /^stigmem: facts assert: option '--type <type>' argument 'str' is invalid\. Allowed choices are string, text/],
    [["facts", "get"], /^stigmem: facts get: missing required argument 'id'$/],
    [["facts", "get", "x", "--transport", "smoke"], /^stigmem: facts get: option '--transport <wire>' argument 'smoke' is invalid\. Allowed choices are rest, connect, grpc, grpc-web\.$/],
    [["facts", "get", "x", "--url", "ftp://x"], /^stigmem: --url: must be an http or https URL \(got "ftp:\/\/x"\)$/],
    [["facts", "query", "--limit", "0"], /^stigmem: facts query: option '--limit <n>' argument '0' is invalid\. must be a whole number from 1 to 500$/],
    [["facts", "query", "--scope", "galaxy"], /^stigmem: facts query: option '--scope <scope>' argument 'galaxy' is invalid\. Allowed choices are local, team, company, public\.$/],
    [["facts", "query", "--entty", "x"], /^stigmem: facts query: unknown option '--entty' \(did you mean --entity\?\)$/],
    [["recall"], /^stigmem: recall: missing required argument 'question'$/],
    [["recal", "x"], /^stigmem: unknown command 'recal' \(did you mean recall\?\)$/],
    [["recall", "x", "--budget", "lots"], /^stigmem: recall: option '--budget <tokens>' argument 'lots' is invalid\. must be a whole number from 1 to 200000$/],
    [["conflicts"], /^stigmem: conflicts: missing command \(list, resolve\)/],
    [["conflicts", "list", "--status", "open"], /^stigmem: conflicts list: option '--status <status>' argument 'open' is invalid\. Allowed choices are unresolved, resolved, all\.$/],
    [["conflicts", "resolve", "c1"], /^stigmem: conflicts resolve: give exactly one of --winner <fact-id> and --value <value>$/],
    [["mcp", "serve"], /^stigmem: mcp: too many arguments for 'mcp'\. Expected 0 arguments but got 1\.$/],
    [["mcp", "config"], /^stigmem: mcp config: missing required argument 'client'$/],
    [["mcp", "config", "emacs"], /^stigmem: mcp config: command-argument value 'emacs' is invalid for argument 'client'\. Allowed choices are claude-code, codex-cli, cursor, claude-desktop, vscode\.$/],
    [["mcp", "config", "codex-cli", "--json"], /^stigmem: mcp config codex-cli --json: this client's configuration is TOML, not JSON; drop --json$/],
    [["mcp", "config", "claude-desktop", "--http"], /^stigmem: mcp config claude-desktop --http: Claude Desktop adds remote servers in Settings > Connectors/],
  ])("stigmem %j", (args, message) => {
    const r = stigmem(args, { STIGMEM_DATA_DIR: tempDir() });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});

describe("--json", () => {
  it("version", () => {
    const r = stigmem(["version", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ version: VERSION });
  });

  it("keys create, list and revoke", () => {
    const data = tempDir();
    const created = stigmem(["keys", "create", "--entity", "agent:ops", "--permissions", "read,write", "--scopes", "company", "--data", data, "--json"]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stderr).toBe("");
    const { raw_key, key } = JSON.parse(created.stdout) as { raw_key: string; key: Record<string, unknown> };
    expect(raw_key).toMatch(/^stgm_/);
    expect(key).toMatchObject({ entity_uri: "agent:ops", permissions: ["read", "write"], allowed_scopes: ["company"], description: null });
    expect(Object.keys(key).sort()).toEqual(["allowed_scopes", "created_at", "description", "entity_uri", "expires_at", "id", "permissions"]);

    const listed = stigmem(["keys", "list", "--data", data, "--json"]);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([key]);
    expect(listed.stdout).not.toContain(raw_key);

    const revoked = stigmem(["keys", "revoke", key.id as string, "--data", data, "--json"]);
    expect(revoked.status).toBe(0);
    expect(JSON.parse(revoked.stdout)).toEqual({ revoked: key.id });
    expect(JSON.parse(stigmem(["keys", "list", "--data", data, "--json"]).stdout)).toEqual([]);
  });

  it("embed backfill", () => {
    const data = tempDir();
    expect(stigmem(["keys", "create", "--entity", "agent:ops", "--permissions", "read", "--data", data]).status).toBe(0);
    const r = stigmem(["embed", "backfill", "--data", data, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: "wink-sg-100d/1", processed: 0, skipped: 0 });
  });

  it("doctor", () => {
    const r = stigmem(["doctor", "--data", tempDir(), "--json"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { status: string; version: string; findings: { id: string; status: string }[] };
    expect(report.status).toBe("ok");
    expect(report.version).toBe(VERSION);
    expect(report.findings.map((f) => f.id)).toEqual(["config", "database", "lock", "keys", "embedder", "peers"]);
  });
});

describe("doctor", () => {
  type Report = { status: string; findings: { id: string; status: string; message: string; fix?: string }[] };
  const doctor = (data: string, env: Record<string, string> = {}) => {
    const r = stigmem(["doctor", "--data", data, "--json"], env);
    return { status: r.status, report: JSON.parse(r.stdout) as Report };
  };

  it("reports a key about to expire and a revoked one, and what to do", () => {
    const data = tempDir();
    const create = (entity: string, extra: string[] = []) =>
      JSON.parse(stigmem(["keys", "create", "--entity", entity, "--permissions", "read,admin", "--data", data, "--json", ...extra]).stdout).key.id as string;
    const expiring = create("agent:soon", ["--expires-in-days", "3"]);
    const gone = create("agent:gone");
    create("agent:fine");
    expect(stigmem(["keys", "revoke", gone, "--data", data]).status).toBe(0);

    const { status, report } = doctor(data);
    expect(status).toBe(0);
    expect(report.status).toBe("warn");
    const soon = report.findings.find((f) => f.id === "keys.expiring");
    expect(soon).toMatchObject({ status: "warn" });
    expect(soon?.message).toContain(expiring);
    expect(soon?.fix).toContain(`revoke ${expiring}`);
    const ended = report.findings.find((f) => f.id === "keys.ended");
    expect(ended?.message).toMatch(new RegExp(`${gone} \\(agent:gone\\) was revoked at `));
    expect(report.findings.find((f) => f.id === "keys")).toMatchObject({ status: "ok", message: "2 usable key(s), 2 with admin" });
  });

  it("fails when STIGMEM_BOOTSTRAP_KEY names a revoked key and nothing else works", () => {
    const data = tempDir();
    const seed = `seed-${"D0c!".repeat(8)}`;
    // Register the seed as the only key (as a node's first start would), then revoke it.
    const created = stigmem(["keys", "create", "--entity", "agent:admin", "--permissions", "admin", "--data", data, "--json"]);
    const id = JSON.parse(created.stdout).key.id as string;
    expect(stigmem(["keys", "revoke", id, "--data", data]).status).toBe(0);
    const { status, report } = doctor(data, { STIGMEM_BOOTSTRAP_KEY: JSON.parse(created.stdout).raw_key });
    expect(status).toBe(1);
    expect(report.status).toBe("fail");
    expect(report.findings.find((f) => f.id === "keys.bootstrap")).toMatchObject({ status: "fail" });
    // A fresh secret is fine: the node registers it on start.
    expect(doctor(data, { STIGMEM_BOOTSTRAP_KEY: seed }).status).toBe(0);
  });

  it("reports a data folder served by a running node, and that the node answers", async () => {
    const node = await startTestNode();
    nodes.push(node);
    // The node runs in this process: the doctor's /healthz call needs this event loop free.
    const r = await stigmemAsync(["doctor", "--data", node.dataDir, "--json"]);
    const lock = (JSON.parse(r.stdout) as Report).findings.find((f) => f.id === "lock");
    expect(lock).toMatchObject({ status: "info" });
    expect(lock?.message).toBe(`the data folder is locked: served by a running node (pid ${process.pid}) at ${node.url}`);
    await node.close();
    const after = doctor(node.dataDir).report.findings.find((f) => f.id === "lock");
    expect(after).toMatchObject({ status: "ok", message: "no node serves this data folder" });
  });

  it("fails on invalid configuration, naming the variable", () => {
    const { status, report } = doctor(tempDir(), { STIGMEM_PORT: "70000" });
    expect(status).toBe(1);
    expect(report.findings[0]).toMatchObject({ id: "config", status: "fail" });
    expect(report.findings[0]?.message).toMatch(/^STIGMEM_PORT: /);
    expect(report.findings.slice(1).every((f) => f.status === "skip")).toBe(true);
  });

  it("prints a readable report without --json", () => {
    const r = stigmem(["doctor", "--data", tempDir()]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ok {4}config {4}127\.0\.0\.1:8765, /m);
    expect(r.stdout).toMatch(/^info {2}database {2}no database yet at .*\n {16}fix: `stigmem serve` creates it on first start$/m);
    expect(r.stdout).toMatch(/stigmem doctor: all good\n$/);
    expect(r.stdout).not.toContain("\x1b[");
  });
});
