/**
 * `npm run bench:recall` — recall latency at scale, embedding throughput and
 * the start-up cost of the default embedder, over real HTTP on loopback.
 *
 * 1. **Start-up** — a node on a fresh data folder (cold: the embedder derives
 *    its vocabulary cache), then again on the same folder (warm): time to
 *    listening, time until a semantic recall works, and RSS of the node
 *    process (`lib/startup.ts`).
 * 2. **Latency at scale** — one node (fusion from `--fusion`, passed as
 *    `STIGMEM_RECALL_FUSION`) is loaded with the Acme evaluation set and its
 *    distractors, then filled with the fact-core data set (`lib/dataset.ts`)
 *    up to each size of `--sizes`. At each size the harness waits for the
 *    embedder to catch up (embedding throughput: facts of the segment over
 *    the time from its first batch until caught up, and the lag after the
 *    load ended), then sends the evaluation queries (all six classes, in a
 *    fixed shuffled order) one at a time through `POST /v1/recall`: p50, p95
 *    and p99 round-trip latency, query embedding included since it happens
 *    inside the node.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadFacts } from "./lib/batch-load.js";
import { entityFacts, FACTS_PER_ENTITY, Rng, type AssertBody } from "./lib/dataset.js";
import { describeMachine, machineLine, type Machine } from "./lib/machine.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { startNodeProcess, type NodeProcess } from "./lib/node-process.js";
import { readDoctor, RecallClient, waitForEmbeddings, embedderHint, type CatchUp } from "./lib/recall-client.js";
import { writeSection } from "./lib/results.js";
import { measureStartup, processMemory, type StartupFigures } from "./lib/startup.js";
import { fmtBytes, fmtDuration, fmtInt, fmtMs, nowNs, Samples } from "./lib/stats.js";
import { distractorFacts } from "./recall-eval/distractors.js";
import { EVAL_SCOPE, orgFacts } from "./recall-eval/org.js";
import { QUERIES, QUERY_CLASSES, type QueryClass } from "./recall-eval/queries.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");

const TARGETS = { p50At100k: 10, p95At100k: 25, p95At1M: 100 };

const USAGE = `npm run bench:recall -- [options]   (or: node dist/bench/recall.js [options])

  --sizes LIST          total facts at which latency is measured, ascending (default 100000,1000000; BENCH_SIZES)
  --queries N           measured recalls per size (default 1000; BENCH_QUERIES)
  --warmup N            recalls before measuring, per size (default 100; BENCH_WARMUP)
  --fusion NAME         STIGMEM_RECALL_FUSION for the node (default: the node's own default; BENCH_FUSION)
  --startup yes|no      measure cold and warm start-up (default yes; BENCH_STARTUP)
  --embed-timeout S     longest wait for the embedder at one size (default 3600; BENCH_EMBED_TIMEOUT)
  --results auto|yes|no refresh bench/RESULTS.md: auto = only when the sizes reach 1,000,000 (BENCH_RESULTS)
  --log-level LEVEL     the node's log level (default warn; BENCH_LOG_LEVEL)
  --tmp DIR             parent folder of the nodes' temp data folders (BENCH_TMP)
  --keep                keep the data folders afterwards
  --help                this text

Quick development run: npm run bench:recall -- --sizes 20000 --queries 300
`;

interface Settings {
  sizes: number[];
  queries: number;
  warmup: number;
  fusion: string | undefined;
  startup: boolean;
  embedTimeoutS: number;
  results: "auto" | "yes" | "no";
  logLevel: string;
  tmpDir: string | undefined;
  keep: boolean;
}

function parseSettings(argv: string[]): Settings | undefined {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      sizes: { type: "string" },
      queries: { type: "string" },
      warmup: { type: "string" },
      fusion: { type: "string" },
      startup: { type: "string" },
      "embed-timeout": { type: "string" },
      results: { type: "string" },
      "log-level": { type: "string" },
      tmp: { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (v.help === true) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const env = process.env;
  const int = (raw: string, name: string) => {
    const n = Number(raw.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    return n;
  };
  const sizes = (v.sizes ?? env.BENCH_SIZES ?? "100000,1000000").split(",").map((x) => int(x.trim(), "--sizes"));
  if (sizes.some((x, i) => i > 0 && x <= sizes[i - 1]!)) throw new Error("--sizes must be ascending");
  const results = (v.results ?? env.BENCH_RESULTS ?? "auto") as Settings["results"];
  if (!["auto", "yes", "no"].includes(results)) throw new Error("--results must be auto, yes or no");
  const fusion = v.fusion ?? env.BENCH_FUSION;
  return {
    sizes,
    queries: int(v.queries ?? env.BENCH_QUERIES ?? "1000", "--queries"),
    warmup: int(v.warmup ?? env.BENCH_WARMUP ?? "100", "--warmup"),
    fusion: fusion === "" ? undefined : fusion,
    startup: (v.startup ?? env.BENCH_STARTUP ?? "yes") !== "no",
    embedTimeoutS: int(v["embed-timeout"] ?? env.BENCH_EMBED_TIMEOUT ?? "3600", "--embed-timeout"),
    results,
    logLevel: v["log-level"] ?? env.BENCH_LOG_LEVEL ?? "warn",
    tmpDir: v.tmp ?? env.BENCH_TMP,
    keep: v.keep === true,
  };
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface SizeFigures {
  facts: number;
  segmentFacts: number;
  loadSeconds: number;
  catchUp: CatchUp;
  /** Backlog the doctor reported when the load ended, if it reports one. */
  backlogAtLoadEnd: number | undefined;
  latency: Samples;
  /** Each evaluation query the first time it is asked (warm-up included): what the node had not kept for it yet. */
  firstAsked: Samples;
  perClass: Map<QueryClass, Samples>;
  meanReturned: number;
  /** Mean ms per phase the node reported in Server-Timing, in its order. */
  phases: Map<string, number>;
  rss: number;
  peakRss: number;
}

interface Figures {
  startup: { cold: StartupFigures; warm: StartupFigures } | undefined;
  sizes: SizeFigures[];
  embedder: string;
  fusion: string;
  sqlite: string;
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  const machine = describeMachine(ROOT);
  const started = Date.now();
  log(`bench:recall — ${machine.cpu}, ${machine.cores} cores, ${fmtBytes(machine.ramBytes)} RAM, Node ${machine.node}, commit ${machine.commit}`);
  log(`sizes: ${s.sizes.map(fmtInt).join(", ")} facts; ${fmtInt(s.queries)} recalls per size after ${fmtInt(s.warmup)} warm-up`);
  if (s.fusion !== undefined) process.env.STIGMEM_RECALL_FUSION = s.fusion;

  const startup = s.startup ? await measureStartups(s) : undefined;
  const node = await startNodeProcess({ root: ROOT, logLevel: s.logLevel, tmpDir: s.tmpDir });
  log(`node: pid ${node.pid}, ${node.url}, data ${node.dataDir}`);
  let figures: Figures;
  try {
    const probe = new RecallClient(node.url);
    const status = await probe.status();
    probe.close();
    if (status !== 200) throw new Error(`POST /v1/recall answers ${status}: recall is not available on this build yet`);
    const doctor = await readDoctor(node.url);
    const hint = embedderHint(doctor);
    const sizes = await runSizes(node, s);
    figures = {
      startup,
      sizes,
      embedder: hint.summary,
      fusion: hint.fusion ?? s.fusion ?? "node default",
      sqlite: (doctor.versions as Record<string, string> | undefined)?.sqlite ?? "unknown",
    };
  } finally {
    await node.stop().catch((e: unknown) => log(`stopping the node: ${(e as Error).message}`));
    if (s.keep) log(`data kept in ${node.dataDir}`);
    else node.remove();
  }
  const wall = (Date.now() - started) / 1000;
  log("");
  log(renderText(figures));
  log("");
  log(`wall time: ${fmtDuration(wall)}`);
  const write = s.results === "yes" || (s.results === "auto" && s.sizes[s.sizes.length - 1]! >= 1_000_000);
  if (write) {
    writeSection(RESULTS_FILE, "recall", renderSection(figures, s, machine, wall));
    log("bench/RESULTS.md: recall section refreshed");
  } else {
    log("bench/RESULTS.md: not written (sizes below 1,000,000; pass --results yes to write)");
  }
  return 0;
}

async function measureStartups(s: Settings): Promise<{ cold: StartupFigures; warm: StartupFigures }> {
  const dir = mkdtempSync(path.join(s.tmpDir ?? os.tmpdir(), "stigmem-bench-startup-"));
  try {
    log("start-up: cold (fresh data folder) …");
    const cold = await measureStartup({ root: ROOT, dataDir: dir });
    log(`start-up cold: listening after ${fmtMs(cold.listeningMs)} ms (RSS ${fmtBytes(cold.rssAtListening)}); ` +
      `semantic recall ${cold.semanticReadyMs === undefined ? `unavailable (${cold.catchUp.method})` : `after ${fmtMs(cold.semanticReadyMs)} ms`}, RSS ${fmtBytes(cold.rssAfterFirstRecall)}, peak ${fmtBytes(cold.peakRss)}`);
    for (const l of cold.embedLog.slice(0, 5)) log(`    log: ${l}`);
    log("start-up: warm (same data folder) …");
    const warm = await measureStartup({ root: ROOT, dataDir: dir });
    log(`start-up warm: listening after ${fmtMs(warm.listeningMs)} ms (RSS ${fmtBytes(warm.rssAtListening)}); ` +
      `semantic recall ${warm.semanticReadyMs === undefined ? `unavailable (${warm.catchUp.method})` : `after ${fmtMs(warm.semanticReadyMs)} ms`}, RSS ${fmtBytes(warm.rssAfterFirstRecall)}, peak ${fmtBytes(warm.peakRss)}`);
    return { cold, warm };
  } finally {
    if (s.keep) log(`start-up data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The evaluation queries, in a fixed shuffled order, cycled. */
function queryStream(): () => (typeof QUERIES)[number] {
  const order = [...QUERIES];
  const rng = new Rng(11);
  for (let k = order.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  let i = 0;
  return () => order[i++ % order.length]!;
}

async function runSizes(node: NodeProcess, s: Settings): Promise<SizeFigures[]> {
  const evalSet = orgFacts();
  const base: AssertBody[] = [...evalSet.initial, ...evalSet.updates, ...distractorFacts()];
  const maxSize = s.sizes[s.sizes.length - 1]!;
  const entityCount = Math.max(1, Math.ceil((maxSize - base.length) / FACTS_PER_ENTITY));
  let entityCursor = 0;
  let pending: AssertBody[] = [];
  // The evaluation set first, one batch at a time, so its updates land after the facts they supersede.
  log(`loading the evaluation set and distractors (${fmtInt(base.length)} facts) …`);
  const baseLoad = await loadFacts(node.url, base, { inFlight: 1 });
  let loaded = baseLoad.accepted;
  /** The next `n` facts of the fact-core data set. */
  function* segment(n: number): Generator<AssertBody> {
    for (let k = 0; k < n; k++) {
      if (pending.length === 0) {
        if (entityCursor >= entityCount) return;
        pending = entityFacts(entityCursor++, entityCount, 1);
      }
      loaded++;
      yield pending.shift()!;
    }
  }
  const out: SizeFigures[] = [];
  let first = true;
  for (const size of s.sizes) {
    const n = Math.max(0, size - loaded);
    log(`loading ${fmtInt(n)} facts (to ${fmtInt(size)}) …`);
    const t0 = nowNs() - (first ? baseLoad.seconds * 1e9 : 0);
    const load = await loadFacts(node.url, segment(n), { total: n, progress: log, inFlight: 2 });
    if (first) {
      load.accepted += baseLoad.accepted;
      load.seconds += baseLoad.seconds;
      first = false;
    }
    const backlogAtLoadEnd = embedderHint(await readDoctor(node.url)).pending;
    const catchUp = await waitForEmbeddings(node.url, { timeoutMs: s.embedTimeoutS * 1000, log });
    const sinceStart = (nowNs() - t0) / 1e9;
    log(`    loaded in ${fmtDuration(load.seconds)} (${fmtInt(load.accepted / load.seconds)} facts/s); ` +
      (catchUp.semantic
        ? `embedder caught up ${catchUp.seconds.toFixed(1)} s after the load (${fmtInt(load.accepted / sinceStart)} facts/s embedded from the first batch)`
        : `no semantic channel (${catchUp.method})`));
    const mem = processMemory(node.pid);
    const lat = await measureLatency(node.url, s);
    log(`    recall at ${fmtInt(size)}: p50 ${fmtMs(lat.latency.percentileMs(50))} ms, p95 ${fmtMs(lat.latency.percentileMs(95))} ms, p99 ${fmtMs(lat.latency.percentileMs(99))} ms; ` +
      `per class p95: ${[...lat.perClass].map(([c, x]) => `${c} ${fmtMs(x.percentileMs(95))}`).join(", ")}; RSS ${fmtBytes(mem.rss)}`);
    out.push({ facts: size, segmentFacts: load.accepted, loadSeconds: load.seconds, catchUp, backlogAtLoadEnd, ...lat, rss: mem.rss, peakRss: processMemory(node.pid).hwm });
    if (lat.phases.size > 0) log(`    where the time went: ${phaseLine(out[out.length - 1]!)}`);
  }
  return out;
}

async function measureLatency(url: string, s: Settings): Promise<Pick<SizeFigures, "latency" | "firstAsked" | "perClass" | "meanReturned" | "phases">> {
  const client = new RecallClient(url, 1);
  const next = queryStream();
  const latency = new Samples();
  const firstAsked = new Samples();
  const asked = new Set<string>();
  const perClass = new Map<QueryClass, Samples>(QUERY_CLASSES.map((c) => [c, new Samples()]));
  const phases = new Map<string, number>();
  let returned = 0;
  try {
    for (let i = 0; i < s.warmup + s.queries; i++) {
      const q = next();
      const { res, ms, serverTiming } = await client.recall({ query: q.q, scope: EVAL_SCOPE });
      if (!asked.has(q.q)) {
        asked.add(q.q);
        firstAsked.add(ms * 1e6);
      }
      if (i < s.warmup) continue;
      latency.add(ms * 1e6);
      perClass.get(q.cls)!.add(ms * 1e6);
      returned += res.facts.length;
      for (const [phase, dur] of serverTiming) phases.set(phase, (phases.get(phase) ?? 0) + dur);
    }
  } finally {
    client.close();
  }
  const n = Math.max(1, latency.count);
  for (const [phase, sum] of phases) phases.set(phase, sum / n);
  return { latency, firstAsked, perClass, meanReturned: returned / n, phases };
}

/** "direct 4.31 · … · network and client 2.95 ms (of a 15.20 ms mean round trip)": the node's phases and the rest. */
function phaseLine(z: SizeFigures): string {
  const meanMs = z.latency.meanMs();
  const node = [...z.phases.values()].reduce((a, b) => a + b, 0);
  const parts = [...z.phases].map(([phase, ms]) => `${phase} ${ms.toFixed(2)}`);
  parts.push(`network and client ${(meanMs - node).toFixed(2)}`);
  return `${parts.join(" · ")} ms (of a ${meanMs.toFixed(2)} ms mean round trip)`;
}

function rows(f: Figures): [string, string, string, string][] {
  const out: [string, string, string, string][] = [];
  for (const z of f.sizes) {
    const p50 = z.latency.percentileMs(50);
    const p95 = z.latency.percentileMs(95);
    const target =
      z.facts === 100_000 ? `p50 ≤ ${TARGETS.p50At100k} ms, p95 ≤ ${TARGETS.p95At100k} ms` : z.facts === 1_000_000 ? `p95 ≤ ${TARGETS.p95At1M} ms` : "(targets at 100k and 1M)";
    const ok =
      z.facts === 100_000 ? verdict(p50 <= TARGETS.p50At100k && p95 <= TARGETS.p95At100k) : z.facts === 1_000_000 ? verdict(p95 <= TARGETS.p95At1M) : "—";
    out.push([
      `recall latency at ${fmtInt(z.facts)} facts (${fmtInt(z.latency.count)} sequential)`,
      `p50 ${fmtMs(p50)} ms · p95 ${fmtMs(p95)} ms · p99 ${fmtMs(z.latency.percentileMs(99))} ms (${z.meanReturned.toFixed(0)} facts per answer)`,
      target,
      ok,
    ]);
    if (z.phases.size > 0) out.push([`where the time went at ${fmtInt(z.facts)} facts (means, node's Server-Timing)`, phaseLine(z), "—", "—"]);
    if (z.firstAsked.count > 0) {
      out.push([
        `recall latency at ${fmtInt(z.facts)} facts, each of ${fmtInt(z.firstAsked.count)} queries asked for the first time (its facts not yet in recall's copy of the view)`,
        `p50 ${fmtMs(z.firstAsked.percentileMs(50))} ms · p95 ${fmtMs(z.firstAsked.percentileMs(95))} ms`,
        "—",
        "—",
      ]);
    }
  }
  for (const z of f.sizes) {
    const total = z.loadSeconds + z.catchUp.seconds;
    out.push([
      `embedding, ${fmtInt(z.segmentFacts)} facts loaded up to ${fmtInt(z.facts)}`,
      z.catchUp.semantic
        ? `${fmtInt(z.segmentFacts / total)} facts/s from first batch to caught up; lag after load ${z.catchUp.seconds.toFixed(1)} s` +
          (z.backlogAtLoadEnd !== undefined && z.catchUp.seconds > 0 ? ` (backlog ${fmtInt(z.backlogAtLoadEnd)} → ${fmtInt(z.backlogAtLoadEnd / z.catchUp.seconds)} facts/s)` : "") +
          `; load ${fmtInt(z.segmentFacts / z.loadSeconds)} facts/s; RSS ${fmtBytes(z.rss)}`
        : `no semantic channel (${z.catchUp.method}); load ${fmtInt(z.segmentFacts / z.loadSeconds)} facts/s; RSS ${fmtBytes(z.rss)}`,
      "—",
      "—",
    ]);
  }
  if (f.startup !== undefined) {
    for (const [name, x] of [["cold (fresh data folder)", f.startup.cold], ["warm (restart, same folder)", f.startup.warm]] as const) {
      out.push([
        `start-up, ${name}`,
        `listening ${fmtMs(x.listeningMs)} ms (RSS ${fmtBytes(x.rssAtListening)}); semantic recall ${x.semanticReadyMs === undefined ? `n/a (${x.catchUp.method})` : `${fmtMs(x.semanticReadyMs)} ms`} (RSS ${fmtBytes(x.rssAfterFirstRecall)}, peak ${fmtBytes(x.peakRss)})`,
        "—",
        "—",
      ]);
    }
  }
  return out;
}

function renderText(f: Figures): string {
  return [textTable(["benchmark", "result", "target", ""], rows(f)), "", `embedder: ${f.embedder}; fusion: ${f.fusion}`].join("\n");
}

function renderSection(f: Figures, s: Settings, m: Machine, wall: number): string {
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
  return [
    "## Recall latency — `npm run bench:recall`",
    "",
    "Serves the recall issue (latency, embedding throughput, embedder start-up). The node runs from `dist/` in its",
    "own process (auth off, log level " +
      `\`${s.logLevel}\`); the harness loads the Acme evaluation set with its distractors, then the fact-core data set`,
    "(`lib/dataset.ts`) up to each size, waits for the embedder to catch up, and sends the evaluation queries (six",
    `classes, shuffled, cycled) one at a time to \`POST /v1/recall\` (scope \`${EVAL_SCOPE}\`, default fields; query embedding happens in the node).`,
    "",
    `- **Run:** ${when} · commit ${m.commit} · wall time ${fmtDuration(wall)}`,
    `- **Machine:** ${machineLine(m, f.sqlite)}`,
    `- **Embedder:** ${f.embedder}; **fusion:** ${f.fusion}`,
    "",
    "| benchmark | result | target | |",
    "|---|---|---|---|",
    ...rows(f).map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

runBench("bench:recall", main);
