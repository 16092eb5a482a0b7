/**
 * Start-up cost of a node: spawn `dist/src/cli/main.js serve` on a given data
 * folder (so a second start finds what the first left there, e.g. the
 * embedder's vocabulary cache), and measure
 *
 * - time to listening: from spawn until the node logs "stigmem node
 *   listening" (it binds port 0 and prints its URL, so no port is guessed);
 * - the process's resident set (VmRSS, and the peak VmHWM) at that moment;
 * - time until recall has a working semantic channel (a sentinel fact comes
 *   back with a semantic score, see `recall-client.ts`), and RSS then.
 *
 * `node-process.ts` stays the launcher for load runs; this one exists
 * because it must reuse a data folder and time the spawn itself.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { waitForEmbeddings, type CatchUp } from "./recall-client.js";
import { nowNs } from "./stats.js";

export interface StartupFigures {
  /** ms from spawn to the "listening" log line. */
  listeningMs: number;
  rssAtListening: number;
  /** ms from spawn until a semantic recall works (undefined without an embedder). */
  semanticReadyMs: number | undefined;
  rssAfterFirstRecall: number;
  peakRss: number;
  catchUp: CatchUp;
  /** Log lines that mention the embedder or a vocabulary (how the node explains its start). */
  embedLog: string[];
}

/** VmRSS and VmHWM of a process in bytes (Linux); 0 elsewhere. */
export function processMemory(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

export async function measureStartup(opts: { root: string; dataDir: string; logLevel?: string; graceMs?: number }): Promise<StartupFigures> {
  const main = path.join(opts.root, "dist", "src", "cli", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  // The vocabulary cache must live in the data folder (the default) for "cold" and "warm" to mean anything.
  const env: NodeJS.ProcessEnv = { ...process.env, STIGMEM_AUTH_REQUIRED: "false", STIGMEM_FEDERATION_ENABLED: "false" };
  delete env.STIGMEM_EMBED_CACHE_DIR;
  const t0 = nowNs();
  const child = spawn(
    process.execPath,
    [main, "serve", "--host", "127.0.0.1", "--port", "0", "--data", opts.dataDir, "--log-level", opts.logLevel ?? "info"],
    { cwd: opts.root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the node process");
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString("utf8")).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const embedLog: string[] = [];
  const listening = new Promise<{ url: string; ms: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (/embed|vocab/i.test(line)) embedLog.push(line.slice(0, 300));
      if (!line.includes("stigmem node listening")) return;
      try {
        resolve({ url: (JSON.parse(line) as { url: string }).url, ms: (nowNs() - t0) / 1e6 });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    void exited.then((code) => reject(new Error(`the node exited during start-up (${code}): ${stderr.slice(0, 2000)}`)));
  });
  try {
    const { url, ms } = await listening;
    const atListening = processMemory(pid);
    const catchUp = await waitForEmbeddings(url, { graceMs: opts.graceMs ?? 20_000, timeoutMs: 10 * 60_000 });
    const readyMs = (nowNs() - t0) / 1e6;
    const after = processMemory(pid);
    return {
      listeningMs: ms,
      rssAtListening: atListening.rss,
      semanticReadyMs: catchUp.semantic ? readyMs : undefined,
      rssAfterFirstRecall: after.rss,
      peakRss: after.hwm,
      catchUp,
      embedLog,
    };
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    await exited;
    clearTimeout(timer);
    process.off("exit", killOnExit);
  }
}
