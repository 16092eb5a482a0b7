/**
 * The `stigmem` command as users run it: the compiled bin in a child
 * process (npm test builds first). Configuration mistakes exit 2 with one
 * line naming the variable; SIGTERM lets an in-flight request finish and
 * exits 0.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { VERSION } from "../../src/version.js";
import { embedTestEnv } from "../helpers/embed-cache.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-cli-"));
  dirs.push(d);
  return d;
}

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...env },
    timeout: 20_000,
  });
}

/** Starts `stigmem serve` on a free port with auth off; resolves once it logs its URL. */
async function startServe(): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data", tempDir()], {
    env: { PATH: process.env.PATH ?? "", STIGMEM_AUTH_REQUIRED: "false", ...embedTestEnv() },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
  });
  return { child, url };
}

describe("stigmem CLI", () => {
  it("prints its version", () => {
    const r = run(["version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it("prints help", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}serve \[options\] /m);
  });

  it.each([
    [{ STIGMEM_PORT: "70000" }, /^stigmem: STIGMEM_PORT: must be a port number/],
    [{ STIGMEM_AUTH_REQUIRED: "maybe" }, /^stigmem: STIGMEM_AUTH_REQUIRED: must be true or false/],
    [{ STIGMEM_LOG_LEVEL: "loud" }, /^stigmem: STIGMEM_LOG_LEVEL: must be one of/],
    [{ STIGMEM_NODE_URL: "ftp://x" }, /^stigmem: STIGMEM_NODE_URL: must use http or https/],
    [{ STIGMEM_AUTH_REQUIRED: "false", STIGMEM_HOST: "0.0.0.0" }, /^stigmem: STIGMEM_AUTH_REQUIRED: false is refused/],
  ])("rejects bad configuration %j with exit 2 and one line", (env, message) => {
    const r = run(["serve"], { STIGMEM_DATA_DIR: tempDir(), ...env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("names the flag when a flag is bad, and rejects unknown commands", () => {
    const bad = run(["serve", "--port", "x"], { STIGMEM_DATA_DIR: tempDir() });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^stigmem: --port: /);
    const unknown = run(["frobnicate"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^stigmem: unknown command 'frobnicate'/);
  });

  it("serves, finishes an in-flight request on SIGTERM, and exits 0", async () => {
    const { child, url } = await startServe();
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const { port, hostname } = new URL(url);

    // Start a request, send only part of its body, then ask the node to stop.
    const socket = net.connect(Number(port), hostname);
    await new Promise((r) => socket.once("connect", r));
    const body = '{"query": "who is alice"}';
    socket.write(`POST /v1/lint HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    const response = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (c: Buffer) => (text += c.toString()));
      socket.on("close", () => resolve(text));
    });
    socket.end(body.slice(5));
    expect(await response).toMatch(/^HTTP\/1\.1 501 /);
    expect(await exited).toBe(0);
  });

  it("recalls by meaning through the built node's embedder thread", async () => {
    const { child, url } = await startServe();
    try {
      const post = (route: string, body: unknown) =>
        fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const fact = { entity: "stigmem://cli/user/bob", relation: "memory:title", value: { type: "string", v: "CEO" }, source: "stigmem://cli/agent/test", scope: "company" };
      expect((await post("/v1/facts", fact)).status).toBe(201);
      // No word in common: only the semantic channel (the worker's search of the shared index) finds it.
      let semantic = 0;
      for (const until = Date.now() + 15_000; semantic === 0 && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        const res = await post("/v1/recall", { query: "Who is the chief executive?", scope: "company", include_neighbors: false });
        const body = (await res.json()) as { facts: { score_breakdown: { lexical: number; semantic: number } }[] };
        semantic = body.facts[0]?.score_breakdown.semantic ?? 0;
        if (body.facts.length > 0) expect(body.facts[0]!.score_breakdown.lexical).toBe(0);
      }
      expect(semantic).toBeGreaterThan(0.25);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("closes idle keep-alive connections at once on SIGTERM instead of waiting for them", async () => {
    const { child, url } = await startServe();
    // fetch keeps the connection alive after the response.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    // The graceful deadline is 10 s; an idle connection must not hold shutdown that long.
    const outcome = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 5_000))]);
    if (outcome === "still running") child.kill("SIGKILL");
    expect(outcome).toBe(0);
  });
});
