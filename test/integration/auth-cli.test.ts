/**
 * `stigmem keys` as operators run it: the compiled bin (npm test builds
 * first) working directly on a data folder, with no node running. A key it
 * creates works on a node started afterwards; bad flags exit 2 with one line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const dirs: string[] = [];
const nodes: TestNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-keys-cli-"));
  dirs.push(d);
  return d;
}

function stigmem(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...env },
    timeout: 20_000,
  });
}

async function startAuthNode(dataDir: string): Promise<TestNode> {
  const node = await startTestNode({ dataDir, env: { STIGMEM_AUTH_REQUIRED: "true" } });
  nodes.push(node);
  return node;
}

async function me(node: TestNode, key: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${node.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: await res.json() };
}

describe("stigmem keys", () => {
  it("creates a key offline that works on a node started afterwards (no bootstrap key needed)", async () => {
    const dataDir = tempDir();
    const r = stigmem([
      "keys", "create", "--entity", "Agent:Ops", "--permissions", "read,write,admin",
      "--scopes", "company,public", "--description", "ops key", "--expires-in-days", "7", "--data", dataDir,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const key = r.stdout.trim();
    expect(key).toMatch(/^stgm_[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toContain("agent:ops");
    expect(r.stderr).not.toContain(key);

    const node = await startAuthNode(dataDir);
    expect(existsSync(path.join(dataDir, "bootstrap-admin.key"))).toBe(false);
    const who = await me(node, key);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({
      entity_uri: "agent:ops",
      permissions: ["read", "write", "admin"],
      allowed_scopes: ["company", "public"],
    });
    const keys = (await (await fetch(`${node.url}/v1/auth/keys`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      description: string;
      expires_at: string;
    }[];
    expect(keys[0]!.description).toBe("ops key");
    const days = (Date.parse(keys[0]!.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const audit = node.inspect().prepare("SELECT actor FROM audit_log WHERE event_type = 'key_created'").all();
    expect(audit).toEqual([{ actor: "system:cli" }]);

    // list works next to the running node and never shows secrets.
    const list = stigmem(["keys", "list", "--data", dataDir]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(who.body.key_id);
    expect(list.stdout).toContain("permissions=read,write,admin");
    expect(list.stdout).not.toContain(key);
  });

  it("recovers from a lockout: revoke offline, then create a new admin key offline", async () => {
    const dataDir = tempDir();
    const seed = `seed-${"L0ck".repeat(8)}`;
    const first = await startTestNode({ dataDir, env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: seed } });
    const id = (await me(first, seed)).body.key_id as string;
    await first.stop();

    const revoked = stigmem(["keys", "revoke", id], { STIGMEM_DATA_DIR: dataDir });
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(stigmem(["keys", "revoke", id, "--data", dataDir]).status).toBe(1);
    const created = stigmem(["keys", "create", "--entity", "agent:admin", "--permissions", "read,admin", "--data", dataDir]);
    expect(created.status).toBe(0);

    const node = await startAuthNode(dataDir);
    expect((await me(node, seed)).status).toBe(401);
    expect((await me(node, created.stdout.trim())).body.permissions).toEqual(["read", "admin"]);
  });

  it.each([
    [["keys"], /^stigmem: keys: unknown option '--data'/],
    [["keys", "rotate"], /^stigmem: keys: unknown command 'rotate'/],
    [["keys", "create", "--permissions", "read"], /^stigmem: --entity: is required/],
    [["keys", "create", "--entity", "a:b"], /^stigmem: --permissions: is required/],
    [["keys", "create", "--entity", "a:b", "--permissions", "read,fly"], /^stigmem: --permissions: /],
    [["keys", "create", "--entity", "a:b", "--permissions", "read", "--scopes", "galaxy"], /^stigmem: --scopes: /],
    [["keys", "create", "--entity", "a:b", "--permissions", "read", "--expires-in-days", "91"], /^stigmem: --expires-in-days: /],
    [["keys", "create", "--entity", "a:b", "--permissions", "read", "--frobnicate"], /^stigmem: keys create: unknown option '--frobnicate'/],
    [["keys", "revoke"], /^stigmem: keys revoke: missing required argument 'id'/],
  ])("%j exits 2 with one line", (args, message) => {
    const r = stigmem([...args, "--data", tempDir()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses list and revoke on a folder without a node database", () => {
    const missing = path.join(tempDir(), "nothing-here");
    const r = stigmem(["keys", "list", "--data", missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stigmem: --data: no node database at /);
    expect(existsSync(missing)).toBe(false);
  });
});
