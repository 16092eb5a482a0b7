/**
 * `npm run bench:facts` — the fact-core benchmarks over real HTTP on loopback.
 *
 * Starts the compiled node (`dist/src/cli/main.js serve`) in a child process
 * with a fresh data folder and auth off, then measures from this process:
 *
 *   (a) REST assert latency, sequential, after a warm-up;
 *   (b) assert throughput with N concurrent keep-alive clients;
 *   (c) batch throughput (POST /v1/facts:batch, 500-fact batches) while loading
 *       the data set for (d) and (e);
 *   (d) query-by-entity latency (GET /v1/facts?entity=…) with the data set loaded;
 *   (e) database bytes per fact (SQLite file + WAL after the node's closing
 *       checkpoint, divided by the rows in `facts`).
 *
 * Prints a results table with the machine, and refreshes this benchmark's
 * section of bench/RESULTS.md (by default only for a full-size run).
 * Sizes come from flags or BENCH_* variables; `--help` lists them.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { loadFacts } from "./lib/batch-load.js";
import { entityFacts, entityUri, FACTS_PER_ENTITY, Rng, singleAssert, type AssertBody } from "./lib/dataset.js";
import { expectStatus, JsonClient } from "./lib/http.js";
import { describeMachine, machineLine, type Machine } from "./lib/machine.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { startNodeProcess, type NodeProcess } from "./lib/node-process.js";
import { processCpuSeconds } from "./lib/process-cpu.js";
import { waitForEmbeddings } from "./lib/recall-client.js";
import { writeSection } from "./lib/results.js";
import { fmtBytes, fmtDuration, fmtInt, fmtMs, nowNs, Samples } from "./lib/stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");

const TARGETS = {
  assertP50Ms: 2,
  concurrentFactsPerS: 3_000,
  batchFactsPerS: 50_000,
  queryP50Ms: 1,
};

const OPTIONS = {
  facts: { env: "BENCH_FACTS", def: 1_000_000, help: "facts loaded through the batch API for (c), (d) and (e)" },
  asserts: { env: "BENCH_ASSERTS", def: 2_000, help: "sequential asserts measured in (a)" },
  warmup: { env: "BENCH_WARMUP", def: 200, help: "warm-up requests before (a) and (d), not measured" },
  clients: { env: "BENCH_CLIENTS", def: 16, help: "concurrent clients in (b)" },
  "concurrent-asserts": { env: "BENCH_CONCURRENT_ASSERTS", def: 20_000, help: "asserts spread over the clients in (b)" },
  "batch-size": { env: "BENCH_BATCH_SIZE", def: 500, help: "facts per POST /v1/facts:batch (the limit is 500)" },
  "batch-clients": { env: "BENCH_BATCH_CLIENTS", def: 2, help: "batches in flight at once in (c)" },
  queries: { env: "BENCH_QUERIES", def: 2_000, help: "sequential queries by entity measured in (d)" },
  seed: { env: "BENCH_SEED", def: 1, help: "data set seed" },
} as const;
type NumericOption = keyof typeof OPTIONS;

interface Settings extends Record<NumericOption, number> {
  logLevel: string;
  results: "auto" | "yes" | "no";
  keep: boolean;
  tmpDir: string | undefined;
}

const USAGE = `npm run bench:facts -- [options]      (or: node dist/bench/facts.js [options])

Options (each also read from the BENCH_* variable shown):
${Object.entries(OPTIONS)
  .map(([k, o]) => `  --${k.padEnd(20)} ${o.help} (default ${fmtInt(o.def)}; ${o.env})`)
  .join("\n")}
  --log-level LEVEL      the node's log level (default info, as in production; BENCH_LOG_LEVEL)
  --results auto|yes|no  refresh bench/RESULTS.md: auto = only when --facts >= 1,000,000 (BENCH_RESULTS)
  --tmp DIR              parent folder of the node's temp data folder (default: the OS temp folder; BENCH_TMP)
  --keep                 keep the data folder afterwards
  --help                 this text

Quick development run: npm run bench:facts -- --facts 20000
`;

function parseSettings(argv: string[]): Settings | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...Object.fromEntries(Object.keys(OPTIONS).map((k) => [k, { type: "string" as const }])),
      "log-level": { type: "string" },
      results: { type: "string" },
      tmp: { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const settings = {} as Settings;
  for (const [name, o] of Object.entries(OPTIONS) as [NumericOption, (typeof OPTIONS)[NumericOption]][]) {
    const raw = ((values as Record<string, unknown>)[name] as string | undefined) ?? process.env[o.env];
    const n = raw === undefined || raw === "" ? o.def : Number(raw.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 0 || (n === 0 && name !== "warmup")) {
      throw new Error(`--${name} (${o.env}) must be a positive integer, got "${raw}"`);
    }
    settings[name] = n;
  }
  if (settings["batch-size"] > 500) throw new Error("--batch-size cannot exceed 500 (the API limit)");
  settings.logLevel = (values["log-level"]) ?? process.env.BENCH_LOG_LEVEL ?? "info";
  const results = (values.results) ?? process.env.BENCH_RESULTS ?? "auto";
  if (results !== "auto" && results !== "yes" && results !== "no") throw new Error(`--results must be auto, yes or no, got "${results}"`);
  settings.results = results;
  settings.keep = values.keep === true;
  settings.tmpDir = (values.tmp) ?? process.env.BENCH_TMP;
  return settings;
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface Figures {
  assert: Samples;
  assertDedup: number;
  concurrent: { facts: number; seconds: number; latency: Samples };
  batchFirst: { facts: number; seconds: number };
  batchAll: { facts: number; seconds: number; batches: number; latency: Samples };
  query: { latency: Samples; meanReturned: number; entities: number; embedWaitSeconds: number };
  db: { bytes: number; dbBytes: number; walBytes: number; facts: number; heads: number | undefined; breakdown: string[] };
  sqlite: string;
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  const machine = describeMachine(ROOT);
  const started = Date.now();
  log(`bench:facts — ${machine.cpu}, ${machine.cores} cores, ${fmtBytes(machine.ramBytes)} RAM, Node ${machine.node}`);
  log(
    `sizes: ${fmtInt(s.asserts)} asserts (+${fmtInt(s.warmup)} warm-up), ${fmtInt(s["concurrent-asserts"])} asserts over ${s.clients} clients, ` +
      `${fmtInt(s.facts)} facts in ${s["batch-size"]}-fact batches, ${fmtInt(s.queries)} queries`,
  );

  const node = await startNodeProcess({ root: ROOT, logLevel: s.logLevel, tmpDir: s.tmpDir });
  log(`node: pid ${node.pid}, ${node.url}, data ${node.dataDir}`);
  let stopped = false;
  try {
    const measured = await run(node, s);
    await node.stop();
    stopped = true;
    const figures: Figures = { ...measured, db: measureDatabase(node) };
    const wall = (Date.now() - started) / 1000;
    log("");
    log(renderTable(figures, s));
    log("");
    log(`machine: ${machineLine(machine, figures.sqlite)}`);
    log(`wall time: ${fmtDuration(wall)}`);
    const write = s.results === "yes" || (s.results === "auto" && s.facts >= 1_000_000);
    if (write) {
      writeSection(RESULTS_FILE, "facts", renderSection(figures, s, machine, wall));
      log(`bench/RESULTS.md: facts section refreshed`);
    } else {
      log(`bench/RESULTS.md: not written (--results ${s.results}, --facts ${fmtInt(s.facts)}; pass --results yes to write)`);
    }
    return 0;
  } finally {
    if (!stopped) await node.stop().catch((e: unknown) => log(`stopping the node: ${(e as Error).message}`));
    if (s.keep) log(`data kept in ${node.dataDir}`);
    else node.remove();
  }
}

async function run(node: NodeProcess, s: Settings): Promise<Omit<Figures, "db">> {
  const doctor = JSON.parse((await (await fetch(`${node.url}/v1/doctor`)).text())) as { versions?: { sqlite?: string } };
  const sqlite = doctor.versions?.sqlite ?? "unknown";
  const rng = new Rng(s.seed);
  let n = 0;

  const cpu = () => processCpuSeconds(node.pid);
  const cpuLine = (what: string, seconds: number, facts: number) =>
    log(`${what}: node CPU ${(seconds * 1e6 / facts).toFixed(1)} µs per fact (${seconds.toFixed(2)} s for ${fmtInt(facts)})`);

  // (a) sequential assert latency.
  const cpuA = cpu();
  const one = new JsonClient(node.url, 1);
  const assert = new Samples();
  let assertDedup = 0;
  for (let i = 0; i < s.warmup + s.asserts; i++) {
    const body = JSON.stringify(singleAssert(n++, rng));
    const t0 = nowNs();
    const a = await one.request("POST", "/v1/facts", body);
    const dt = nowNs() - t0;
    expectStatus(a, 201, "POST /v1/facts");
    if (i >= s.warmup) {
      assert.add(dt);
      if (a.headers["stigmem-deduplicated"] === "true") assertDedup += 1;
    }
  }
  one.close();
  cpuLine("(a)", cpu() - cpuA, s.warmup + s.asserts);
  log(`(a) assert latency: p50 ${fmtMs(assert.percentileMs(50))} ms, p95 ${fmtMs(assert.percentileMs(95))} ms, p99 ${fmtMs(assert.percentileMs(99))} ms over ${fmtInt(assert.count)} asserts`);

  // (b) throughput with concurrent keep-alive clients.
  const pool = new JsonClient(node.url, s.clients);
  const concurrentLatency = new Samples();
  const total = s["concurrent-asserts"];
  const bodies = Array.from({ length: total }, () => JSON.stringify(singleAssert(n++, rng)));
  let next = 0;
  const cpuB = cpu();
  const t0b = nowNs();
  await Promise.all(
    Array.from({ length: s.clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t = nowNs();
        const a = await pool.request("POST", "/v1/facts", bodies[i]);
        concurrentLatency.add(nowNs() - t);
        expectStatus(a, 201, "POST /v1/facts");
      }
    }),
  );
  const concurrentSeconds = (nowNs() - t0b) / 1e9;
  pool.close();
  cpuLine("(b)", cpu() - cpuB, total);
  log(`(b) ${s.clients} clients: ${fmtInt(total / concurrentSeconds)} facts/s (${fmtInt(total)} asserts in ${concurrentSeconds.toFixed(2)} s)`);

  // (c) batch throughput, loading the data set of (d) and (e).
  const entities = Math.max(1, Math.ceil(s.facts / FACTS_PER_ENTITY));
  const batchLatency = new Samples();
  const firstMark = Math.min(100_000, s.facts);
  let firstSeconds = 0;
  /** The data set, entity by entity, cut at exactly `s.facts` facts. */
  function* dataSet(): Generator<AssertBody> {
    let n = 0;
    for (let e = 0; e < entities; e++) {
      for (const f of entityFacts(e, entities, s.seed)) {
        if (n++ >= s.facts) return;
        yield f;
      }
    }
  }
  log(`(c) loading ${fmtInt(s.facts)} facts (${fmtInt(entities)} entities × ~${FACTS_PER_ENTITY}) through POST /v1/facts:batch …`);
  const cpuC = cpu();
  const t0c = nowNs();
  const loaded = await loadFacts(node.url, dataSet(), {
    batchSize: s["batch-size"],
    inFlight: s["batch-clients"],
    total: s.facts,
    progress: log,
    onBatch: (acceptedSoFar, latencyNs) => {
      batchLatency.add(latencyNs);
      if (firstSeconds === 0 && acceptedSoFar >= firstMark) firstSeconds = (nowNs() - t0c) / 1e9;
    },
  });
  const { accepted, batches, seconds: batchSeconds } = loaded;
  // With an embedder the node also embeds during the load: STIGMEM_EMBEDDER=none isolates the write path.
  cpuLine("(c)", cpu() - cpuC, accepted);
  log(`(c) batch: ${fmtInt(accepted / batchSeconds)} facts/s over all ${fmtInt(accepted)} facts (${fmtDuration(batchSeconds)}); first ${fmtInt(firstMark)}: ${fmtInt(firstMark / firstSeconds)} facts/s`);

  // (d) query by entity with the data set loaded, at steady state: the
  // embedder's backlog from the load drains first (it shares the node's
  // event loop, so queries measured during the drain measure the drain).
  const catchUp = await waitForEmbeddings(node.url, { timeoutMs: 3_600_000, log });
  log(`(d) embedder caught up ${catchUp.seconds.toFixed(1)} s after the load (${catchUp.method})`);
  const q = new JsonClient(node.url, 1);
  const query = new Samples();
  let returned = 0;
  const qrng = new Rng(s.seed + 1);
  for (let i = 0; i < s.warmup + s.queries; i++) {
    const entity = entityUri(qrng.int(entities));
    const t = nowNs();
    const a = await q.request("GET", `/v1/facts?entity=${encodeURIComponent(entity)}`);
    const dt = nowNs() - t;
    expectStatus(a, 200, "GET /v1/facts");
    if (i >= s.warmup) {
      query.add(dt);
      returned += (JSON.parse(a.text) as { facts: unknown[] }).facts.length;
    }
  }
  q.close();
  log(`(d) query by entity: p50 ${fmtMs(query.percentileMs(50))} ms, p95 ${fmtMs(query.percentileMs(95))} ms, ${(returned / query.count).toFixed(1)} facts per answer`);

  return {
    assert,
    assertDedup,
    concurrent: { facts: total, seconds: concurrentSeconds, latency: concurrentLatency },
    batchFirst: { facts: firstMark, seconds: firstSeconds },
    batchAll: { facts: accepted, seconds: batchSeconds, batches, latency: batchLatency },
    query: { latency: query, meanReturned: returned / query.count, entities, embedWaitSeconds: catchUp.seconds },
    sqlite,
  };
}

/** (e): after the node closed its database (SQLite checkpoints the WAL on the last close). */
function measureDatabase(node: NodeProcess): Figures["db"] {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const dbBytes = size(node.dbPath);
  const walBytes = size(`${node.dbPath}-wal`);
  const db = new Database(node.dbPath, { readonly: true, fileMustExist: true });
  try {
    const facts = (db.prepare("SELECT count(*) AS n FROM facts").get() as { n: number }).n;
    let heads: number | undefined;
    try {
      heads = (db.prepare("SELECT count(*) AS n FROM fact_heads").get() as { n: number }).n;
    } catch {
      heads = undefined;
    }
    let breakdown: string[] = [];
    try {
      const rows = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 8").all() as { name: string; bytes: number }[];
      breakdown = rows.map((r) => `${r.name} ${fmtBytes(r.bytes)} (${(r.bytes / Math.max(1, facts)).toFixed(0)} B/fact)`);
    } catch {
      // dbstat is not compiled in: no breakdown.
    }
    return { bytes: dbBytes + walBytes, dbBytes, walBytes, facts, heads, breakdown };
  } finally {
    db.close();
  }
}

function rows(f: Figures, s: Settings): [string, string, string, string][] {
  const concurrentRate = f.concurrent.facts / f.concurrent.seconds;
  const batchRate = f.batchAll.facts / f.batchAll.seconds;
  const firstRate = f.batchFirst.facts / f.batchFirst.seconds;
  const bytesPerFact = f.db.bytes / Math.max(1, f.db.facts);
  return [
    [
      `(a) assert latency, sequential (${fmtInt(f.assert.count)} after ${fmtInt(s.warmup)} warm-up)`,
      `p50 ${fmtMs(f.assert.percentileMs(50))} ms · p95 ${fmtMs(f.assert.percentileMs(95))} ms · p99 ${fmtMs(f.assert.percentileMs(99))} ms`,
      `p50 ≤ ${TARGETS.assertP50Ms} ms`,
      verdict(f.assert.percentileMs(50) <= TARGETS.assertP50Ms),
    ],
    [
      `(b) assert throughput, ${s.clients} keep-alive clients (${fmtInt(f.concurrent.facts)} asserts)`,
      `${fmtInt(concurrentRate)} facts/s (p50 ${fmtMs(f.concurrent.latency.percentileMs(50))} ms · p99 ${fmtMs(f.concurrent.latency.percentileMs(99))} ms)`,
      `≥ ${fmtInt(TARGETS.concurrentFactsPerS)} facts/s`,
      verdict(concurrentRate >= TARGETS.concurrentFactsPerS),
    ],
    [
      `(c) batch throughput, ${s["batch-size"]}-fact batches, ${s["batch-clients"]} in flight (all ${fmtInt(f.batchAll.facts)})`,
      `${fmtInt(batchRate)} facts/s (first ${fmtInt(f.batchFirst.facts)}: ${fmtInt(firstRate)} facts/s; batch p50 ${fmtMs(f.batchAll.latency.percentileMs(50))} ms)`,
      `≥ ${fmtInt(TARGETS.batchFactsPerS)} facts/s`,
      verdict(batchRate >= TARGETS.batchFactsPerS),
    ],
    [
      `(d) query by entity at ${fmtInt(f.db.facts)} facts (${fmtInt(f.query.latency.count)} random of ${fmtInt(f.query.entities)} entities; ` +
        `after the embedder caught up, ${f.query.embedWaitSeconds.toFixed(1)} s after the load)`,
      `p50 ${fmtMs(f.query.latency.percentileMs(50))} ms · p95 ${fmtMs(f.query.latency.percentileMs(95))} ms (${f.query.meanReturned.toFixed(1)} facts per answer)`,
      `p50 ≤ ${TARGETS.queryP50Ms} ms`,
      verdict(f.query.latency.percentileMs(50) <= TARGETS.queryP50Ms),
    ],
    [
      `(e) database size at ${fmtInt(f.db.facts)} facts (file + WAL after checkpoint)`,
      `${fmtInt(bytesPerFact)} bytes/fact (${fmtBytes(f.db.bytes)}; WAL ${fmtBytes(f.db.walBytes)})`,
      "—",
      "—",
    ],
  ];
}

function renderTable(f: Figures, s: Settings): string {
  const out = [textTable(["benchmark", "result", "target", ""], rows(f, s))];
  if (f.db.breakdown.length > 0) out.push("", `largest tables and indexes: ${f.db.breakdown.join("; ")}`);
  return out.join("\n");
}

function renderSection(f: Figures, s: Settings, m: Machine, wall: number): string {
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
  const table = [
    "| benchmark | result | target | |",
    "|---|---|---|---|",
    ...rows(f, s).map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  return [
    "## Facts — `npm run bench:facts`",
    "",
    "Serves the fact-core issue (assert, batch, query by entity, storage size). Real HTTP/1.1 on loopback:",
    "the node runs from `dist/` in its own process (auth off, log level " +
      `\`${s.logLevel}\`), the load generator in another, with keep-alive connections.`,
    "",
    `- **Run:** ${when} · commit ${m.commit} · wall time ${fmtDuration(wall)}`,
    `- **Machine:** ${machineLine(m, f.sqlite)}`,
    `- **Data:** ${fmtInt(f.query.entities)} entities × ~${FACTS_PER_ENTITY} facts (20 relations; string, text, number, boolean, datetime, ref and null values;` +
      " 90 % of entities get a same-source update, 5 % a conflicting source, 5 % a retraction), " +
      `loaded after ${fmtInt(s.warmup + s.asserts + s["concurrent-asserts"])} single asserts; ${fmtInt(f.db.facts)} rows in \`facts\`` +
      (f.db.heads === undefined ? "" : `, ${fmtInt(f.db.heads)} current heads`) +
      ".",
    "",
    table,
    ...(f.db.breakdown.length > 0 ? ["", `Largest tables and indexes: ${f.db.breakdown.join("; ")}.`] : []),
  ].join("\n");
}

runBench("bench:facts", main);
