/**
 * `npm run bench:recall` — recall latency at scale, each question's FIRST
 * asking as the headline, embedding throughput and the start-up cost of the
 * default embedder, over real HTTP on loopback.
 *
 * 1. **Start-up** — a node on a fresh data folder (cold: the embedder derives
 *    its vocabulary cache), then again on the same folder (warm): time to
 *    listening, time until a semantic recall works, and RSS of the node
 *    process (`lib/startup.ts`).
 * 2. **Latency at scale** — one data folder (fusion from `--fusion`, passed
 *    as `STIGMEM_RECALL_FUSION`) is loaded with both labelled evaluation sets
 *    (Acme and Meridian), their distractors, then the fact-core data set
 *    (`lib/dataset.ts`) up to each size of `--sizes`. At each size the
 *    harness waits for the embedder to catch up (embedding throughput: facts
 *    of the segment over the time from its first batch until caught up, and
 *    the lag after the load ended), **restarts the node** on the folder, so
 *    nothing of an earlier asking is kept, warms it up with generated
 *    questions that are not evaluation questions, and then sends every
 *    evaluation question once (shuffled, one at a time, `POST /v1/recall`,
 *    scope `company`, default fields; at sizes up to 10,000 facts
 *    `token_budget` 2000): that first asking is the headline (p50/p95/p99 and
 *    the means of the phases the node reports in `Server-Timing`). Then every
 *    question is asked once more, for comparison.
 *
 * Paired runs: `--sizes N --keep` leaves the loaded folder behind; `--data DIR
 * --load no` measures on it again without loading, and `--root DIR` runs
 * another checkout's build (`dist/`) on it, so two builds can be measured
 * alternately on one folder.
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
import { EVAL_ORGS } from "./recall-eval/eval-org.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
/** Every evaluation organisation writes and is recalled in this scope. */
const SCOPE = "company";

/** Issue 14's targets, on each question's first asking. */
const TARGETS = { p50At4k: 3, p50At100k: 6, p95At100k: 15, p95At1M: 40 };
/** Sizes up to this are measured with {@link SMALL_BUDGET} (the issue's small-store target). */
const SMALL_SIZE = 10_000;
const SMALL_BUDGET = 2000;

const USAGE = `npm run bench:recall -- [options]   (or: node dist/bench/recall.js [options])

  --sizes LIST          total facts at which latency is measured, ascending (default 4000,100000,1000000; BENCH_SIZES)
  --warmup N            generated (non-evaluation) questions asked after each restart (default 100; BENCH_WARMUP)
  --again yes|no        ask every question a second time after the first askings (default yes; BENCH_AGAIN)
  --fusion NAME         STIGMEM_RECALL_FUSION for the node (default: the node's own default; BENCH_FUSION)
  --startup yes|no      measure cold and warm start-up (default yes; BENCH_STARTUP)
  --embed-timeout S     longest wait for the embedder at one size (default 3600; BENCH_EMBED_TIMEOUT)
  --data DIR            data folder to use (and keep) instead of a fresh one (BENCH_DATA)
  --load yes|no         load facts up to each size (default yes); "no" measures the folder as it is, one size (BENCH_LOAD)
  --root DIR            checkout whose build (dist/) runs the node (default this one; BENCH_ROOT)
  --results auto|yes|no refresh bench/RESULTS.md: auto = only when the sizes reach 1,000,000 (BENCH_RESULTS)
  --log-level LEVEL     the node's log level (default warn; BENCH_LOG_LEVEL)
  --tmp DIR             parent folder of the nodes' temp data folders (BENCH_TMP)
  --keep                keep the data folders afterwards
  --help                this text

Quick development run: npm run bench:recall -- --sizes 4000 --startup no
Paired runs: npm run bench:recall -- --sizes 100000 --startup no --keep --data /tmp/d100k, then alternately
  npm run bench:recall -- --data /tmp/d100k --load no --sizes 100000 --startup no [--root /path/to/other/checkout]
`;

interface Settings {
  sizes: number[];
  warmup: number;
  again: boolean;
  fusion: string | undefined;
  startup: boolean;
  embedTimeoutS: number;
  data: string | undefined;
  load: boolean;
  root: string;
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
      warmup: { type: "string" },
      again: { type: "string" },
      fusion: { type: "string" },
      startup: { type: "string" },
      "embed-timeout": { type: "string" },
      data: { type: "string" },
      load: { type: "string" },
      root: { type: "string" },
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
  const sizes = (v.sizes ?? env.BENCH_SIZES ?? "4000,100000,1000000").split(",").map((x) => int(x.trim(), "--sizes"));
  if (sizes.some((x, i) => i > 0 && x <= sizes[i - 1]!)) throw new Error("--sizes must be ascending");
  const results = (v.results ?? env.BENCH_RESULTS ?? "auto") as Settings["results"];
  if (!["auto", "yes", "no"].includes(results)) throw new Error("--results must be auto, yes or no");
  const load = (v.load ?? env.BENCH_LOAD ?? "yes") !== "no";
  if (!load && sizes.length !== 1) throw new Error("--load no measures one size: give --sizes N");
  const data = v.data ?? env.BENCH_DATA;
  if (!load && data === undefined) throw new Error("--load no needs --data DIR (a folder an earlier run loaded)");
  const fusion = v.fusion ?? env.BENCH_FUSION;
  return {
    sizes,
    warmup: int(v.warmup ?? env.BENCH_WARMUP ?? "100", "--warmup"),
    again: (v.again ?? env.BENCH_AGAIN ?? "yes") !== "no",
    fusion: fusion === "" ? undefined : fusion,
    startup: (v.startup ?? env.BENCH_STARTUP ?? "yes") !== "no",
    embedTimeoutS: int(v["embed-timeout"] ?? env.BENCH_EMBED_TIMEOUT ?? "3600", "--embed-timeout"),
    data: data === undefined ? undefined : path.resolve(data),
    load,
    root: path.resolve(v.root ?? env.BENCH_ROOT ?? ROOT),
    results,
    logLevel: v["log-level"] ?? env.BENCH_LOG_LEVEL ?? "warn",
    tmpDir: v.tmp ?? env.BENCH_TMP,
    keep: v.keep === true || data !== undefined,
  };
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** One pass of questions: round trips, and the node's own account of them. */
interface Pass {
  latency: Samples;
  /**
   * The same latencies split by asking order: the first half of the questions, then the second. A
   * question of the second half is asked by a process that has answered more others (JIT, view copy).
   */
  halves: [Samples, Samples];
  /** Mean ms per phase the node reported in Server-Timing, in its order. */
  phases: Map<string, number>;
  meanReturned: number;
}

interface SizeFigures {
  facts: number;
  tokenBudget: number;
  segmentFacts: number;
  loadSeconds: number;
  catchUp: CatchUp | undefined;
  /** Backlog the doctor reported when the load ended, if it reports one. */
  backlogAtLoadEnd: number | undefined;
  /** Each evaluation question asked once, after a restart and a warm-up of other questions: the headline. */
  first: Pass;
  /** Each asked again. */
  again: Pass | undefined;
  rss: number;
  peakRss: number;
}

interface Figures {
  startup: { cold: StartupFigures; warm: StartupFigures } | undefined;
  sizes: SizeFigures[];
  questions: number;
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
  log(`sizes: ${s.sizes.map(fmtInt).join(", ")} facts; build ${s.root}; ${s.load ? "loading" : `measuring ${s.data} as it is`}`);
  if (s.fusion !== undefined) process.env.STIGMEM_RECALL_FUSION = s.fusion;

  const startup = s.startup ? await measureStartups(s) : undefined;
  let node = await startNodeProcess({ root: s.root, logLevel: s.logLevel, tmpDir: s.tmpDir, dataDir: s.data });
  const dataDir = node.dataDir;
  log(`node: pid ${node.pid}, ${node.url}, data ${dataDir}`);
  let figures: Figures;
  try {
    const probe = new RecallClient(node.url);
    const status = await probe.status();
    probe.close();
    if (status !== 200) throw new Error(`POST /v1/recall answers ${status}: recall is not available on this build yet`);
    const doctor = await readDoctor(node.url);
    const hint = embedderHint(doctor);
    const restart = async (): Promise<NodeProcess> => {
      await node.stop();
      node = await startNodeProcess({ root: s.root, logLevel: s.logLevel, dataDir });
      return node;
    };
    const sizes = await runSizes(() => node, restart, s);
    figures = {
      startup,
      sizes,
      questions: evaluationQuestions().length,
      embedder: hint.summary,
      fusion: hint.fusion ?? s.fusion ?? "node default",
      sqlite: (doctor.versions as Record<string, string> | undefined)?.sqlite ?? "unknown",
    };
  } finally {
    await node.stop().catch((e: unknown) => log(`stopping the node: ${(e as Error).message}`));
    if (s.keep) log(`data kept in ${dataDir}`);
    else node.remove();
  }
  const wall = (Date.now() - started) / 1000;
  log("");
  log(renderText(figures));
  log("");
  log(`wall time: ${fmtDuration(wall)}`);
  const write = s.results === "yes" || (s.results === "auto" && s.load && s.sizes[s.sizes.length - 1]! >= 1_000_000);
  if (write) {
    writeSection(RESULTS_FILE, "recall", renderSection(figures, s, machine, wall));
    log("bench/RESULTS.md: recall section refreshed");
  } else {
    log("bench/RESULTS.md: not written (a full load up to 1,000,000 writes it; pass --results yes to write anyway)");
  }
  return 0;
}

async function measureStartups(s: Settings): Promise<{ cold: StartupFigures; warm: StartupFigures }> {
  const dir = mkdtempSync(path.join(s.tmpDir ?? os.tmpdir(), "stigmem-bench-startup-"));
  try {
    log("start-up: cold (fresh data folder) …");
    const cold = await measureStartup({ root: s.root, dataDir: dir });
    log(`start-up cold: listening after ${fmtMs(cold.listeningMs)} ms (RSS ${fmtBytes(cold.rssAtListening)}); ` +
      `semantic recall ${cold.semanticReadyMs === undefined ? `unavailable (${cold.catchUp.method})` : `after ${fmtMs(cold.semanticReadyMs)} ms`}, RSS ${fmtBytes(cold.rssAfterFirstRecall)}, peak ${fmtBytes(cold.peakRss)}`);
    for (const l of cold.embedLog.slice(0, 5)) log(`    log: ${l}`);
    log("start-up: warm (same data folder) …");
    const warm = await measureStartup({ root: s.root, dataDir: dir });
    log(`start-up warm: listening after ${fmtMs(warm.listeningMs)} ms (RSS ${fmtBytes(warm.rssAtListening)}); ` +
      `semantic recall ${warm.semanticReadyMs === undefined ? `unavailable (${warm.catchUp.method})` : `after ${fmtMs(warm.semanticReadyMs)} ms`}, RSS ${fmtBytes(warm.rssAfterFirstRecall)}, peak ${fmtBytes(warm.peakRss)}`);
    return { cold, warm };
  } finally {
    if (s.keep) log(`start-up data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Every question of every evaluation organisation, in a fixed shuffled order. */
function evaluationQuestions(): string[] {
  const order = [...new Set(EVAL_ORGS.flatMap((o) => o.queries.map((q) => q.q)))];
  const rng = new Rng(11);
  for (let k = order.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  return order;
}

const WARMUP_WORDS = "status owner budget email role team location deadline migration latency review contract renewal pipeline dashboard metrics schema vendor pricing".split(" ");

/** `n` warm-up questions: about the fact-core data set's entities and words, none of them an evaluation question. */
function warmupQuestions(n: number, entityCount: number): string[] {
  const rng = new Rng(7);
  const evaluation = new Set(evaluationQuestions());
  const out: string[] = [];
  while (out.length < n) {
    const q =
      rng.int(2) === 0 && entityCount > 0
        ? `${rng.pick(WARMUP_WORDS)} of ${["user", "project", "doc", "service"][rng.int(4)]}-${rng.int(entityCount)}`
        : `${rng.pick(WARMUP_WORDS)} ${rng.pick(WARMUP_WORDS)} ${rng.pick(WARMUP_WORDS)}`;
    if (!evaluation.has(q)) out.push(q);
  }
  return out;
}

/** Both labelled sets (with their updates), then their distractors interleaved: the store's first facts. */
function evaluationFacts(): { labelled: AssertBody[]; distractors: AssertBody[] } {
  const labelled: AssertBody[] = [];
  const lists: AssertBody[][] = [];
  for (const org of EVAL_ORGS) {
    const f = org.facts();
    labelled.push(...f.initial, ...f.updates);
    lists.push(org.distractors());
  }
  const distractors: AssertBody[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) distractors.push(l[i]!);
  return { labelled, distractors };
}

async function runSizes(current: () => NodeProcess, restart: () => Promise<NodeProcess>, s: Settings): Promise<SizeFigures[]> {
  const { labelled, distractors } = evaluationFacts();
  const maxSize = s.sizes[s.sizes.length - 1]!;
  const base = labelled.length + distractors.length;
  const entityCount = Math.max(1, Math.ceil(Math.max(0, maxSize - base) / FACTS_PER_ENTITY));
  let entityCursor = 0;
  let pending: AssertBody[] = [];
  let distractorCursor = 0;
  let loaded = 0;
  /** The next `n` facts after the labelled sets: distractors, then the fact-core data set. */
  function* segment(n: number): Generator<AssertBody> {
    for (let k = 0; k < n; k++) {
      if (distractorCursor < distractors.length) {
        loaded++;
        yield distractors[distractorCursor++]!;
        continue;
      }
      if (pending.length === 0) {
        if (entityCursor >= entityCount) return;
        pending = entityFacts(entityCursor++, entityCount, 1);
      }
      loaded++;
      yield pending.shift()!;
    }
  }
  const out: SizeFigures[] = [];
  for (const size of s.sizes) {
    let segmentFacts = 0;
    let loadSeconds = 0;
    let catchUp: CatchUp | undefined;
    let backlogAtLoadEnd: number | undefined;
    if (s.load) {
      const url = current().url;
      const t0 = nowNs();
      if (loaded === 0) {
        // The labelled sets first, one batch at a time, so their updates land after the facts they supersede.
        log(`loading the evaluation sets (${fmtInt(labelled.length)} facts) …`);
        const first = await loadFacts(url, labelled, { inFlight: 1 });
        loaded = first.accepted;
        segmentFacts += first.accepted;
        loadSeconds += first.seconds;
      }
      const n = Math.max(0, size - loaded);
      log(`loading ${fmtInt(n)} facts (to ${fmtInt(size)}) …`);
      const load = await loadFacts(url, segment(n), { total: n, progress: log, inFlight: 2 });
      segmentFacts += load.accepted;
      loadSeconds += load.seconds;
      backlogAtLoadEnd = embedderHint(await readDoctor(url)).pending;
      catchUp = await waitForEmbeddings(url, { timeoutMs: s.embedTimeoutS * 1000, log });
      const sinceStart = (nowNs() - t0) / 1e9;
      log(`    loaded in ${fmtDuration(loadSeconds)} (${fmtInt(segmentFacts / loadSeconds)} facts/s); ` +
        (catchUp.semantic
          ? `embedder caught up ${catchUp.seconds.toFixed(1)} s after the load (${fmtInt(segmentFacts / sinceStart)} facts/s embedded from the first batch)`
          : `no semantic channel (${catchUp.method})`));
    }
    // A fresh process: nothing kept from an earlier asking of any question.
    const node = await restart();
    await waitForEmbeddings(node.url, { timeoutMs: s.embedTimeoutS * 1000, log });
    const budget = size <= SMALL_SIZE ? SMALL_BUDGET : undefined;
    const figures = await measureLatency(node.url, s, budget, entityCount);
    const mem = processMemory(node.pid);
    log(`    recall at ${fmtInt(size)}, first asking: p50 ${fmtMs(figures.first.latency.percentileMs(50))} ms, p95 ${fmtMs(figures.first.latency.percentileMs(95))} ms` +
      (figures.again === undefined ? "" : `; asked again: p50 ${fmtMs(figures.again.latency.percentileMs(50))} ms, p95 ${fmtMs(figures.again.latency.percentileMs(95))} ms`) +
      `; RSS ${fmtBytes(mem.rss)}`);
    const z: SizeFigures = { facts: size, tokenBudget: budget ?? 4000, segmentFacts, loadSeconds, catchUp, backlogAtLoadEnd, ...figures, rss: mem.rss, peakRss: mem.hwm };
    log(`    where the time went (first asking): ${phaseLine(z.first)}`);
    log(`    first askings, first half of the questions / second half: p50 ${fmtMs(z.first.halves[0].percentileMs(50))} / ${fmtMs(z.first.halves[1].percentileMs(50))} ms`);
    out.push(z);
  }
  return out;
}

async function measureLatency(url: string, s: Settings, budget: number | undefined, entityCount: number): Promise<Pick<SizeFigures, "first" | "again">> {
  const client = new RecallClient(url, 1);
  const body = (q: string) => ({ query: q, scope: SCOPE, ...(budget === undefined ? {} : { token_budget: budget }) });
  const pass = async (questions: readonly string[]): Promise<Pass> => {
    const latency = new Samples();
    const halves: [Samples, Samples] = [new Samples(), new Samples()];
    const phases = new Map<string, number>();
    let returned = 0;
    for (const [i, q] of questions.entries()) {
      const { res, ms, serverTiming } = await client.recall(body(q));
      latency.add(ms * 1e6);
      halves[i < questions.length / 2 ? 0 : 1].add(ms * 1e6);
      returned += res.facts.length;
      for (const [phase, dur] of serverTiming) phases.set(phase, (phases.get(phase) ?? 0) + dur);
    }
    const n = Math.max(1, latency.count);
    for (const [phase, sum] of phases) phases.set(phase, sum / n);
    return { latency, halves, phases, meanReturned: returned / n };
  };
  try {
    await pass(warmupQuestions(s.warmup, entityCount));
    const questions = evaluationQuestions();
    const first = await pass(questions);
    const again = s.again ? await pass(questions) : undefined;
    return { first, again };
  } finally {
    client.close();
  }
}

/** "structure 0.31 · … · network and client 0.95 ms (of a 4.20 ms mean round trip)": the node's phases and the rest. */
function phaseLine(p: Pass): string {
  const meanMs = p.latency.meanMs();
  const node = [...p.phases.values()].reduce((a, b) => a + b, 0);
  const parts = [...p.phases].map(([phase, ms]) => `${phase} ${ms.toFixed(2)}`);
  parts.push(`network and client ${(meanMs - node).toFixed(2)}`);
  return `${parts.join(" · ")} ms (of a ${meanMs.toFixed(2)} ms mean round trip)`;
}

function target(z: SizeFigures): { text: string; met: string } {
  const p50 = z.first.latency.percentileMs(50);
  const p95 = z.first.latency.percentileMs(95);
  if (z.facts <= SMALL_SIZE) return { text: `p50 ≤ ${TARGETS.p50At4k} ms`, met: verdict(p50 <= TARGETS.p50At4k) };
  if (z.facts === 100_000) return { text: `p50 ≤ ${TARGETS.p50At100k} ms, p95 ≤ ${TARGETS.p95At100k} ms`, met: verdict(p50 <= TARGETS.p50At100k && p95 <= TARGETS.p95At100k) };
  if (z.facts === 1_000_000) return { text: `p95 ≤ ${TARGETS.p95At1M} ms`, met: verdict(p95 <= TARGETS.p95At1M) };
  return { text: "(targets at 4k, 100k and 1M)", met: "—" };
}

function rows(f: Figures): [string, string, string, string][] {
  const out: [string, string, string, string][] = [];
  for (const z of f.sizes) {
    const t = target(z);
    const budget = z.tokenBudget === 4000 ? "default request" : `token_budget ${z.tokenBudget}`;
    out.push([
      `recall at ${fmtInt(z.facts)} facts, first asking of each of ${fmtInt(f.questions)} questions (${budget})`,
      `p50 ${fmtMs(z.first.latency.percentileMs(50))} ms · p95 ${fmtMs(z.first.latency.percentileMs(95))} ms · p99 ${fmtMs(z.first.latency.percentileMs(99))} ms (${z.first.meanReturned.toFixed(0)} facts per answer)`,
      t.text,
      t.met,
    ]);
    if (z.first.phases.size > 0) out.push([`where the time went, first askings at ${fmtInt(z.facts)} facts (means, node's Server-Timing)`, phaseLine(z.first), "—", "—"]);
    const [early, late] = z.first.halves;
    out.push([
      `first askings at ${fmtInt(z.facts)} facts, the first half of the questions / the second half (the restarted process warming up)`,
      `p50 ${fmtMs(early.percentileMs(50))} / ${fmtMs(late.percentileMs(50))} ms · p95 ${fmtMs(early.percentileMs(95))} / ${fmtMs(late.percentileMs(95))} ms`,
      "—",
      "—",
    ]);
    if (z.again !== undefined) {
      out.push([
        `recall at ${fmtInt(z.facts)} facts, each question asked again`,
        `p50 ${fmtMs(z.again.latency.percentileMs(50))} ms · p95 ${fmtMs(z.again.latency.percentileMs(95))} ms (${phaseLine(z.again)})`,
        "—",
        "—",
      ]);
    }
  }
  for (const z of f.sizes) {
    if (z.catchUp === undefined) continue;
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
    "Serves the recall issues (issue 14: each question's first asking; embedding throughput; embedder start-up). The",
    `node runs from \`dist/\` in its own process (auth off, log level \`${s.logLevel}\`). The harness loads both labelled`,
    "evaluation sets (Acme and Meridian), their distractors, then the fact-core data set (`lib/dataset.ts`) up to each",
    "size, waits for the embedder to catch up, restarts the node (nothing kept from an earlier asking), warms it up with",
    `${fmtInt(s.warmup)} generated questions that are not evaluation questions, then asks each of the ${fmtInt(f.questions)} evaluation questions once`,
    `(the headline), one at a time, \`POST /v1/recall\` scope \`${SCOPE}\`, default fields but \`token_budget\` ${SMALL_BUDGET} up to ${fmtInt(SMALL_SIZE)} facts; then each again.`,
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
