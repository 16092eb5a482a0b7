/**
 * The bootstrap admin key (protocol.md §8) on real nodes: generated once,
 * printed once to stderr, written 0600, never logged and not re-created on
 * restart; seeded from STIGMEM_BOOTSTRAP_KEY instead when set; a lost or
 * revoked bootstrap key stops the node with a message saying how to recover.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/config.js";
import { projectFile } from "../../src/project-root.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";
import { embedTestEnv } from "../helpers/embed-cache.js";

const AUTH = { STIGMEM_AUTH_REQUIRED: "true" };
const dirs: string[] = [];
const running: TestNode[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const n of running.splice(0)) await n.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-bootstrap-"));
  dirs.push(d);
  return d;
}

/** Starts a node on `dataDir`, returning it and what it wrote to stderr. */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<{ node: TestNode; stderr: string }> {
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    const node = await startTestNode({ dataDir, env: { ...AUTH, ...env } });
    running.push(node);
    return { node, stderr };
  } finally {
    spy.mockRestore();
  }
}

async function stop(node: TestNode): Promise<void> {
  running.splice(running.indexOf(node), 1);
  await node.stop();
}

/** One request on its own connection (`Connection: close`), so shutdown need not wait for idle sockets. */
function request(url: string, method: string, p: string, key: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const req = http.request(`${url}${p}`, { method, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function me(node: TestNode, key: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${node.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: await res.json() };
}

describe("generated bootstrap key", () => {
  it("is printed once, written 0600, works as agent:admin, and is not re-created on restart", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const file = path.join(dataDir, "bootstrap-admin.key");
    const key = readFileSync(file, "utf8").trim();
    expect(key).toMatch(/^stgm_[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.stderr.split(key)).toHaveLength(2);
    expect(first.stderr).toContain(file);

    const who = await me(first.node, key);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ entity_uri: "agent:admin", allowed_scopes: null });
    expect(who.body.permissions).toHaveLength(7);
    const created = first.node.inspect()
      .prepare("SELECT actor, detail FROM audit_log WHERE event_type = 'key_created'")
      .all() as { actor: string; detail: string }[];
    expect(created).toHaveLength(1);
    expect(created[0]!.actor).toBe("system:bootstrap");
    expect(JSON.parse(created[0]!.detail)).toMatchObject({ bootstrap: true, entity_uri: "agent:admin" });
    expect(created[0]!.detail).not.toContain(key);
    await stop(first.node);

    const second = await start(dataDir);
    expect(second.stderr).not.toContain("bootstrap");
    expect(readFileSync(file, "utf8").trim()).toBe(key);
    expect((await me(second.node, key)).status).toBe(200);
    const keys = await fetch(`${second.node.url}/v1/auth/keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await keys.json()) as unknown[]).length).toBe(1);
  });

  it("refuses to start while an old key file exists but no key is usable, until the file is moved", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const file = path.join(dataDir, "bootstrap-admin.key");
    const key = readFileSync(file, "utf8").trim();
    const id = (await me(first.node, key)).body.key_id as string;
    const revoked = await fetch(`${first.node.url}/v1/auth/keys/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(revoked.status).toBe(204);
    await stop(first.node);

    await expect(start(dataDir)).rejects.toThrow(/bootstrap-admin\.key already exists.*stigmem keys create/);
    rmSync(file);
    const again = await start(dataDir);
    const fresh = readFileSync(file, "utf8").trim();
    expect(fresh).not.toBe(key);
    expect((await me(again.node, fresh)).status).toBe(200);
    expect((await me(again.node, key)).status).toBe(401);
  });
});

describe("STIGMEM_BOOTSTRAP_KEY", () => {
  const seed = `seed-${"S3cr3t".repeat(6)}`;

  it("seeds the admin key: no file, nothing printed; a later different seed is ignored", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir, { STIGMEM_BOOTSTRAP_KEY: seed });
    expect(first.stderr).toBe("");
    expect(existsSync(path.join(dataDir, "bootstrap-admin.key"))).toBe(false);
    expect((await me(first.node, seed)).body).toMatchObject({ entity_uri: "agent:admin" });
    await stop(first.node);

    const other = `other-${"x".repeat(40)}`;
    const second = await start(dataDir, { STIGMEM_BOOTSTRAP_KEY: other });
    expect((await me(second.node, seed)).status).toBe(200);
    expect((await me(second.node, other)).status).toBe(401);
  });

  it("stops the node, naming the variable, when the seeded key was revoked and nothing else is usable", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir, { STIGMEM_BOOTSTRAP_KEY: seed });
    const id = (await me(first.node, seed)).body.key_id as string;
    await fetch(`${first.node.url}/v1/auth/keys/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${seed}` } });
    await stop(first.node);
    const error = await start(dataDir, { STIGMEM_BOOTSTRAP_KEY: seed }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("STIGMEM_BOOTSTRAP_KEY");
    expect((error as ConfigError).message).not.toContain(seed);
  });

  it("is not used in no-auth mode", async () => {
    const dataDir = tempDir();
    const { node } = await start(dataDir, { STIGMEM_AUTH_REQUIRED: "false", STIGMEM_BOOTSTRAP_KEY: seed });
    expect((await me(node, seed)).status).toBe(401);
    expect((await fetch(`${node.url}/v1/me`)).status).toBe(200);
  });
});

describe("stigmem serve", () => {
  it("prints the generated key once on stderr and never in its JSON logs", async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [projectFile("dist", "src", "cli", "main.js"), "serve", "--port", "0", "--data", dataDir], {
      env: { PATH: process.env.PATH ?? "", STIGMEM_AUTH_REQUIRED: "true", STIGMEM_LOG_LEVEL: "trace", ...embedTestEnv() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        const m = /"url":"(http:\/\/[^"]+)"/.exec(stdout);
        if (m !== null) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
    });
    const key = readFileSync(path.join(dataDir, "bootstrap-admin.key"), "utf8").trim();
    // Use it, fail with a near miss, and create a key: none of it may reach the log.
    expect((await request(url, "GET", "/v1/me", key)).status).toBe(200);
    expect((await request(url, "GET", "/v1/me", `${key}x`)).status).toBe(401);
    const created = await request(url, "POST", "/v1/auth/keys", key, { entity_uri: "agent:logged", permissions: ["read"] });
    const newKey = (JSON.parse(created.body) as { raw_key: string }).raw_key;
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr.split(key)).toHaveLength(2);
    expect(stdout).toContain("bootstrap admin key created");
    expect(stdout).toContain("request completed");
    for (const secret of [key, key.slice(5), newKey, newKey.slice(5)]) expect(stdout).not.toContain(secret);
    for (const line of stdout.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });
});
