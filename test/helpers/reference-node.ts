/**
 * A real reference node (stigmem 0.9 from the kit, `../shared/reference/node-kit`)
 * with federation and auth on, for interop tests: started with the kit's
 * `run.sh`, its admin key registered with its own CLI once it is healthy,
 * its pull interval shortened so it pulls our node within a second. Tests
 * skip when the kit's Python cannot run (see reference-python.ts).
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { REFERENCE_KIT } from "../unit/federation/reference-python.js";
import { freePort } from "./federation.js";

/** The reference node's admin key: every permission it knows, `admin:federation` included. */
export const REFERENCE_ADMIN_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

export interface ReferenceNode {
  readonly url: string;
  readonly dataDir: string;
  readonly nodeId: string;
  readonly pubkey: string;
  /** Runs its CLI (`python3 -m stigmem_node.cli …`) on its database. */
  cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }>;
  /** A read-only connection to its database. */
  db(): Database.Database;
  /** Calls its REST API with its admin key. */
  call(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

function kitEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("STIGMEM_")) env[k] = v;
  return {
    ...env,
    // run.sh links Debian's argon2 into <data>/.pyextra when the pyenv Python lacks it.
    PYTHONPATH: [path.join(REFERENCE_KIT, "deps"), path.join(REFERENCE_KIT, "node", "src"), path.join(dataDir, ".pyextra")].join(path.delimiter),
    STIGMEM_DB_PATH: path.join(dataDir, "ref.db"),
  };
}

/** Starts a reference node; `settings` are extra `STIGMEM_*=…` assignments. */
export async function startReferenceNode(settings: string[] = []): Promise<ReferenceNode> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "stigmem-refnode-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(
    "bash",
    [
      path.join(REFERENCE_KIT, "run.sh"),
      String(port),
      dataDir,
      "STIGMEM_FEDERATION_ENABLED=true",
      "STIGMEM_FEDERATION_INSECURE=1",
      "STIGMEM_AUTH_REQUIRED=true",
      "STIGMEM_FEDERATION_PULL_INTERVAL_S=1",
      ...settings,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  proc.stderr?.on("data", (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`reference node exited with ${proc.exitCode}:\n${log}`);
    if ((await fetch(`${url}/healthz`).then((r) => r.status, () => 0)) === 200) break;
    if (i > 600) throw new Error(`reference node did not become healthy:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("python3", ["-m", "stigmem_node.cli", ...args], { cwd: dataDir, env: kitEnv(dataDir) });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });
  const boot = await cli(["auth", "bootstrap-key", "--key", REFERENCE_ADMIN_KEY, "--permissions", "admin,read,write,federate,admin:federation,instruction:write,audit.read"]);
  if (boot.status !== 0) throw new Error(`bootstrap-key failed: ${boot.stderr}`);
  const call = async (method: string, p: string, body?: unknown, token = REFERENCE_ADMIN_KEY) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
  };
  const wk = (await call("GET", "/.well-known/stigmem")).body as { node_id: string; federation_pubkey: string };
  let reader: Database.Database | undefined;
  return {
    url,
    dataDir,
    nodeId: wk.node_id,
    pubkey: wk.federation_pubkey,
    cli,
    call,
    db: () => (reader ??= new Database(path.join(dataDir, "ref.db"), { readonly: true })),
    stop: async () => {
      reader?.close();
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once("exit", resolve));
        proc.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
