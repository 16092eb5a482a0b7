/**
 * A node in a child process (`dist/src/cli/main.js serve`, built by `npm
 * test` first), for the tests that must kill a node with SIGKILL — the one
 * crash no in-process node can suffer. Federation on, auth required with
 * the federation test key, no embedder (not needed, and its start-up cost
 * would dominate).
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { projectFile } from "../../src/project-root.js";
import { FED_ADMIN_KEY } from "./federation.js";

const BIN = projectFile("dist", "src", "cli", "main.js");

export interface NodeProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly nodeId: string;
  /** Kills the process with `signal` and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A read-only connection to its database (closed by {@link kill}). */
  inspect(): Database.Database;
}

/** Starts a node on `port` with `dataDir`; resolves once `/healthz` answers. */
export async function spawnNode(dataDir: string, port: number, env: Record<string, string> = {}): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, "serve", "--host", "127.0.0.1", "--port", String(port), "--data", dataDir, "--log-level", "warn"], {
    env: {
      ...process.env,
      STIGMEM_AUTH_REQUIRED: "true",
      STIGMEM_BOOTSTRAP_KEY: FED_ADMIN_KEY,
      STIGMEM_FEDERATION_ENABLED: "true",
      STIGMEM_FEDERATION_ALLOW_PRIVATE: "true",
      STIGMEM_EMBEDDER: "none",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 600) throw new Error(`node did not answer /healthz: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const wk = (await (await fetch(`${url}/.well-known/stigmem`)).json()) as { node_id: string };
  let reader: Database.Database | undefined;
  return {
    url,
    dataDir,
    nodeId: wk.node_id,
    inspect: () => (reader ??= new Database(path.join(dataDir, "stigmem.db"), { readonly: true })),
    kill: async (signal = "SIGKILL") => {
      reader?.close();
      reader = undefined;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
