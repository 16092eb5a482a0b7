/**
 * `npm run soak` — mixed load for a bounded time (10 minutes by default,
 * `--minutes`) on a pair of federated nodes: single and batch writes, reads
 * by entity and by id, and recalls from closed-loop keep-alive clients on
 * node A, while node B pulls A's `company` scope (the load's) and A pulls
 * B's. Every sampling period it prints throughput, latency percentiles,
 * both nodes' RSS and the replication lag; at the end, the totals, the lag
 * percentiles, whether RSS stayed flat after the warm-up on both nodes, and
 * whether B holds every fact A acknowledged. `--nodes 1` runs A alone.
 *
 * A first gets 250,000 facts of the benchmark data set (`--preload`, about
 * 340 MiB of database); B syncs its 159,110 `company` facts (about 230 MiB)
 * and both embedders catch up. A node's bounded caches still fill during
 * the load: recall's rows on A, and SQLite's 256 MiB page cache, which holds
 * every page of a database smaller than itself and so grows with B's store
 * until that passes 256 MiB (measured: B's memory outside the JS heap grew
 * with its database until then, and stayed flat after). So each node's
 * warm-up, left out of the verdict, lasts at least the first third of the
 * run (`--warmup`) and until its database file is larger than the page
 * cache and, on A, recall's row cache has held 90 % of its rows
 * (lib/rss-trend.ts `warmupEnd`); a node whose caches never filled has no
 * verdict. Recall's row cache is set to 32,768 rows (`--cache-rows`): the
 * default 131,072 takes longer than a 10-minute run to fill at this load,
 * and a cache still filling is not a leak.
 *
 * Replication lag (lib/lag-probe.ts): every second a marker fact is written
 * to A and B's REST API is asked for it until it answers with it; the lag
 * runs from A's acknowledgement to B serving it. When the load stops, B
 * must hold every `company` fact A acknowledged (the preload's, the load's
 * and the markers'), counted in B's database, within `--catch-up` seconds.
 *
 * "Flat" is lib/rss-trend.ts's: the slope of RSS after the warm-up,
 * projected over that span, below 5 % (or 16 MiB). Exits 1 when either
 * node's RSS is not flat, any request or marker failed (a 503 from load
 * shedding is not a failure), or B did not catch up.
 *
 * Not part of `npm test`. Starts the compiled nodes like the other
 * benchmarks (child processes, auth off, fresh data folders, offline embedder).
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { loadFacts } from "./lib/batch-load.js";
import { entityFacts, FACTS_PER_ENTITY, type AssertBody } from "./lib/dataset.js";
import { LagProbe } from "./lib/lag-probe.js";
import { describeMachine, machineLine } from "./lib/machine.js";
import { startNodeProcess, type NodeProcess } from "./lib/node-process.js";
import { acceptedSoFar, countFrom, FEDERATION_ENV, link, nodeIdOf, operatorKey } from "./lib/peering.js";
import { waitForEmbeddings } from "./lib/recall-client.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { writeSection } from "./lib/results.js";
import { rssTrend, warmupEnd, type MemorySample, type RssTrend } from "./lib/rss-trend.js";
import { MIX, OPS, SoakLoad, type Op } from "./lib/soak-load.js";
import { processMemory } from "./lib/startup.js";
import { fmtBytes, fmtInt, fmtMs, Samples } from "./lib/stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const SAMPLES_FILE = path.join(ROOT, "dist", "bench", "soak-samples.json");
const MIB = 1024 * 1024;
/** SQLite's page cache of a node (`cache_size = -262144` KiB in src/store/database.ts). */
const PAGE_CACHE_BYTES = 256 * MIB;
/** The load's scope, and the one scope A and B share. */
const SCOPE = "company";

const USAGE = `npm run soak -- [options]      (or: node dist/bench/soak.js [options])

  --nodes 1|2        2 (default): the load on node A, node B federated with it; 1: node A alone
  --minutes N        how long the load runs (default 10; fractions allowed)
  --warmup N         minutes at least left out of the RSS verdict (default: a third of --minutes);
                     a node's warm-up also lasts until its caches have filled (page cache, recall rows)
  --clients N        concurrent keep-alive clients (default 16)
  --preload N        facts loaded before the load starts (default 250000; 10 per entity)
  --cache-rows N     STIGMEM_RECALL_CACHE_ROWS of the nodes (default 32768)
  --sample N         seconds between samples (default 10)
  --lag-every N      seconds between replication markers (default 1)
  --catch-up N       seconds B may take after the load stops to hold every fact A acknowledged (default 60)
  --seed N           load seed (default 1)
  --results auto|yes|no  write the soak section of bench/RESULTS.md (auto: only for runs of 10 minutes or more)
  --help             this text
`;

interface Settings {
  nodes: 1 | 2;
  minutes: number;
  warmup: number;
  clients: number;
  preload: number;
  cacheRows: number;
  sample: number;
  lagEvery: number;
  catchUp: number;
  seed: number;
  results: "auto" | "yes" | "no";
}

const NUMERIC = ["nodes", "minutes", "warmup", "clients", "preload", "cache-rows", "sample", "lag-every", "catch-up", "seed"];

function parseSettings(argv: string[]): Settings | undefined {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: Object.fromEntries([...NUMERIC, "results"].map((k) => [k, { type: "string" as const }])),
    allowPositionals: false,
  });
  const raw = values as Record<string, string | undefined>;
  const num = (name: string, def: number): number => {
    const n = raw[name] === undefined ? def : Number(raw[name]);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} must be a positive number, got "${raw[name]}"`);
    return n;
  };
  const nodes = num("nodes", 2);
  if (nodes !== 1 && nodes !== 2) throw new Error(`--nodes must be 1 or 2, got "${raw.nodes}"`);
  const minutes = num("minutes", 10);
  const results = raw.results ?? "auto";
  if (results !== "auto" && results !== "yes" && results !== "no") throw new Error(`--results must be auto, yes or no`);
  return {
    nodes,
    minutes,
    warmup: num("warmup", minutes / 3),
    clients: Math.round(num("clients", 16)),
    preload: Math.round(num("preload", 250_000)),
    cacheRows: Math.round(num("cache-rows", 32_768)),
    sample: num("sample", 10),
    lagEvery: num("lag-every", 1),
    catchUp: num("catch-up", 60),
    seed: Math.round(num("seed", 1)),
    results,
  };
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A node of the run and its memory over time. */
interface SoakNode {
  readonly name: "A" | "B";
  readonly proc: NodeProcess;
  readonly memory: MemorySample[];
}

/** The follower of a two-node run: B, its database (read-only) and A's node id there. */
interface Follower {
  readonly node: SoakNode;
  readonly db: Database.Database;
  readonly publisherId: string;
}

async function memoryOf(n: SoakNode, atS: number): Promise<MemorySample> {
  const text = await (await fetch(`${n.proc.url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
  const status = (() => {
    try {
      return readFileSync(`/proc/${n.proc.pid}/status`, "utf8");
    } catch {
      return "";
    }
  })();
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
  const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  return {
    atS,
    rss: processMemory(n.proc.pid).rss,
    heap: gauge("nodejs_heap_size_used_bytes"),
    cachedRows: gauge("stigmem_recall_cached_rows"),
    detail: {
      heapTotal: gauge("nodejs_heap_size_total_bytes"),
      external: gauge("nodejs_external_memory_bytes"),
      rssAnon: kb("RssAnon"),
      rssFile: kb("RssFile"),
      rssShmem: kb("RssShmem"),
      dbBytes: size(n.proc.dbPath),
      walBytes: size(`${n.proc.dbPath}-wal`),
    },
  };
}

/** Polls B's replication counters until they reach `target`; the seconds it took, or undefined at the deadline. */
async function waitForReplication(f: Follower, target: number, timeoutS: number): Promise<number | undefined> {
  const t0 = performance.now();
  while (acceptedSoFar(f.db) < target) {
    if (performance.now() - t0 > timeoutS * 1_000) return undefined;
    await sleep(100);
  }
  return (performance.now() - t0) / 1_000;
}

/** The run's pair (or single node), the preload, the peering and the embedders' catch-up. */
async function prepare(s: Settings): Promise<Prepared> {
  const env = s.nodes === 2 ? { ...FEDERATION_ENV } : {};
  const procs = await Promise.all(Array.from({ length: s.nodes }, () => startNodeProcess({ root: ROOT, logLevel: "warn", env })));
  try {
    return await preloadAndPeer(s, procs);
  } catch (e) {
    // The nodes keep the harness alive: a failed preparation stops them before it is reported.
    await Promise.allSettled(procs.map((p) => p.stop()));
    for (const p of procs) p.remove();
    throw e;
  }
}

interface Prepared {
  a: SoakNode;
  follower: Follower | undefined;
  entities: number;
  preloaded: number;
  shared: number;
}

async function preloadAndPeer(s: Settings, procs: NodeProcess[]): Promise<Prepared> {
  const [a, b] = procs.map((proc, i): SoakNode => ({ name: i === 0 ? "A" : "B", proc, memory: [] }));
  // Keys first: the CLI opens the data folder's database, which a node busy with the preload keeps locked.
  const keys = procs.length === 2 ? procs.map((p) => operatorKey(ROOT, p)) : [];
  const entities = Math.max(1, Math.ceil(s.preload / FACTS_PER_ENTITY));
  let shared = 0;
  const counted = function* (): Generator<AssertBody> {
    for (const f of dataSet(entities)) {
      if (f.scope === SCOPE) shared++;
      yield f;
    }
  };
  const preload = await loadFacts(a!.proc.url, counted(), { total: entities * FACTS_PER_ENTITY, progress: log });
  log(`preloaded ${fmtInt(preload.accepted)} facts into A (${fmtInt(shared)} in scope ${SCOPE}) in ${preload.seconds.toFixed(0)} s`);
  let follower: Follower | undefined;
  const waits: Promise<unknown>[] = [];
  if (b !== undefined) {
    // B registers with A first, so B's puller of A starts when B approves A.
    await link(b.proc, a!.proc, keys[0]!, [SCOPE]);
    await link(a!.proc, b.proc, keys[1]!, [SCOPE]);
    follower = { node: b, db: new Database(b.proc.dbPath, { readonly: true }), publisherId: await nodeIdOf(a!.proc.url) };
    const f = follower;
    waits.push(
      (async () => {
        const synced = await waitForReplication(f, shared, 30 * 60);
        if (synced === undefined) throw new Error(`B did not sync A's ${fmtInt(shared)} facts within 30 minutes`);
        log(`B synced A's ${fmtInt(shared)} ${SCOPE} facts in ${synced.toFixed(0)} s`);
        const catchUp = await waitForEmbeddings(b.proc.url, { timeoutMs: 30 * 60_000 });
        log(`B's embedder caught up ${catchUp.seconds.toFixed(0)} s later`);
      })(),
    );
  }
  waits.push(waitForEmbeddings(a!.proc.url, { timeoutMs: 30 * 60_000 }).then((c) => log(`A's embedder caught up ${c.seconds.toFixed(0)} s after the preload`)));
  await Promise.all(waits);
  return { a: a!, follower, entities, preloaded: preload.accepted, shared };
}

function trendLine(name: string, t: RssTrend): string {
  return (
    `RSS of ${name}: ${fmtBytes(t.start.rss)} at start, ${fmtBytes(t.base.rss)} after the warm-up (${(t.base.atS / 60).toFixed(1)} min), ` +
    `${fmtBytes(t.last.rss)} at the end, peak ${fmtBytes(t.peakRss)}; slope after the warm-up ${((t.growthPerS * 60) / MIB).toFixed(2)} MiB/min ` +
    `(${fmtBytes(Math.max(0, t.projected))} over the run, allowed ${fmtBytes(t.allowed)}): ${t.flat ? "flat" : "NOT FLAT"}; ` +
    `JS heap ${fmtBytes(t.base.heap)} after the warm-up, ${fmtBytes(t.last.heap)} at the end; ` +
    `recall rows in memory ${fmtInt(t.base.cachedRows)} after the warm-up, ${fmtInt(t.last.cachedRows)} at the end; ` +
    `from the warm-up to the end: ${growthParts(t.base, t.last)}`
  );
}

/** How each part of the memory changed between two samples. */
function growthParts(from: MemorySample, to: MemorySample): string {
  const d = (f: (x: MemorySample) => number) => {
    const v = f(to) - f(from);
    return `${v < 0 ? "−" : "+"}${fmtBytes(Math.abs(v))}`;
  };
  return (
    `RssAnon ${d((x) => x.detail.rssAnon)}, RssFile ${d((x) => x.detail.rssFile)}, RssShmem ${d((x) => x.detail.rssShmem)}; ` +
    `JS heap used ${d((x) => x.heap)}, reserved ${d((x) => x.detail.heapTotal)}, external ${d((x) => x.detail.external)}; ` +
    `database on disk ${d((x) => x.detail.dbBytes)} (to ${fmtBytes(to.detail.dbBytes)}), WAL ${fmtBytes(to.detail.walBytes)} at the end`
  );
}

/** About a dozen points of a series: the first, the last and evenly spaced ones between. */
function thinned<T>(xs: readonly T[]): T[] {
  const every = Math.max(1, Math.round(xs.length / 12));
  return xs.filter((_, i) => i === 0 || i === xs.length - 1 || i % every === 0);
}

function lagText(l: Samples): string {
  return `p50 ${fmtMs(l.percentileMs(50))} · p95 ${fmtMs(l.percentileMs(95))} · p99 ${fmtMs(l.percentileMs(99))} · max ${fmtMs(l.percentileMs(100))} ms`;
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  const machine = describeMachine(ROOT);
  log(`soak — ${machineLine(machine)}, commit ${machine.commit}`);
  log(
    `${s.nodes === 2 ? "two federated nodes (load on A, B pulls A's company scope)" : "one node"}, ${s.minutes} min (warm-up ${s.warmup.toFixed(1)} min), ` +
      `${s.clients} clients, mix ${OPS.map((o) => `${o} ${MIX[o]} %`).join(", ")}`,
  );
  // The offline embedder's vocabulary is derived once per machine into the shared cache the tests use.
  process.env.STIGMEM_EMBED_CACHE_DIR ??= path.join(ROOT, "node_modules", ".cache", "stigmem-embed");
  process.env.STIGMEM_RECALL_CACHE_ROWS = String(s.cacheRows);
  const { a, follower, entities, preloaded, shared } = await prepare(s);
  const nodes = follower === undefined ? [a] : [a, follower.node];
  log(`RSS ${nodes.map((n) => `${n.name} ${fmtBytes(processMemory(n.proc.pid).rss)}`).join(", ")}`);

  const started = performance.now();
  const load = new SoakLoad(a.proc.url, s.clients, entities, s.seed);
  const probe = follower === undefined ? undefined : new LagProbe(a.proc.url, follower.node.proc.url, { everyMs: s.lagEvery * 1_000, scope: SCOPE });
  const totals = { count: Object.fromEntries(OPS.map((o) => [o, 0])) as Record<Op, number>, errors: 0, shed: 0, facts: 0 };
  const latency = Object.fromEntries(OPS.map((o) => [o, new Samples()])) as Record<Op, Samples>;
  const lagSeries: { atS: number; p50: number; max: number; n: number }[] = [];
  for (const n of nodes) n.memory.push(await memoryOf(n, 0));
  const columns = ["t", "req/s", "write p99", "read p99", "recall p50", "recall p99", "RSS A", "heap A", "recall rows"];
  if (probe !== undefined) columns.push("RSS B", "heap B", "lag p50", "lag max");
  log(textTable([...columns, "errors", "shed"], []));
  let lastAtS = 0;
  const end = started + s.minutes * 60_000;
  while (performance.now() < end) {
    await sleep(Math.min(s.sample * 1_000, end - performance.now()));
    const f = load.drain();
    const atS = (performance.now() - started) / 1_000;
    const perSecond = OPS.reduce((x, o) => x + f.count[o], 0) / (atS - lastAtS);
    lastAtS = atS;
    const mem = await Promise.all(nodes.map((n) => memoryOf(n, atS)));
    nodes.forEach((n, i) => n.memory.push(mem[i]!));
    for (const o of OPS) {
      totals.count[o] += f.count[o];
      latency[o].merge(f.latency[o]);
    }
    totals.errors += f.errors;
    totals.shed += f.shed;
    totals.facts += f.facts;
    const row = [
      `${atS.toFixed(0)} s`,
      fmtInt(perSecond),
      fmtMs(f.latency.write.percentileMs(99)),
      fmtMs(f.latency.read.percentileMs(99)),
      fmtMs(f.latency.recall.percentileMs(50)),
      fmtMs(f.latency.recall.percentileMs(99)),
      fmtBytes(mem[0]!.rss),
      fmtBytes(mem[0]!.heap),
      fmtInt(mem[0]!.cachedRows),
    ];
    if (probe !== undefined) {
      const lag = probe.drain().lag;
      lagSeries.push({ atS, p50: lag.percentileMs(50), max: lag.percentileMs(100), n: lag.count });
      row.push(fmtBytes(mem[1]!.rss), fmtBytes(mem[1]!.heap), fmtMs(lag.percentileMs(50)), fmtMs(lag.percentileMs(100)));
    }
    log([...row, String(f.errors), String(f.shed)].join("  "));
  }
  await load.stop();
  const rest = load.drain();
  totals.facts += rest.facts;
  totals.errors += rest.errors;
  const seconds = (performance.now() - started) / 1_000;

  // Replication after the load: the markers still on their way, then B's count of A's facts.
  let replication: { expected: number; held: number; catchUpS: number | undefined } | undefined;
  if (probe !== undefined && follower !== undefined) {
    await probe.stop(s.catchUp * 1_000);
    const expected = shared + totals.facts + probe.acked;
    const catchUpS = await waitForReplication(follower, expected, s.catchUp);
    replication = { expected, held: countFrom(follower.db, follower.publisherId), catchUpS };
    follower.db.close();
  }
  const stopErrors: string[] = [];
  for (const n of nodes) {
    await n.proc.stop().catch((e: unknown) => stopErrors.push(`node ${n.name} stop: ${(e as Error).message}`));
    n.proc.remove();
  }

  const trends = nodes.map((n) => {
    const warmupS = warmupEnd(n.memory, s.warmup * 60, PAGE_CACHE_BYTES, n === a ? s.cacheRows : 0);
    return { name: n.name, warmupS, trend: rssTrend(n.memory, warmupS) };
  });
  // Every sample, for a closer look at where memory went than the summary lines give.
  mkdirSync(path.dirname(SAMPLES_FILE), { recursive: true });
  writeFileSync(SAMPLES_FILE, JSON.stringify({ settings: s, nodes: nodes.map((n) => ({ name: n.name, memory: n.memory })), lag: lagSeries }, null, 1));
  const total = OPS.reduce((x, o) => x + totals.count[o], 0);
  const table = textTable(
    ["operation", "answered", "per s", "p50 ms", "p95 ms", "p99 ms"],
    OPS.map((o) => [
      o,
      fmtInt(totals.count[o]),
      fmtInt(totals.count[o] / seconds),
      fmtMs(latency[o].percentileMs(50)),
      fmtMs(latency[o].percentileMs(95)),
      fmtMs(latency[o].percentileMs(99)),
    ]),
  );
  const requestsLine = `${fmtInt(total)} requests in ${seconds.toFixed(0)} s (${fmtInt(total / seconds)}/s), ${totals.errors} errors, ${totals.shed} shed (503); ${fmtInt(totals.facts)} facts acknowledged`;
  const trendLines = trends.map((t) =>
    Number.isFinite(t.warmupS) ? trendLine(t.name, t.trend) : `RSS of ${t.name}: its caches never filled during the run (see --help), so no verdict can be read: NOT FLAT`,
  );
  const lagLines: string[] = [];
  let replicated = true;
  if (probe !== undefined && replication !== undefined) {
    replicated = probe.errors === 0 && probe.missing === 0 && replication.catchUpS !== undefined && replication.held === replication.expected;
    lagLines.push(
      `Replication lag (A's acknowledgement → B's REST API serves the fact), ${fmtInt(probe.total.lag.count)} markers of ${fmtInt(probe.acked)} acknowledged, ` +
        `one every ${s.lagEvery} s: ${lagText(probe.total.lag)}; from sending the write to A: ${lagText(probe.total.fromSend)}; ` +
        `${probe.missing} missing, ${probe.errors} errors`,
      `B held ${fmtInt(replication.held)} of the ${fmtInt(replication.expected)} ${SCOPE} facts A acknowledged ` +
        `(${fmtInt(shared)} preloaded, ${fmtInt(totals.facts)} of the load, ${fmtInt(probe.acked)} markers) ` +
        (replication.catchUpS === undefined ? `after waiting ${s.catchUp} s: DID NOT CATCH UP` : `${replication.catchUpS.toFixed(1)} s after the load stopped and the last marker arrived`),
    );
  }
  log("");
  log(table);
  log(requestsLine);
  for (const l of [...trendLines, ...lagLines]) log(l);
  for (const e of [...load.errorSamples, ...(probe?.errorSamples ?? [])]) log(`  error: ${e}`);
  for (const e of stopErrors) log(e);
  const ok = trends.every((t) => t.trend.flat) && totals.errors === 0 && replicated && stopErrors.length === 0;
  log(`verdict: ${verdict(ok)}; every sample in ${path.relative(ROOT, SAMPLES_FILE)}`);

  if (s.results === "yes" || (s.results === "auto" && s.minutes >= 10)) {
    const rssSeries = (n: SoakNode) => thinned(n.memory).map((x) => `${(x.atS / 60).toFixed(1)} min ${fmtBytes(x.rss)} (heap ${fmtBytes(x.heap)})`).join(", ");
    const setup =
      follower === undefined
        ? `One node (offline embedder, recall row cache ${fmtInt(s.cacheRows)} rows) preloaded with ${fmtInt(preloaded)} facts of the benchmark data set`
        : `Two federated nodes in their own processes (offline embedders, recall row cache ${fmtInt(s.cacheRows)} rows), peered both ways for the \`${SCOPE}\` scope; ` +
          `A preloaded with ${fmtInt(preloaded)} facts of the benchmark data set (B synced its ${fmtInt(shared)} \`${SCOPE}\` facts before the load), the load on A`;
    const lagSeriesText = thinned(lagSeries)
      .map((x) => `${(x.atS / 60).toFixed(1)} min ${x.n === 0 ? "none arrived" : `p50 ${fmtMs(x.p50)} / max ${fmtMs(x.max)} ms`}`)
      .join(", ");
    writeSection(
      RESULTS_FILE,
      "soak",
      `### Soak — \`npm run soak${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\`

${machineLine(machine)}; commit ${machine.commit}; ${new Date().toISOString().slice(0, 10)}. ${setup}; ${s.clients} keep-alive clients, mix ${OPS.map((o) => `${o} ${MIX[o]} %`).join(", ")} (batch = 50 facts), ${s.minutes} min; warm-up at least ${s.warmup.toFixed(1)} min and until the node's caches filled (${trends.map((t) => `${t.name}: ${Number.isFinite(t.warmupS) ? `${(t.warmupS / 60).toFixed(1)} min` : "never"}`).join(", ")}). Verdict: **${verdict(ok)}**.

\`\`\`
${table}
\`\`\`

${requestsLine}.
${[...trendLines, ...lagLines].map((l) => `${l}.`).join("\n")}
${nodes.map((n) => `RSS of ${n.name} over time: ${rssSeries(n)}.`).join("\n")}${lagSeries.length > 0 ? `\nLag over time (markers that arrived in each ${s.sample} s): ${lagSeriesText}.` : ""}`,
    );
    log(`wrote the soak section of ${path.relative(ROOT, RESULTS_FILE)}`);
  }
  return ok ? 0 : 1;
}

function* dataSet(entities: number): Generator<AssertBody> {
  for (let i = 0; i < entities; i++) yield* entityFacts(i, entities);
}

runBench("soak", main);
