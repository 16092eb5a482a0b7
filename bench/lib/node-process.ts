/**
 * Runs the compiled node (`dist/src/cli/main.js serve`) in a child process
 * with a fresh data folder, auth off on loopback, so the load generator never
 * shares the server's event loop.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface NodeProcess {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly dbPath: string;
  /** The node's stdout (JSON log lines). */
  readonly logFile: string;
  /** SIGTERM, wait for a graceful exit (the database is closed, the WAL checkpointed). */
  stop(): Promise<void>;
  /** Deletes the data folder (after stop). */
  remove(): void;
}

export interface StartOptions {
  root: string;
  logLevel: string;
  /** Parent folder for the data folder; the OS temp folder by default. */
  tmpDir?: string;
  /** An existing data folder to start on (a restart, or a folder loaded by an earlier run); a fresh one by default. */
  dataDir?: string;
  /** Extra STIGMEM_* settings (federation runs); they override the defaults above. */
  env?: Record<string, string>;
}

export async function startNodeProcess(opts: StartOptions): Promise<NodeProcess> {
  const main = path.join(opts.root, "dist", "src", "cli", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), "stigmem-bench-"));
  const logFile = path.join(dataDir, "node.log");
  const errFile = path.join(dataDir, "node.err");
  const port = await freePort();
  const out = createWriteStream(logFile);
  const err = createWriteStream(errFile);
  await Promise.all([once(out, "open"), once(err, "open")]);
  const child: ChildProcess = spawn(
    process.execPath,
    // BENCH_NODE_ARGS: extra flags for the node's runtime, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
    [...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), main, "serve", "--host", "127.0.0.1", "--port", String(port), "--data", dataDir, "--log-level", opts.logLevel],
    {
      cwd: opts.root,
      env: { ...process.env, STIGMEM_AUTH_REQUIRED: "false", STIGMEM_FEDERATION_ENABLED: "false", ...opts.env },
      stdio: ["ignore", out, err],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the node process");
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  // Never leave our child behind if the harness dies.
  const killOnExit = () => {
    if (exited === undefined) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`the node exited during start-up (${JSON.stringify(exited)}): ${readFileSync(errFile, "utf8").slice(0, 2000)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the node did not answer /healthz within 30 s (log: ${logFile})`);
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url,
    pid,
    dataDir,
    dbPath: path.join(dataDir, "stigmem.db"),
    logFile,
    stop: async () => {
      if (exited === undefined) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
        await exit;
        clearTimeout(timer);
      }
      process.off("exit", killOnExit);
      out.end();
      err.end();
      if (exited?.code !== 0) {
        throw new Error(`the node exited with ${JSON.stringify(exited)}: ${readFileSync(errFile, "utf8").slice(0, 2000)}`);
      }
    },
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

function once(stream: NodeJS.EventEmitter, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once(event, () => resolve());
    stream.once("error", reject);
  });
}

/** A port the OS says is free right now on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
