#!/usr/bin/env node
/**
 * Compiles the node (tsc -p tsconfig.build.json) and the TypeScript SDK
 * (sdks/typescript, which compiles gen/ and src/core into its own dist/)
 * and stamps the build, or —
 * with `--if-stale` — compiles only when a source changed since the last
 * stamp. `npm start` and `npm test` use `--if-stale`, so a start after
 * `npm ci` (whose `prepare` built once) costs a few milliseconds of stat
 * calls instead of a full compile (5.9 s of an 8.1 s restart before).
 *
 * Stale means: no stamp, or any input file or folder modified after the
 * moment the stamped build started. Folders count too, so a deleted or
 * renamed source makes the build stale. Edits made while a build runs are
 * newer than its start and are picked up by the next run.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** What the compiled output depends on, relative to the project root. */
const INPUTS = [
  "src",
  "gen",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "sdks/typescript/src",
  "sdks/typescript/tsconfig.json",
  "sdks/typescript/package.json",
];
/** Outputs that must exist for a build to count. */
const OUTPUTS = ["dist/src/cli/main.js", "sdks/typescript/dist"];
const STAMP = path.join(ROOT, "dist", ".build-stamp");

/** Newest modification time (ms) of a file, or of a folder and everything under it. */
function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  let newest = st.mtimeMs;
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

/** Start time of the stamped build, or undefined when there is none. */
function stampedAt() {
  try {
    const at = JSON.parse(fs.readFileSync(STAMP, "utf8")).started_at_ms;
    return typeof at === "number" ? at : undefined;
  } catch {
    return undefined;
  }
}

function isStale() {
  const at = stampedAt();
  if (at === undefined || OUTPUTS.some((output) => !fs.existsSync(path.join(ROOT, output)))) return true;
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > at);
}

const ifStale = process.argv.includes("--if-stale");
if (ifStale && !isStale()) process.exit(0);
if (ifStale) process.stderr.write("stigmem: sources changed since the last build; compiling\n");

const startedAt = Date.now();
const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
// The SDK first: the CLI and the /mcp route use it (`@stigmem/sdk`, its declarations in sdks/typescript/dist).
for (const project of ["sdks/typescript/tsconfig.json", "tsconfig.build.json"]) {
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, project)], { stdio: "inherit" });
  if (result.status !== 0) {
    fs.rmSync(STAMP, { force: true });
    process.exit(result.status ?? 1);
  }
}
fs.writeFileSync(STAMP, `${JSON.stringify({ started_at_ms: startedAt })}\n`);
