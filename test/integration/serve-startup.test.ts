/**
 * `stigmem serve` start-up as an operator meets it (the compiled bin): one
 * node per data folder — a second one exits 2 naming the holder, and a node
 * killed with SIGKILL does not block the next start — and a busy port is
 * reported (exit 2, naming the port) before anything is written to the
 * folder: no bootstrap key file, no derived vocabulary.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { embedTestEnv } from "../helpers/embed-cache.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-start-"));
  dirs.push(d);
  return d;
}

const ENV = { PATH: process.env.PATH ?? "", STIGMEM_AUTH_REQUIRED: "false", ...embedTestEnv() };

/** Starts `stigmem serve` on a free port; resolves once it logs its URL. */
async function startServe(data: string): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data", data], { env: ENV });
  children.push(child);
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

function serveOnce(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, "serve", ...args], { encoding: "utf8", env, timeout: 20_000 });
}

describe("one node per data folder", () => {
  it("refuses a second serve on the same folder with exit 2, naming the holder", async () => {
    const data = tempDir();
    const { child, url } = await startServe(data);
    const second = serveOnce(["--port", "0", "--data", data], ENV);
    expect(second.status).toBe(2);
    expect(second.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(second.stderr.trimEnd()).toBe(
      `stigmem: ${data} is in use by another stigmem process (pid ${child.pid}, ${url}); stop it or choose another data folder`,
    );
    // The first node was not disturbed.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("is not blocked by the lock of a node killed with SIGKILL", async () => {
    const data = tempDir();
    const first = await startServe(data);
    const gone = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGKILL");
    await gone;
    const next = await startServe(data);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => next.child.once("exit", resolve));
    next.child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("a busy port", () => {
  it("exits 2 naming the port, before the bootstrap key or the vocabulary exist", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const data = tempDir();
      // Auth required (a first start would create the bootstrap key); the offline
      // vocabulary would be derived into <data>/embeddings.
      const r = serveOnce(["--port", String(port), "--data", data], { PATH: process.env.PATH ?? "" });
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr.trimEnd()).toBe(
        `stigmem: port ${port}: 127.0.0.1:${port} is already in use; stop what listens there or choose another port (--port, STIGMEM_PORT)`,
      );
      expect(existsSync(path.join(data, "bootstrap-admin.key"))).toBe(false);
      expect(existsSync(path.join(data, "embeddings"))).toBe(false);
      // Nothing holds the folder afterwards.
      const again = await startServe(data);
      again.child.kill("SIGTERM");
    } finally {
      blocker.close();
    }
  });
});
