/**
 * `npm run bench:recall-eval` — recall quality on a labelled evaluation set.
 *
 * For each fusion method (`STIGMEM_RECALL_FUSION=wsum|rrf`, passed to the
 * node's environment) it starts the compiled node in a child process (auth
 * off, loopback, fresh data folder), loads the Acme set of `recall-eval/`
 * through `POST /v1/facts:batch`, waits for the embedder to catch up (see
 * `lib/recall-client.ts`), runs every labelled query through `POST /v1/recall`
 * and scores the answers: hit@1, hit@5 and nDCG@10 per class, and the share of
 * out-of-domain queries whose top result scores below the stated threshold.
 * Then it loads ~3,800 distractor facts into the same node and runs the
 * queries again. The fusion methods are printed side by side, with the
 * queries that fail per class, and bench/RESULTS.md gets a `recall-eval`
 * section (for a run with both methods and the distractors).
 *
 * `--check` validates the set without a node.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadFacts } from "./lib/batch-load.js";
import type { AssertBody } from "./lib/dataset.js";
import { describeMachine, machineLine, type Machine } from "./lib/machine.js";
import { runBench, textTable, verdict } from "./lib/report.js";
import { startNodeProcess } from "./lib/node-process.js";
import { RecallClient, waitForEmbeddings, type CatchUp, type ScoredFact } from "./lib/recall-client.js";
import { writeSection } from "./lib/results.js";
import { fmtBytes, fmtDuration, fmtInt } from "./lib/stats.js";
import { checkEvalSet } from "./recall-eval/check.js";
import { distractorFacts } from "./recall-eval/distractors.js";
import { currentView, firstHitRank, gradeOf, hitAt, idealGrades, ndcg } from "./recall-eval/metrics.js";
import { EVAL_SCOPE, orgFacts } from "./recall-eval/org.js";
import { OOD_THRESHOLDS, QUERIES, QUERY_CLASSES, type EvalQuery, type QueryClass } from "./recall-eval/queries.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const REPORT_FILE = path.join(ROOT, "dist", "bench", "recall-eval-report.json");

const TARGETS = { hit5: 0.9, oodBelow: 0.9 };

const USAGE = `npm run bench:recall-eval -- [options]   (or: node dist/bench/recall-eval.js [options])

  --fusion LIST          fusion methods to compare, comma-separated, each passed to the node as
                         STIGMEM_RECALL_FUSION (default wsum,rrf; "node-default" leaves it unset; BENCH_FUSION)
  --distractors yes|no   second pass with ~3,800 distractor facts loaded (default yes; BENCH_DISTRACTORS)
  --ood-threshold X      top score an out-of-domain query must stay below, for every method
                         (default per method: ${Object.entries(OOD_THRESHOLDS).map(([k, v]) => `${k} ${v}`).join(", ")}; BENCH_OOD_THRESHOLD)
  --failures N           failing queries printed per class (default 5; BENCH_FAILURES)
  --recall-body JSON     extra fields for every recall request, e.g. '{"depth":3}' (BENCH_RECALL_BODY)
  --embed-timeout S      longest wait for the embedder to catch up (default 600; BENCH_EMBED_TIMEOUT)
  --results auto|yes|no  refresh bench/RESULTS.md: auto = when both wsum and rrf ran with distractors (BENCH_RESULTS)
  --log-level LEVEL      the node's log level (default warn; BENCH_LOG_LEVEL)
  --tmp DIR              parent folder of the node's temp data folder (BENCH_TMP)
  --keep                 keep the data folders afterwards
  --check                validate the evaluation set offline (no node) and exit
  --help                 this text
`;

interface Settings {
  fusions: string[];
  distractors: boolean;
  oodThreshold: number | undefined;
  failures: number;
  recallBody: Record<string, unknown>;
  embedTimeoutS: number;
  results: "auto" | "yes" | "no";
  logLevel: string;
  tmpDir: string | undefined;
  keep: boolean;
  check: boolean;
}

function parseSettings(argv: string[]): Settings | undefined {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      fusion: { type: "string" },
      distractors: { type: "string" },
      "ood-threshold": { type: "string" },
      failures: { type: "string" },
      "recall-body": { type: "string" },
      "embed-timeout": { type: "string" },
      results: { type: "string" },
      "log-level": { type: "string" },
      tmp: { type: "string" },
      keep: { type: "boolean" },
      check: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (v.help === true) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const env = process.env;
  const fusions = (v.fusion ?? env.BENCH_FUSION ?? "wsum,rrf").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const distractors = (v.distractors ?? env.BENCH_DISTRACTORS ?? "yes") !== "no";
  const oodRaw = v["ood-threshold"] ?? env.BENCH_OOD_THRESHOLD;
  const oodThreshold = oodRaw === undefined || oodRaw === "" ? undefined : Number(oodRaw);
  if (oodThreshold !== undefined && !Number.isFinite(oodThreshold)) throw new Error(`--ood-threshold must be a number, got "${oodRaw}"`);
  const failures = Number(v.failures ?? env.BENCH_FAILURES ?? 5);
  const recallBody = JSON.parse(v["recall-body"] ?? env.BENCH_RECALL_BODY ?? "{}") as Record<string, unknown>;
  const embedTimeoutS = Number(v["embed-timeout"] ?? env.BENCH_EMBED_TIMEOUT ?? 600);
  const results = (v.results ?? env.BENCH_RESULTS ?? "auto") as Settings["results"];
  if (!["auto", "yes", "no"].includes(results)) throw new Error(`--results must be auto, yes or no`);
  return {
    fusions,
    distractors,
    oodThreshold,
    failures,
    recallBody,
    embedTimeoutS,
    results,
    logLevel: v["log-level"] ?? env.BENCH_LOG_LEVEL ?? "warn",
    tmpDir: v.tmp ?? env.BENCH_TMP,
    keep: v.keep === true,
    check: v.check === true,
  };
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** One query's outcome. */
interface QueryResult {
  id: string;
  cls: QueryClass;
  q: string;
  /** Grades of the first 10 answers. */
  grades: number[];
  firstHit: number | undefined;
  ndcg10: number;
  /** Highest score in the answer (0 when empty). */
  topScore: number;
  returned: number;
  ms: number;
  top: { entity: string; relation: string; value: string; score: number; grade: number; breakdown: string }[];
}

interface Pass {
  label: "clean" | "distractors";
  facts: number;
  catchUp: CatchUp;
  results: QueryResult[];
}

interface FusionRun {
  fusion: string;
  passes: Pass[];
  loadSeconds: number;
  doctorFusion: string | undefined;
}

const short = (uri: string) => uri.replace(/^stigmem:\/\/acme\//, "");

async function runQueries(url: string, view: readonly AssertBody[], extra: Record<string, unknown>): Promise<QueryResult[]> {
  const client = new RecallClient(url, 1);
  const out: QueryResult[] = [];
  try {
    for (const q of QUERIES) {
      const { res, ms } = await client.recall({ ...extra, query: q.q, scope: EVAL_SCOPE });
      const facts: ScoredFact[] = res.facts;
      const grades = facts.slice(0, 10).map((f) => gradeOf(q, f.fact));
      const allGrades = facts.map((f) => gradeOf(q, f.fact));
      out.push({
        id: q.id,
        cls: q.cls,
        q: q.q,
        grades,
        firstHit: firstHitRank(allGrades),
        ndcg10: q.cls === "ood" ? 0 : ndcg(grades, idealGrades(q, view), 10),
        topScore: facts.reduce((m, f) => Math.max(m, f.score), 0),
        returned: facts.length,
        ms,
        top: facts.slice(0, 5).map((f) => ({
          entity: short(f.fact.entity),
          relation: f.fact.relation,
          value: short(String(f.fact.value.v)).slice(0, 60),
          score: f.score,
          grade: gradeOf(q, f.fact),
          breakdown: `lex ${fx(f.score_breakdown.lexical)} sem ${fx(f.score_breakdown.semantic)} graph ${fx(f.score_breakdown.graph)}`,
        })),
      });
    }
  } finally {
    client.close();
  }
  return out;
}

const fx = (n: number | undefined) => (typeof n === "number" ? n.toFixed(2) : "–");

async function runFusion(fusion: string, s: Settings, evalSet: ReturnType<typeof orgFacts>, distractors: AssertBody[]): Promise<FusionRun> {
  if (fusion === "node-default") delete process.env.STIGMEM_RECALL_FUSION;
  else process.env.STIGMEM_RECALL_FUSION = fusion;
  const node = await startNodeProcess({ root: ROOT, logLevel: s.logLevel, tmpDir: s.tmpDir });
  log(`[${fusion}] node pid ${node.pid}, ${node.url}`);
  let stopped = false;
  try {
    const probe = new RecallClient(node.url);
    const status = await probe.status();
    probe.close();
    if (status !== 200) throw new Error(`POST /v1/recall answers ${status}: recall is not available on this build yet`);
    const load1 = await loadFacts(node.url, evalSet.initial);
    const load2 = await loadFacts(node.url, evalSet.updates);
    const evalLoaded = [...evalSet.initial, ...evalSet.updates];
    const timeoutMs = s.embedTimeoutS * 1000;
    const c1 = await waitForEmbeddings(node.url, { timeoutMs, log });
    log(`[${fusion}] loaded ${fmtInt(load1.accepted + load2.accepted)} facts in ${fmtDuration(load1.seconds + load2.seconds)}; ` +
      `semantic channel ${c1.semantic ? `on (caught up after ${c1.seconds.toFixed(1)} s, ${c1.method})` : `OFF (${c1.method})`}; ${c1.hint.summary}`);
    const passes: Pass[] = [];
    passes.push({ label: "clean", facts: evalLoaded.length, catchUp: c1, results: await runQueries(node.url, currentView(evalLoaded), s.recallBody) });
    log(`[${fusion}] clean pass: ${summaryLine(passes[0]!.results, thresholdFor(fusion, s))}`);
    if (s.distractors) {
      const load3 = await loadFacts(node.url, distractors);
      const c2 = await waitForEmbeddings(node.url, { timeoutMs, log });
      log(`[${fusion}] + ${fmtInt(load3.accepted)} distractors in ${fmtDuration(load3.seconds)}; ` +
        (c2.semantic ? `embedder caught up after ${c2.seconds.toFixed(1)} s (${c2.method})` : `semantic channel off (${c2.method})`));
      const all = [...evalLoaded, ...distractors];
      passes.push({ label: "distractors", facts: all.length, catchUp: c2, results: await runQueries(node.url, currentView(all), s.recallBody) });
      log(`[${fusion}] with distractors: ${summaryLine(passes[1]!.results, thresholdFor(fusion, s))}`);
    }
    await node.stop();
    stopped = true;
    return { fusion, passes, loadSeconds: load1.seconds + load2.seconds, doctorFusion: c1.hint.fusion };
  } finally {
    if (!stopped) await node.stop().catch((e: unknown) => log(`stopping the node: ${(e as Error).message}`));
    if (s.keep) log(`data kept in ${node.dataDir}`);
    else node.remove();
  }
}

function thresholdFor(fusion: string, s: Settings): number {
  return s.oodThreshold ?? OOD_THRESHOLDS[fusion] ?? OOD_THRESHOLDS.default!;
}

interface ClassFigures {
  n: number;
  hit1: number;
  hit5: number;
  ndcg10: number;
  /** ood only */
  below: number;
  maxTop: number;
}

function classFigures(results: QueryResult[], cls: QueryClass, threshold: number): ClassFigures {
  const rs = results.filter((r) => r.cls === cls);
  const n = rs.length;
  const mean = (f: (r: QueryResult) => number) => (n === 0 ? Number.NaN : rs.reduce((a, r) => a + f(r), 0) / n);
  return {
    n,
    hit1: mean((r) => (hitAt(r.grades, 1) ? 1 : 0)),
    hit5: mean((r) => (hitAt(r.grades, 5) ? 1 : 0)),
    ndcg10: mean((r) => r.ndcg10),
    below: mean((r) => (r.topScore < threshold ? 1 : 0)),
    maxTop: rs.reduce((m, r) => Math.max(m, r.topScore), 0),
  };
}

function inDomain(results: QueryResult[]): QueryResult[] {
  return results.filter((r) => r.cls !== "ood");
}

function summaryLine(results: QueryResult[], threshold: number): string {
  const ind = inDomain(results);
  const hit5 = ind.filter((r) => hitAt(r.grades, 5)).length / ind.length;
  const ood = classFigures(results, "ood", threshold);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return `in-domain hit@5 ${pct(hit5)}, ood below ${threshold}: ${pct(ood.below)}; median recall ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms`;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : "n/a");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");

/** The threshold that best separates in-domain top scores (≥) from out-of-domain ones (<). */
function calibration(results: QueryResult[]): { threshold: number; accuracy: number; inMedian: number; inP10: number; oodMedian: number; oodMax: number } {
  const ins = inDomain(results).map((r) => r.topScore).sort((a, b) => a - b);
  const oods = results.filter((r) => r.cls === "ood").map((r) => r.topScore).sort((a, b) => a - b);
  let best = { threshold: 0, accuracy: 0 };
  for (const t of [...ins, ...oods].map((x) => x + 1e-9)) {
    const ok = ins.filter((x) => x >= t).length + oods.filter((x) => x < t).length;
    const acc = ok / (ins.length + oods.length);
    if (acc > best.accuracy) best = { threshold: t, accuracy: acc };
  }
  const q = (xs: number[], p: number) => (xs.length === 0 ? Number.NaN : xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!);
  return { ...best, inMedian: q(ins, 0.5), inP10: q(ins, 0.1), oodMedian: q(oods, 0.5), oodMax: oods[oods.length - 1] ?? Number.NaN };
}

type Row = string[];

function tableRows(runs: FusionRun[], label: Pass["label"], s: Settings): { header: Row; rows: Row[] } {
  const header: Row = ["class", "n"];
  for (const r of runs) header.push(`${r.fusion} hit@1`, `${r.fusion} hit@5`, `${r.fusion} nDCG@10`);
  header.push("target", runs.map((r) => r.fusion).join(" / "));
  const rows: Row[] = [];
  const passOf = (r: FusionRun) => r.passes.find((p) => p.label === label);
  for (const cls of QUERY_CLASSES) {
    const row: Row = [cls, ""];
    const verdicts: string[] = [];
    for (const r of runs) {
      const p = passOf(r);
      const th = thresholdFor(r.fusion, s);
      const c = p === undefined ? undefined : classFigures(p.results, cls, th);
      row[1] = String(c?.n ?? "");
      if (c === undefined) row.push("–", "–", "–");
      else if (cls === "ood") row.push(`top < ${th}: ${pct(c.below)}`, `max top ${f2(c.maxTop)}`, "–");
      else row.push(f2(c.hit1), f2(c.hit5), f2(c.ndcg10));
      if (c !== undefined) verdicts.push(verdict(cls === "ood" ? c.below >= TARGETS.oodBelow : c.hit5 >= TARGETS.hit5));
    }
    row.push(cls === "ood" ? `≥ ${TARGETS.oodBelow * 100} % below` : `hit@5 ≥ ${TARGETS.hit5}`, verdicts.join(" / "));
    rows.push(row);
  }
  const all: Row = ["all in-domain", ""];
  for (const r of runs) {
    const p = passOf(r);
    const ind = p === undefined ? [] : inDomain(p.results);
    all[1] = String(ind.length);
    all.push(
      f2(ind.filter((x) => hitAt(x.grades, 1)).length / ind.length),
      f2(ind.filter((x) => hitAt(x.grades, 5)).length / ind.length),
      f2(ind.reduce((a, x) => a + x.ndcg10, 0) / ind.length),
    );
  }
  all.push("", "");
  rows.push(all);
  return { header, rows };
}

function renderMd(header: Row, rows: Row[]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** Queries that miss hit@5 (in-domain) or score too high (ood), worst first, per class. */
function failures(run: FusionRun, label: Pass["label"], s: Settings): Map<QueryClass, QueryResult[]> {
  const p = run.passes.find((x) => x.label === label);
  const out = new Map<QueryClass, QueryResult[]>();
  if (p === undefined) return out;
  const th = thresholdFor(run.fusion, s);
  for (const cls of QUERY_CLASSES) {
    const rs = p.results.filter((r) => r.cls === cls);
    const bad =
      cls === "ood"
        ? rs.filter((r) => r.topScore >= th).sort((a, b) => b.topScore - a.topScore)
        : rs.filter((r) => !hitAt(r.grades, 5)).sort((a, b) => (b.firstHit ?? 1e9) - (a.firstHit ?? 1e9));
    out.set(cls, bad);
  }
  return out;
}

function renderFailures(run: FusionRun, label: Pass["label"], s: Settings, perClass: number): string[] {
  const lines: string[] = [];
  for (const [cls, bad] of failures(run, label, s)) {
    if (bad.length === 0) continue;
    lines.push(`  ${cls}: ${bad.length} failing`);
    for (const r of bad.slice(0, perClass)) {
      const where = cls === "ood" ? `top score ${r.topScore.toFixed(3)}` : r.firstHit === undefined ? `answer not returned (${r.returned} facts)` : `answer at rank ${r.firstHit}`;
      lines.push(`    ${r.id} "${r.q}" — ${where}`);
      for (const t of r.top.slice(0, 3)) {
        lines.push(`        ${t.score.toFixed(3)} ${t.grade > 0 ? `[g${t.grade}]` : "     "} ${t.entity} ${t.relation} = ${t.value}  (${t.breakdown})`);
      }
    }
  }
  return lines;
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  const check = checkEvalSet();
  for (const l of check.info) log(`set: ${l}`);
  if (s.check) {
    for (const w of check.warnings) log(`warning: ${w}`);
    for (const e of check.errors) log(`ERROR: ${e}`);
    log(check.errors.length === 0 ? "evaluation set OK" : `${check.errors.length} error(s)`);
    return check.errors.length === 0 ? 0 : 1;
  }
  if (check.errors.length > 0) throw new Error(`the evaluation set is invalid (run with --check): ${check.errors[0]}`);

  const machine = describeMachine(ROOT);
  const started = Date.now();
  log(`bench:recall-eval — ${machine.cpu}, ${machine.cores} cores, ${fmtBytes(machine.ramBytes)} RAM, Node ${machine.node}, commit ${machine.commit}`);
  const evalSet = orgFacts();
  const distractors = distractorFacts();
  const runs: FusionRun[] = [];
  for (const fusion of s.fusions) {
    runs.push(await runFusion(fusion, s, evalSet, distractors));
  }
  // Same answers under every method usually means the node ignores STIGMEM_RECALL_FUSION.
  if (runs.length > 1) {
    const sig = (r: FusionRun) => JSON.stringify(r.passes[0]!.results.map((x) => x.top.map((t) => t.score)));
    if (runs.every((r) => sig(r) === sig(runs[0]!))) log("WARNING: every fusion method gave identical scores — does the node read STIGMEM_RECALL_FUSION?");
  }
  const wall = (Date.now() - started) / 1000;

  const labels: Pass["label"][] = s.distractors ? ["clean", "distractors"] : ["clean"];
  for (const label of labels) {
    const { header, rows } = tableRows(runs, label, s);
    const p0 = runs[0]!.passes.find((p) => p.label === label)!;
    log("");
    log(`${label === "clean" ? "Labelled set only" : "With distractors"} (${fmtInt(p0.facts)} facts written):`);
    log(textTable(header, rows));
  }
  for (const run of runs) {
    for (const label of labels) {
      const c = calibration(run.passes.find((p) => p.label === label)!.results);
      log(`calibration [${run.fusion}, ${label}]: in-domain top score median ${f2(c.inMedian)} (p10 ${f2(c.inP10)}), ood median ${f2(c.oodMedian)} (max ${f2(c.oodMax)}); ` +
        `best separating threshold ${c.threshold.toFixed(3)} (${pct(c.accuracy)} of queries on the right side)`);
    }
  }
  for (const run of runs) {
    for (const label of labels) {
      const lines = renderFailures(run, label, s, s.failures);
      log("");
      log(`Failures [${run.fusion}, ${label}]${lines.length === 0 ? ": none" : ""}`);
      for (const l of lines) log(l);
    }
  }
  mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  writeFileSync(REPORT_FILE, JSON.stringify({ machine, runs }, null, 1));
  log("");
  log(`every query's answers: ${path.relative(ROOT, REPORT_FILE)}`);
  log(`wall time: ${fmtDuration(wall)}`);
  const write = s.results === "yes" || (s.results === "auto" && s.distractors && s.fusions.includes("wsum") && s.fusions.includes("rrf"));
  if (write) {
    writeSection(RESULTS_FILE, "recall-eval", renderSection(runs, s, machine, wall, labels));
    log("bench/RESULTS.md: recall-eval section refreshed");
  } else {
    log("bench/RESULTS.md: not written (needs --fusion wsum,rrf with distractors, or --results yes)");
  }
  return 0;
}

function renderSection(runs: FusionRun[], s: Settings, m: Machine, wall: number, labels: Pass["label"][]): string {
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
  const first = runs[0]!;
  const c = first.passes[0]!.catchUp;
  const out = [
    "## Recall quality — `npm run bench:recall-eval`",
    "",
    "Serves the recall issue's acceptance. A hand-written organisation (`bench/recall-eval/`: people, teams, services,",
    "projects, decisions, offices, agents; reified relationships) and labelled queries in six classes, recalled over",
    "REST from a node started from `dist/` per fusion method (`STIGMEM_RECALL_FUSION`), default request fields but",
    `\`scope: "${EVAL_SCOPE}"\`${Object.keys(s.recallBody).length > 0 ? ` and ${JSON.stringify(s.recallBody)}` : ""}. hit@k: a grade-2 (answer) fact among the first k; nDCG@10 with gains 3 (answer) and 1 (context).`,
    "",
    `- **Run:** ${when} · commit ${m.commit} · wall time ${fmtDuration(wall)}`,
    `- **Machine:** ${machineLine(m)}`,
    `- **Semantic channel:** ${c.semantic ? `on (${c.hint.summary}; embeddings caught up ${c.seconds.toFixed(1)} s after the load, ${c.method})` : `off (${c.method}: ${c.hint.summary})`}`,
  ];
  for (const label of labels) {
    const { header, rows } = tableRows(runs, label, s);
    const p0 = first.passes.find((p) => p.label === label)!;
    out.push("", `**${label === "clean" ? "Labelled set only" : "With distractors"}** (${fmtInt(p0.facts)} facts written):`, "", renderMd(header, rows));
  }
  out.push("");
  for (const run of runs) {
    for (const label of labels) {
      const cal = calibration(run.passes.find((p) => p.label === label)!.results);
      out.push(`- Calibration, ${run.fusion}, ${label}: in-domain top score median ${f2(cal.inMedian)} (p10 ${f2(cal.inP10)}), out-of-domain median ${f2(cal.oodMedian)} (max ${f2(cal.oodMax)}); best separating threshold ${cal.threshold.toFixed(3)}.`);
    }
  }
  out.push("", `Failing queries ${labels.includes("distractors") ? "with distractors" : ""} by class (worst first; all of them in the run's output):`, "");
  for (const run of runs) {
    const fails = failures(run, labels[labels.length - 1]!, s);
    const parts = [...fails]
      .filter(([, b]) => b.length > 0)
      .map(([cls, b]) => `${cls} (${b.length}): ${b.slice(0, 6).map((r) => `${r.id} “${r.q}”`).join(", ")}${b.length > 6 ? ", …" : ""}`);
    out.push(`- **${run.fusion}:** ${parts.length === 0 ? "none" : parts.join("; ")}`);
  }
  return out.join("\n");
}

runBench("bench:recall-eval", main);
