/**
 * `npm run soak` — one node under mixed load for a bounded time (10 minutes
 * by default, `--minutes`): single and batch writes, reads by entity and by
 * id, and recalls, from closed-loop keep-alive clients. Every sampling
 * period it prints throughput, latency percentiles and the node's RSS; at
 * the end, the totals and whether RSS stayed flat after the warm-up.
 *
 * The node first gets 250,000 facts of the benchmark data set (`--preload`,
 * about 300 MiB of database) and the embedder catches up, so the store is
 * larger than its bounded caches (the 256 MiB SQLite page cache, recall's
 * rows). Those caches still fill as the load reads across the store, which
 * is why the first third of the run (`--warmup`) is left out of the verdict,
 * and why recall's row cache is set to 32,768 rows (`--cache-rows`): the
 * default 131,072 takes longer than a 10-minute run to fill at this load,
 * and a cache still filling is not a leak.
 *
 * "Flat" means the least-squares slope of RSS over the samples after the
 * warm-up, projected over that span, grew RSS by less than 5 % (or 16 MiB,
 * whichever is larger). The database grows with every write, and the
 * node's caches are bounded (STIGMEM_RECALL_CACHE_ROWS), so steady growth
 * beyond that is a leak. Exits 1 when RSS is not flat or any request failed
 * (a 503 from load shedding is not a failure).
 *
 * Not part of `npm test`. Starts the compiled node like the other
 * benchmarks (child process, auth off, fresh data folder, offline embedder).
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadFacts } from "./lib/batch-load.js";
import { entityFacts, FACTS_PER_ENTITY } from "./lib/dataset.js";
import { describeMachine, machineLine } from "./lib/machine.js";
import { startNodeProcess } from "./lib/node-process.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { writeSection } from "./lib/results.js";
import { MIX, OPS, SoakLoad, type Op } from "./lib/soak-load.js";
import { waitForEmbeddings } from "./lib/recall-client.js";
import { processMemory } from "./lib/startup.js";
import { fmtBytes, fmtInt, fmtMs, Samples } from "./lib/stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const MIB = 1024 * 1024;

const USAGE = `npm run soak -- [options]      (or: node dist/bench/soak.js [options])

  --minutes N        how long the load runs (default 10; fractions allowed)
  --warmup N         minutes left out of the RSS verdict (default: a third of --minutes)
  --clients N        concurrent keep-alive clients (default 16)
  --preload N        facts loaded before the load starts (default 250000; 10 per entity)
  --cache-rows N     STIGMEM_RECALL_CACHE_ROWS of the node (default 32768)
  --sample N         seconds between samples (default 10)
  --seed N           load seed (default 1)
  --results auto|yes|no  write the soak section of bench/RESULTS.md (auto: only for runs of 10 minutes or more)
  --help             this text
`;

interface Settings {
  minutes: number;
  warmup: number;
  clients: number;
  preload: number;
  cacheRows: number;
  sample: number;
  seed: number;
  results: "auto" | "yes" | "no";
}

function parseSettings(argv: string[]): Settings | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: Object.fromEntries(
      ["minutes", "warmup", "clients", "preload", "cache-rows", "sample", "seed", "results"].map((k) => [k, { type: "string" as const }]),
    ),
    allowPositionals: false,
  });
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const num = (name: string, def: number): number => {
    const raw = (values as Record<string, string | undefined>)[name];
    const n = raw === undefined ? def : Number(raw);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} must be a positive number, got "${raw}"`);
    return n;
  };
  const minutes = num("minutes", 10);
  const results = (values as Record<string, string | undefined>).results ?? "auto";
  if (results !== "auto" && results !== "yes" && results !== "no") throw new Error(`--results must be auto, yes or no`);
  return {
    minutes,
    warmup: num("warmup", minutes / 3),
    clients: Math.round(num("clients", 16)),
    preload: Math.round(num("preload", 250_000)),
    cacheRows: Math.round(num("cache-rows", 32_768)),
    sample: num("sample", 10),
    seed: Math.round(num("seed", 1)),
    results,
  };
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface Sample {
  readonly atS: number;
  readonly rss: number;
  /** The node's JavaScript heap in use (its /metrics), to tell heap growth from native memory. */
  readonly heap: number;
  /** Rows recall keeps in memory (bounded by STIGMEM_RECALL_CACHE_ROWS): heap that grows with them is a cache filling. */
  readonly cachedRows: number;
  readonly perSecond: number;
}

async function nodeGauges(url: string): Promise<{ heap: number; cachedRows: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
  return { heap: gauge("stigmem_heap_used_bytes"), cachedRows: gauge("stigmem_recall_cached_rows") };
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  const machine = describeMachine(ROOT);
  log(`soak — ${machineLine(machine)}, commit ${machine.commit}`);
  log(`${s.minutes} min (warm-up ${s.warmup.toFixed(1)} min), ${s.clients} clients, mix ${OPS.map((o) => `${o} ${MIX[o]} %`).join(", ")}`);
  // The offline embedder's vocabulary is derived once per machine into the shared cache the tests use.
  process.env.STIGMEM_EMBED_CACHE_DIR ??= path.join(ROOT, "node_modules", ".cache", "stigmem-embed");
  process.env.STIGMEM_RECALL_CACHE_ROWS = String(s.cacheRows);
  const node = await startNodeProcess({ root: ROOT, logLevel: "warn" });
  const entities = Math.max(1, Math.ceil(s.preload / FACTS_PER_ENTITY));
  const preload = await loadFacts(node.url, dataSet(entities), { total: entities * FACTS_PER_ENTITY, progress: log });
  const catchUp = await waitForEmbeddings(node.url, { timeoutMs: 30 * 60_000, log });
  log(
    `preloaded ${fmtInt(preload.accepted)} facts in ${preload.seconds.toFixed(0)} s; embedder caught up ${catchUp.seconds.toFixed(0)} s later; ` +
      `RSS ${fmtBytes(processMemory(node.pid).rss)}`,
  );
  const started = performance.now();
  const load = new SoakLoad(node.url, s.clients, entities, s.seed);
  const totals = { count: Object.fromEntries(OPS.map((o) => [o, 0])) as Record<Op, number>, errors: 0, shed: 0 };
  const latency = Object.fromEntries(OPS.map((o) => [o, new Samples()])) as Record<Op, Samples>;
  const samples: Sample[] = [{ atS: 0, rss: processMemory(node.pid).rss, ...(await nodeGauges(node.url)), perSecond: 0 }];
  log(textTable(["t", "req/s", "write p99", "read p99", "recall p50", "recall p99", "RSS", "heap", "recall rows", "errors", "shed"], []));
  const end = started + s.minutes * 60_000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(s.sample * 1_000, end - performance.now())));
    const f = load.drain();
    const atS = (performance.now() - started) / 1_000;
    const done = OPS.reduce((a, o) => a + f.count[o], 0);
    const perSecond = done / (atS - samples[samples.length - 1]!.atS);
    const rss = processMemory(node.pid).rss;
    const gauges = await nodeGauges(node.url);
    samples.push({ atS, rss, ...gauges, perSecond });
    for (const o of OPS) {
      totals.count[o] += f.count[o];
      latency[o].merge(f.latency[o]);
    }
    totals.errors += f.errors;
    totals.shed += f.shed;
    log(
      [
        `${atS.toFixed(0)} s`,
        fmtInt(perSecond),
        fmtMs(f.latency.write.percentileMs(99)),
        fmtMs(f.latency.read.percentileMs(99)),
        fmtMs(f.latency.recall.percentileMs(50)),
        fmtMs(f.latency.recall.percentileMs(99)),
        fmtBytes(rss),
        fmtBytes(gauges.heap),
        fmtInt(gauges.cachedRows),
        String(f.errors),
        String(f.shed),
      ].join("  "),
    );
  }
  await load.stop();
  const seconds = (performance.now() - started) / 1_000;
  const stopError = await node.stop().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  node.remove();

  const after = samples.filter((x) => x.atS >= s.warmup * 60);
  const base = after[0] ?? samples[samples.length - 1]!;
  const last = samples[samples.length - 1]!;
  const growthPerS = slope(after.map((x) => ({ x: x.atS, y: x.rss })));
  const projected = growthPerS * (last.atS - base.atS);
  const allowed = Math.max(0.05 * base.rss, 16 * MIB);
  const flat = after.length >= 2 && projected < allowed;
  const peak = Math.max(...samples.map((x) => x.rss));
  const total = OPS.reduce((a, o) => a + totals.count[o], 0);

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
  const rssLine =
    `RSS: ${fmtBytes(samples[0]!.rss)} at start, ${fmtBytes(base.rss)} after the warm-up (${(base.atS / 60).toFixed(1)} min), ` +
    `${fmtBytes(last.rss)} at the end, peak ${fmtBytes(peak)}; slope after the warm-up ${(growthPerS * 60 / MIB).toFixed(2)} MiB/min ` +
    `(${fmtBytes(Math.max(0, projected))} over the run, allowed ${fmtBytes(allowed)}): ${flat ? "flat" : "NOT FLAT"}; ` +
    `JS heap ${fmtBytes(base.heap)} after the warm-up, ${fmtBytes(last.heap)} at the end; ` +
    `recall rows in memory ${fmtInt(base.cachedRows)} after the warm-up, ${fmtInt(last.cachedRows)} at the end`;
  log("");
  log(table);
  log(`${fmtInt(total)} requests in ${seconds.toFixed(0)} s (${fmtInt(total / seconds)}/s), ${totals.errors} errors, ${totals.shed} shed (503)`);
  log(rssLine);
  for (const e of load.errorSamples) log(`  error: ${e}`);
  if (stopError !== undefined) log(`node stop: ${stopError.message}`);
  const ok = flat && totals.errors === 0 && stopError === undefined;
  log(`verdict: ${verdict(ok)}`);

  if (s.results === "yes" || (s.results === "auto" && s.minutes >= 10)) {
    const series = samples
      .filter((_, i) => i === 0 || i === samples.length - 1 || i % Math.max(1, Math.round(samples.length / 12)) === 0)
      .map((x) => `${(x.atS / 60).toFixed(1)} min ${fmtBytes(x.rss)} (heap ${fmtBytes(x.heap)})`)
      .join(", ");
    writeSection(
      RESULTS_FILE,
      "soak",
      `### Soak — \`npm run soak -- --minutes ${s.minutes}\`

${machineLine(machine)}; commit ${machine.commit}; ${new Date().toISOString().slice(0, 10)}. One node (offline embedder, recall row cache ${fmtInt(s.cacheRows)} rows) preloaded with ${fmtInt(preload.accepted)} facts of the benchmark data set, ${s.clients} keep-alive clients, mix ${OPS.map((o) => `${o} ${MIX[o]} %`).join(", ")} (batch = 50 facts), warm-up ${s.warmup.toFixed(1)} min.

\`\`\`
${table}
\`\`\`

${fmtInt(total)} requests in ${seconds.toFixed(0)} s (${fmtInt(total / seconds)}/s), ${totals.errors} errors, ${totals.shed} shed.
${rssLine}.
RSS over time: ${series}.`,
    );
    log(`wrote the soak section of ${path.relative(ROOT, RESULTS_FILE)}`);
  }
  return ok ? 0 : 1;
}

function* dataSet(entities: number): Generator<ReturnType<typeof entityFacts>[number]> {
  for (let i = 0; i < entities; i++) yield* entityFacts(i, entities);
}

runBench("soak", main);
