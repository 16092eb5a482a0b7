/**
 * The compiled node (`dist/src/cli/main.js serve`, built by `npm test`) in a
 * child process on a free loopback port, for tests that must kill it: auth
 * off, no embedder, an optional wall-clock shift (wall-clock-shift.mjs).
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { projectFile } from "../../src/project-root.js";

const BIN = projectFile("dist", "src", "cli", "main.js");
const CLOCK_SHIFT = fileURLToPath(new URL("./wall-clock-shift.mjs", import.meta.url));

export interface NodeChild {
  readonly url: string;
  readonly pid: number;
  /** Sends `signal` and resolves when the process is gone. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface NodeChildOptions {
  readonly dataDir: string;
  /** Milliseconds added to the child's wall clock (negative: it runs behind). */
  readonly clockShiftMs?: number;
  readonly env?: Record<string, string>;
}

export async function startNodeChild(opts: NodeChildOptions): Promise<NodeChild> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", CLOCK_SHIFT, BIN, "serve", "--port", "0", "--data", opts.dataDir, "--log-level", "info"],
    {
      env: {
        PATH: process.env.PATH ?? "",
        STIGMEM_AUTH_REQUIRED: "false",
        STIGMEM_EMBEDDER: "none",
        STIGMEM_TEST_WALL_CLOCK_SHIFT_MS: String(opts.clockShiftMs ?? 0),
        ...opts.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const onData = (c: Buffer): void => {
      out += c.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m !== null) {
        child.stdout!.off("data", onData);
        child.stdout!.resume(); // keep draining the log so the child never blocks on it
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((e) => reject(new Error(`the node exited during start-up (${JSON.stringify(e)}): ${stderr.slice(0, 2000)}`)));
  });
  return {
    url,
    pid: child.pid!,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}
