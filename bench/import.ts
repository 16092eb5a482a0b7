/**
 * `npm run bench:import` — bulk export and import at a million facts.
 *
 *   1. a source data folder written through the online write path (kept
 *      between runs, lib/online-source.ts);
 *   2. `stigmem export` of it (the compiled CLI, a child process);
 *   3. `stigmem import --offline` of that file into a fresh folder, `--runs`
 *      times: wall time, the import process's CPU time (both its threads),
 *      its load and build steps, and the CPU every other process on the
 *      machine used meanwhile (the machine is shared);
 *   4. the imported store against the source, part by part (lib/store-digest.ts);
 *   5. a node started on the imported folder: time to answer, and (unless
 *      `--embed no`) until its embedder has embedded every imported fact.
 *
 * Prints a table and refreshes the Import section of bench/RESULTS.md (by
 * default only for a full-size run).
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { describeMachine, machineLine, type Machine } from "./lib/machine.js";
import { startNodeProcess } from "./lib/node-process.js";
import { onlineSource, type Source } from "./lib/online-source.js";
import { CpuSampler, type OtherLoad } from "./lib/other-load.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { writeSection } from "./lib/results.js";
import { digestDifferences, storeDigest } from "./lib/store-digest.js";
import { fmtBytes, fmtDuration, fmtInt } from "./lib/stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const BIN = path.join(ROOT, "dist", "src", "cli", "main.js");
const TARGET_FACTS_PER_S = 50_000;

const USAGE = `npm run bench:import -- [options]      (or: node dist/bench/import.js [options])

  --facts N              facts in the source (default 1,000,000; BENCH_FACTS)
  --seed N               data set seed (default 1; BENCH_SEED)
  --runs N               imports measured, each into a fresh folder (default 1; BENCH_RUNS)
  --embed yes|no         start a node on the import and wait for its embedder (default yes; BENCH_EMBED)
  --results auto|yes|no  refresh bench/RESULTS.md: auto = only when --facts >= 1,000,000 (BENCH_RESULTS)
  --fresh                write the source again even if one is kept from an earlier run
  --tmp DIR              parent of the export file and the imported folders (default: the OS temp folder; BENCH_TMP)
  --keep                 keep the export file and the imported folders
  --help                 this text

The source is kept in dist/bench/import-cache/. Quick run: npm run bench:import -- --facts 50000 --embed no
`;

interface Settings {
  facts: number;
  seed: number;
  runs: number;
  embed: boolean;
  results: "auto" | "yes" | "no";
  fresh: boolean;
  tmp: string | undefined;
  keep: boolean;
}

function parseSettings(argv: string[]): Settings | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      facts: { type: "string" },
      seed: { type: "string" },
      runs: { type: "string" },
      embed: { type: "string" },
      results: { type: "string" },
      fresh: { type: "boolean" },
      tmp: { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const int = (raw: string | undefined, env: string, def: number, name: string): number => {
    const text = raw ?? process.env[env];
    const n = text === undefined || text === "" ? def : Number(text.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} (${env}) must be a positive integer, got "${text}"`);
    return n;
  };
  const choice = <T extends string>(raw: string | undefined, env: string, def: T, allowed: readonly T[], name: string): T => {
    const v = (raw ?? process.env[env] ?? def) as T;
    if (!allowed.includes(v)) throw new Error(`--${name} must be ${allowed.join(", ")}, got "${v}"`);
    return v;
  };
  return {
    facts: int(values.facts, "BENCH_FACTS", 1_000_000, "facts"),
    seed: int(values.seed, "BENCH_SEED", 1, "seed"),
    runs: int(values.runs, "BENCH_RUNS", 1, "runs"),
    embed: choice(values.embed, "BENCH_EMBED", "yes", ["yes", "no"] as const, "embed") === "yes",
    results: choice(values.results, "BENCH_RESULTS", "auto", ["auto", "yes", "no"] as const, "results"),
    fresh: values.fresh === true,
    tmp: values.tmp ?? process.env.BENCH_TMP,
    keep: values.keep === true,
  };
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** What `stigmem import --json` prints. */
interface ImportJson {
  facts: number;
  conflicts: number;
  chain_links: number;
  seconds: number;
  cpu_seconds: number;
  load_seconds: number;
  build_seconds: number;
  build_steps: Record<string, number>;
}

interface ImportRun {
  readonly summary: ImportJson;
  readonly others: OtherLoad;
  readonly folder: string;
}

interface Figures {
  source: Source;
  sourceFacts: number;
  export: { seconds: number; cpu_seconds: number; bytes: number; facts: number; conflicts: number };
  runs: ImportRun[];
  differences: string[];
  parts: number;
  serve: { seconds: number; embed: { seconds: number; semantic: boolean } | undefined };
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  const machine = describeMachine(ROOT);
  const started = Date.now();
  log(`bench:import — ${machine.cpu}, ${machine.cores} cores, ${fmtBytes(machine.ramBytes)} RAM, Node ${machine.node}`);
  const cache = path.join(ROOT, "dist", "bench", "import-cache");
  mkdirSync(cache, { recursive: true });
  // The node started on the import derives the offline embedder's vocabulary once, here, not in every imported folder.
  process.env.STIGMEM_EMBED_CACHE_DIR ??= path.join(cache, "embeddings");
  log(`1. source: ${fmtInt(s.facts)} facts written through the online write path (kept in ${cache}) …`);
  const source = await onlineSource(cache, s.facts, s.seed, s.fresh, log);
  if (!source.built) log("   reused from an earlier run (--fresh writes it again)");
  const work = mkdtempSync(path.join(s.tmp ?? os.tmpdir(), "stigmem-bench-import-"));
  try {
    const file = path.join(work, "export.jsonl");
    log("2. stigmem export …");
    const exported = JSON.parse(await cli(["export", "--data", source.dataDir, "--output", file, "--json"])) as Figures["export"];
    log(`   ${fmtInt(exported.facts)} facts, ${fmtInt(exported.conflicts)} conflicts, ${fmtBytes(exported.bytes)} in ${exported.seconds.toFixed(1)} s (CPU ${exported.cpu_seconds.toFixed(1)} s)`);
    const runs: ImportRun[] = [];
    for (let r = 1; r <= s.runs; r++) {
      log(`3. stigmem import --offline, run ${r} of ${s.runs} …`);
      const folder = path.join(work, `imported-${r}`);
      runs.push(await measuredImport(file, folder));
      const last = runs.at(-1)!;
      log(
        `   ${fmtInt(last.summary.facts / last.summary.seconds)} facts/s: ${last.summary.seconds.toFixed(1)} s wall, CPU ${last.summary.cpu_seconds.toFixed(1)} s; ` +
          `other processes used ${last.others.seconds.toFixed(0)} CPU-s of ${last.others.capacity.toFixed(0)}, steal ${last.others.steal.toFixed(0)} s`,
      );
      if (r < s.runs) rmSync(folder, { recursive: true, force: true });
    }
    const best = runs.reduce((a, b) => (b.summary.seconds < a.summary.seconds ? b : a));
    log("4. the imported store against the source, part by part …");
    const want = storeDigest(source.dbPath);
    const got = storeDigest(path.join(runs.at(-1)!.folder, "stigmem.db"));
    const differences = digestDifferences(want, got);
    log(differences.length === 0 ? `   identical: ${Object.keys(want).join(", ")}` : `   DIFFERENT: ${differences.join(", ")}`);
    log("5. a node on the imported folder …");
    const serve = await serveImported(runs.at(-1)!.folder, s.embed);
    const figures: Figures = {
      source,
      sourceFacts: want.facts!.rows,
      export: exported,
      runs,
      differences,
      parts: Object.keys(want).length,
      serve,
    };
    const wall = (Date.now() - started) / 1000;
    log("");
    log(textTable(["benchmark", "result", "target", ""], rows(figures, best)));
    log("");
    log(`machine: ${machineLine(machine)}`);
    log(`wall time: ${fmtDuration(wall)}`);
    const write = s.results === "yes" || (s.results === "auto" && s.facts >= 1_000_000);
    if (write) {
      writeSection(RESULTS_FILE, "import", renderSection(figures, best, machine, wall));
      log("bench/RESULTS.md: import section refreshed");
    } else {
      log(`bench/RESULTS.md: not written (--results ${s.results}, --facts ${fmtInt(s.facts)}; pass --results yes to write)`);
    }
    return differences.length === 0 ? 0 : 1;
  } finally {
    if (s.keep) log(`kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the compiled CLI; resolves with its stdout, rejects with its stderr on failure. */
function cli(args: string[], onSpawn?: (pid: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`stigmem ${args[0]} exited ${code}: ${err.trim().split("\n").at(-1)}`))));
  });
}

/** One import, with what the rest of the machine did meanwhile. */
async function measuredImport(file: string, folder: string): Promise<ImportRun> {
  const exclude = new Set([process.pid]);
  const sampler = new CpuSampler();
  const t0 = performance.now();
  let out: string;
  try {
    out = await cli(["import", file, "--offline", "--data", folder, "--json"], (pid) => exclude.add(pid));
  } catch (e) {
    sampler.stop(exclude, 0, 0);
    throw e;
  }
  const summary = JSON.parse(out) as ImportJson;
  return { summary, others: sampler.stop(exclude, summary.cpu_seconds, (performance.now() - t0) / 1000), folder };
}

/** Starts a node on the imported folder: seconds until it answers, and until it has embedded every fact. */
async function serveImported(folder: string, embed: boolean): Promise<Figures["serve"]> {
  const t0 = performance.now();
  const node = await startNodeProcess({ root: ROOT, logLevel: "warn", dataDir: folder });
  const seconds = (performance.now() - t0) / 1000;
  try {
    if (!embed) return { seconds, embed: undefined };
    // The embedding cursor in the database itself: every fact at or below it is embedded.
    const db = new Database(node.dbPath, { readonly: true });
    try {
      const last = db.prepare("SELECT max(rowid) FROM facts").pluck().get() as number;
      const cursor = db.prepare("SELECT cursor FROM embed_state").pluck();
      const t1 = performance.now();
      let logged = t1;
      for (;;) {
        const at = cursor.get() as number;
        if (at >= last) return { seconds, embed: { seconds: (performance.now() - t1) / 1000, semantic: true } };
        if (performance.now() - logged > 15_000) {
          logged = performance.now();
          log(`   embedded ${fmtInt(at)} of ${fmtInt(last)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      db.close();
    }
  } finally {
    await node.stop();
  }
}

function rows(f: Figures, best: ImportRun): [string, string, string, string][] {
  const i = best.summary;
  const rate = i.facts / i.seconds;
  const steps = Object.entries(i.build_steps)
    .filter(([, v]) => v >= 0.05)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(" · ");
  const out: [string, string, string, string][] = [
    [
      `import of ${fmtInt(i.facts)} facts + ${fmtInt(i.conflicts)} conflicts (best of ${f.runs.length})`,
      `${fmtInt(rate)} facts/s (${i.seconds.toFixed(1)} s wall; load ${i.load_seconds.toFixed(1)} s, build ${i.build_seconds.toFixed(1)} s)`,
      `≥ ${fmtInt(TARGET_FACTS_PER_S)} facts/s`,
      verdict(rate >= TARGET_FACTS_PER_S),
    ],
    [
      "CPU time of the import process (both threads)",
      `${i.cpu_seconds.toFixed(1)} s (${((i.cpu_seconds / i.facts) * 1e6).toFixed(1)} µs per fact)`,
      "—",
      "—",
    ],
    ["build steps (s)", steps, "—", "—"],
    [
      "the rest of the machine during that import",
      `other processes ${best.others.seconds.toFixed(0)} CPU-s of the ${best.others.capacity.toFixed(0)} the cores had; hypervisor steal ${best.others.steal.toFixed(0)} s; load average ${best.others.loadAverage.toFixed(1)}`,
      "—",
      "—",
    ],
    [
      `export of the source (${fmtBytes(f.export.bytes)})`,
      `${fmtInt(f.export.facts / f.export.seconds)} facts/s (${f.export.seconds.toFixed(1)} s wall, CPU ${f.export.cpu_seconds.toFixed(1)} s)`,
      "—",
      "—",
    ],
    [
      `imported store against the source (${f.parts} parts)`,
      f.differences.length === 0 ? "identical" : `DIFFERENT: ${f.differences.join(", ")}`,
      "identical",
      verdict(f.differences.length === 0),
    ],
    [
      "node started on the imported folder",
      `answers after ${f.serve.seconds.toFixed(1)} s` +
        (f.serve.embed === undefined
          ? ""
          : f.serve.embed.semantic
            ? `; every fact embedded ${f.serve.embed.seconds.toFixed(0)} s later (${fmtInt(f.sourceFacts / f.serve.embed.seconds)} facts/s, in the background)`
            : "; no embedder"),
      "—",
      "—",
    ],
  ];
  if (f.runs.length > 1) {
    out.splice(1, 0, [
      "every run (wall s / CPU s)",
      f.runs.map((r) => `${r.summary.seconds.toFixed(1)} / ${r.summary.cpu_seconds.toFixed(1)}`).join(", "),
      "—",
      "—",
    ]);
  }
  return out;
}

function renderSection(f: Figures, best: ImportRun, machine: Machine, wall: number): string {
  const table = rows(f, best)
    .map((r) => `| ${r.join(" | ")} |`)
    .join("\n");
  const others = best.others.top.map((t) => `${t.command} ${t.seconds.toFixed(0)} s`).join(", ");
  const fileSize = statSync(f.source.dbPath).size;
  return `## Import — \`npm run bench:import\`

Serves issue 17 (fast import and export). The source is written through the online write path in process
(batch use case, 500-fact batches, then every tenth conflict resolved), exported with the compiled \`stigmem export\`
and imported with \`stigmem import --offline\` into a fresh folder, each a child process; the import's CPU time is
its own (both threads), the other processes' CPU time is read from /proc over the same window.

- **Run:** ${new Date().toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ")} · commit ${machine.commit} · wall time ${fmtDuration(wall)}
- **Machine:** ${machineLine(machine)}
- **Data:** ${fmtInt(f.sourceFacts)} facts and ${fmtInt(f.export.conflicts)} conflicts (\`lib/dataset.ts\`, seed 1), source database ${fmtBytes(fileSize)}${f.source.onlineRate === undefined ? "" : `, written online at ${fmtInt(f.source.onlineRate)} facts/s`}
- **Also running** (CPU time during the best import, by command): ${others === "" ? "nothing measurable" : others}

| benchmark | result | target | |
|---|---|---|---|
${table}`;
}

runBench("bench:import", main);
