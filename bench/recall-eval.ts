/**
 * `npm run bench:recall-eval` — recall quality on labelled evaluation sets.
 *
 * Two organisations (`recall-eval/eval-org.ts`): Acme, the set recall was
 * developed against, and Meridian, the held-out set written before any tuning
 * (`recall-eval/meridian/`). For each organisation and each fusion method
 * (`STIGMEM_RECALL_FUSION=wsum|rrf`, passed to the node's environment) it
 * starts the compiled node in a child process (auth off, loopback, fresh data
 * folder), loads the organisation's facts through `POST /v1/facts:batch`,
 * waits for the embedder to catch up (see `lib/recall-client.ts`), runs every
 * labelled query through `POST /v1/recall` and scores the answers: hit@1,
 * hit@5 and nDCG@10 per class, and the share of out-of-domain queries whose
 * top result scores below the stated threshold. Then it loads the
 * organisation's distractor facts into the same node and runs the queries
 * again. The fusion methods are printed side by side per organisation, with
 * the queries that fail per class, and bench/RESULTS.md gets a `recall-eval`
 * section (for a run of every organisation with both methods and the
 * distractors).
 *
 * `--check` validates the sets without a node; `--org` picks one organisation.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
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
import { EVAL_ORGS, selectOrgs, type EvalOrg } from "./recall-eval/eval-org.js";
import { currentView, firstHitRank, gradeOf, hitAt, idealGrades, ndcg } from "./recall-eval/metrics.js";
import { OOD_THRESHOLDS } from "./recall-eval/queries.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");
const REPORT_FILE = path.join(ROOT, "dist", "bench", "recall-eval-report.json");

/** The recall issue's targets (issue 14), with distractors, for every organisation. */
const TARGETS = { hit5: 0.95, oodBelow: 0.95 };

const USAGE = `npm run bench:recall-eval -- [options]   (or: node dist/bench/recall-eval.js [options])

  --org NAME             organisation to evaluate: ${EVAL_ORGS.map((o) => o.id).join(", ")} or all (default all; BENCH_ORG)
  --fusion LIST          fusion methods to compare, comma-separated, each passed to the node as
                         STIGMEM_RECALL_FUSION (default wsum,rrf; "node-default" leaves it unset; BENCH_FUSION)
  --distractors yes|no   second pass with the organisation's distractor facts loaded (default yes; BENCH_DISTRACTORS)
  --ood-threshold X      top score an out-of-domain query must stay below, for every method
                         (default per method: ${Object.entries(OOD_THRESHOLDS).map(([k, v]) => `${k} ${v}`).join(", ")}; BENCH_OOD_THRESHOLD)
  --failures N           failing queries printed per class (default 5; BENCH_FAILURES)
  --recall-body JSON     extra fields for every recall request, e.g. '{"depth":3}' (BENCH_RECALL_BODY)
  --embed-timeout S      longest wait for the embedder to catch up (default 600; BENCH_EMBED_TIMEOUT)
  --results auto|yes|no  refresh bench/RESULTS.md: auto = when every organisation ran with wsum, rrf and distractors (BENCH_RESULTS)
  --log-level LEVEL      the node's log level (default warn; BENCH_LOG_LEVEL)
  --tmp DIR              parent folder of the node's temp data folder (BENCH_TMP)
  --keep                 keep the data folders afterwards
  --check                validate the evaluation sets offline (no node) and exit
  --help                 this text
`;

interface Settings {
  orgs: EvalOrg[];
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
      org: { type: "string" },
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
    orgs: selectOrgs(v.org ?? env.BENCH_ORG ?? "all"),
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
  cls: string;
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
  org: string;
  fusion: string;
  passes: Pass[];
  loadSeconds: number;
  doctorFusion: string | undefined;
}

async function runQueries(org: EvalOrg, url: string, view: readonly AssertBody[], extra: Record<string, unknown>): Promise<QueryResult[]> {
  const client = new RecallClient(url, 1);
  const out: QueryResult[] = [];
  const short = (uri: string) => (uri.startsWith(`${org.authority}/`) ? uri.slice(org.authority.length + 1) : uri);
  const grade = (q: EvalOrg["queries"][number], f: ScoredFact) => gradeOf(q, f.fact, org.authority);
  try {
    for (const q of org.queries) {
      const { res, ms } = await client.recall({ ...extra, query: q.q, scope: org.scope });
      const facts: ScoredFact[] = res.facts;
      const grades = facts.slice(0, 10).map((f) => grade(q, f));
      const allGrades = facts.map((f) => grade(q, f));
      out.push({
        id: q.id,
        cls: q.cls,
        q: q.q,
        grades,
        firstHit: firstHitRank(allGrades),
        ndcg10: q.cls === org.oodClass ? 0 : ndcg(grades, idealGrades(q, view, org.authority), 10),
        topScore: facts.reduce((m, f) => Math.max(m, f.score), 0),
        returned: facts.length,
        ms,
        top: facts.slice(0, 5).map((f) => ({
          entity: short(f.fact.entity),
          relation: f.fact.relation,
          value: short(String(f.fact.value.v)).slice(0, 60),
          score: f.score,
          grade: grade(q, f),
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

async function runFusion(org: EvalOrg, fusion: string, s: Settings, evalSet: ReturnType<EvalOrg["facts"]>, distractors: AssertBody[]): Promise<FusionRun> {
  if (fusion === "node-default") delete process.env.STIGMEM_RECALL_FUSION;
  else process.env.STIGMEM_RECALL_FUSION = fusion;
  const node = await startNodeProcess({ root: ROOT, logLevel: s.logLevel, tmpDir: s.tmpDir });
  const tag = `${org.id}, ${fusion}`;
  log(`[${tag}] node pid ${node.pid}, ${node.url}`);
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
    log(`[${tag}] loaded ${fmtInt(load1.accepted + load2.accepted)} facts in ${fmtDuration(load1.seconds + load2.seconds)}; ` +
      `semantic channel ${c1.semantic ? `on (caught up after ${c1.seconds.toFixed(1)} s, ${c1.method})` : `OFF (${c1.method})`}; ${c1.hint.summary}`);
    const passes: Pass[] = [];
    passes.push({ label: "clean", facts: evalLoaded.length, catchUp: c1, results: await runQueries(org, node.url, currentView(evalLoaded), s.recallBody) });
    log(`[${tag}] clean pass: ${summaryLine(org, passes[0]!.results, thresholdFor(fusion, s))}`);
    if (s.distractors) {
      const load3 = await loadFacts(node.url, distractors);
      const c2 = await waitForEmbeddings(node.url, { timeoutMs, log });
      log(`[${tag}] + ${fmtInt(load3.accepted)} distractors in ${fmtDuration(load3.seconds)}; ` +
        (c2.semantic ? `embedder caught up after ${c2.seconds.toFixed(1)} s (${c2.method})` : `semantic channel off (${c2.method})`));
      const all = [...evalLoaded, ...distractors];
      passes.push({ label: "distractors", facts: all.length, catchUp: c2, results: await runQueries(org, node.url, currentView(all), s.recallBody) });
      log(`[${tag}] with distractors: ${summaryLine(org, passes[1]!.results, thresholdFor(fusion, s))}`);
    }
    await node.stop();
    stopped = true;
    return { org: org.id, fusion, passes, loadSeconds: load1.seconds + load2.seconds, doctorFusion: c1.hint.fusion };
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

function classFigures(results: QueryResult[], cls: string, threshold: number): ClassFigures {
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

function inDomain(org: EvalOrg, results: QueryResult[]): QueryResult[] {
  return results.filter((r) => r.cls !== org.oodClass);
}

function summaryLine(org: EvalOrg, results: QueryResult[], threshold: number): string {
  const ind = inDomain(org, results);
  const hit5 = ind.filter((r) => hitAt(r.grades, 5)).length / ind.length;
  const ood = classFigures(results, org.oodClass, threshold);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return `in-domain hit@5 ${pct(hit5)}, ood below ${threshold}: ${pct(ood.below)}; median recall ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms`;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : "n/a");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");

/** The threshold that best separates in-domain top scores (≥) from out-of-domain ones (<). */
function calibration(org: EvalOrg, results: QueryResult[]): { threshold: number; accuracy: number; inMedian: number; inP10: number; oodMedian: number; oodMax: number } {
  const ins = inDomain(org, results).map((r) => r.topScore).sort((a, b) => a - b);
  const oods = results.filter((r) => r.cls === org.oodClass).map((r) => r.topScore).sort((a, b) => a - b);
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

function tableRows(org: EvalOrg, runs: FusionRun[], label: Pass["label"], s: Settings): { header: Row; rows: Row[] } {
  const header: Row = ["class", "n"];
  for (const r of runs) header.push(`${r.fusion} hit@1`, `${r.fusion} hit@5`, `${r.fusion} nDCG@10`);
  header.push("target", runs.map((r) => r.fusion).join(" / "));
  const rows: Row[] = [];
  const passOf = (r: FusionRun) => r.passes.find((p) => p.label === label);
  for (const cls of org.classes) {
    const ood = cls === org.oodClass;
    const row: Row = [cls, ""];
    const verdicts: string[] = [];
    for (const r of runs) {
      const p = passOf(r);
      const th = thresholdFor(r.fusion, s);
      const c = p === undefined ? undefined : classFigures(p.results, cls, th);
      row[1] = String(c?.n ?? "");
      if (c === undefined) row.push("–", "–", "–");
      else if (ood) row.push(`top < ${th}: ${pct(c.below)}`, `max top ${f2(c.maxTop)}`, "–");
      else row.push(f2(c.hit1), f2(c.hit5), f2(c.ndcg10));
      if (c !== undefined) verdicts.push(verdict(ood ? c.below >= TARGETS.oodBelow : c.hit5 >= TARGETS.hit5));
    }
    row.push(ood ? `≥ ${TARGETS.oodBelow * 100} % below` : `hit@5 ≥ ${TARGETS.hit5}`, verdicts.join(" / "));
    rows.push(row);
  }
  const all: Row = ["all in-domain", ""];
  for (const r of runs) {
    const p = passOf(r);
    const ind = p === undefined ? [] : inDomain(org, p.results);
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
function failures(org: EvalOrg, run: FusionRun, label: Pass["label"], s: Settings): Map<string, QueryResult[]> {
  const p = run.passes.find((x) => x.label === label);
  const out = new Map<string, QueryResult[]>();
  if (p === undefined) return out;
  const th = thresholdFor(run.fusion, s);
  for (const cls of org.classes) {
    const rs = p.results.filter((r) => r.cls === cls);
    const bad =
      cls === org.oodClass
        ? rs.filter((r) => r.topScore >= th).sort((a, b) => b.topScore - a.topScore)
        : rs.filter((r) => !hitAt(r.grades, 5)).sort((a, b) => (b.firstHit ?? 1e9) - (a.firstHit ?? 1e9));
    out.set(cls, bad);
  }
  return out;
}

function renderFailures(org: EvalOrg, run: FusionRun, label: Pass["label"], s: Settings, perClass: number): string[] {
  const lines: string[] = [];
  for (const [cls, bad] of failures(org, run, label, s)) {
    if (bad.length === 0) continue;
    lines.push(`  ${cls}: ${bad.length} failing`);
    for (const r of bad.slice(0, perClass)) {
      const where = cls === org.oodClass ? `top score ${r.topScore.toFixed(3)}` : r.firstHit === undefined ? `answer not returned (${r.returned} facts)` : `answer at rank ${r.firstHit}`;
      lines.push(`    ${r.id} "${r.q}" — ${where}`);
      for (const t of r.top.slice(0, 3)) {
        lines.push(`        ${t.score.toFixed(3)} ${t.grade > 0 ? `[g${t.grade}]` : "     "} ${t.entity} ${t.relation} = ${t.value}  (${t.breakdown})`);
      }
    }
  }
  return lines;
}

/** An organisation's runs, one per fusion method. */
interface OrgRuns {
  org: EvalOrg;
  runs: FusionRun[];
}

async function main(argv: string[]): Promise<number> {
  const s = parseSettings(argv);
  if (s === undefined) return 0;
  let invalid = 0;
  for (const org of s.orgs) {
    const check = checkEvalSet(org);
    for (const l of check.info) log(`set [${org.id}]: ${l}`);
    if (s.check) {
      for (const w of check.warnings) log(`warning [${org.id}]: ${w}`);
      for (const e of check.errors) log(`ERROR [${org.id}]: ${e}`);
      log(check.errors.length === 0 ? `${org.id}: evaluation set OK` : `${org.id}: ${check.errors.length} error(s)`);
    } else if (check.errors.length > 0) {
      throw new Error(`the ${org.id} evaluation set is invalid (run with --check): ${check.errors[0]}`);
    }
    invalid += check.errors.length;
  }
  if (s.check) return invalid === 0 ? 0 : 1;

  const machine = describeMachine(ROOT);
  const started = Date.now();
  log(`bench:recall-eval — ${machine.cpu}, ${machine.cores} cores, ${fmtBytes(machine.ramBytes)} RAM, Node ${machine.node}, commit ${machine.commit}`);
  const all: OrgRuns[] = [];
  for (const org of s.orgs) {
    const evalSet = org.facts();
    const distractors = org.distractors();
    const runs: FusionRun[] = [];
    for (const fusion of s.fusions) runs.push(await runFusion(org, fusion, s, evalSet, distractors));
    // Same answers under every method usually means the node ignores STIGMEM_RECALL_FUSION.
    if (runs.length > 1) {
      const sig = (r: FusionRun) => JSON.stringify(r.passes[0]!.results.map((x) => x.top.map((t) => t.score)));
      if (runs.every((r) => sig(r) === sig(runs[0]!))) log(`WARNING [${org.id}]: every fusion method gave identical scores — does the node read STIGMEM_RECALL_FUSION?`);
    }
    all.push({ org, runs });
  }
  const wall = (Date.now() - started) / 1000;

  const labels: Pass["label"][] = s.distractors ? ["clean", "distractors"] : ["clean"];
  for (const { org, runs } of all) {
    for (const label of labels) {
      const { header, rows } = tableRows(org, runs, label, s);
      const p0 = runs[0]!.passes.find((p) => p.label === label)!;
      log("");
      log(`${org.title} — ${label === "clean" ? "labelled set only" : "with distractors"} (${fmtInt(p0.facts)} facts written):`);
      log(textTable(header, rows));
    }
  }
  for (const { org, runs } of all) {
    for (const run of runs) {
      for (const label of labels) {
        const c = calibration(org, run.passes.find((p) => p.label === label)!.results);
        log(`calibration [${org.id}, ${run.fusion}, ${label}]: in-domain top score median ${f2(c.inMedian)} (p10 ${f2(c.inP10)}), ood median ${f2(c.oodMedian)} (max ${f2(c.oodMax)}); ` +
          `best separating threshold ${c.threshold.toFixed(3)} (${pct(c.accuracy)} of queries on the right side)`);
      }
    }
  }
  for (const { org, runs } of all) {
    for (const run of runs) {
      for (const label of labels) {
        const lines = renderFailures(org, run, label, s, s.failures);
        log("");
        log(`Failures [${org.id}, ${run.fusion}, ${label}]${lines.length === 0 ? ": none" : ""}`);
        for (const l of lines) log(l);
      }
    }
  }
  mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  writeFileSync(REPORT_FILE, JSON.stringify({ machine, orgs: all.map(({ org, runs }) => ({ org: org.id, runs })) }, null, 1));
  log("");
  log(`every query's answers: ${path.relative(ROOT, REPORT_FILE)}`);
  log(`wall time: ${fmtDuration(wall)}`);
  const everyOrg = EVAL_ORGS.every((o) => s.orgs.includes(o));
  const write = s.results === "yes" || (s.results === "auto" && everyOrg && s.distractors && s.fusions.includes("wsum") && s.fusions.includes("rrf"));
  if (write) {
    writeSection(RESULTS_FILE, "recall-eval", renderSection(all, s, machine, wall, labels));
    log("bench/RESULTS.md: recall-eval section refreshed");
  } else {
    log("bench/RESULTS.md: not written (needs --org all --fusion wsum,rrf with distractors, or --results yes)");
  }
  return 0;
}

/** The commit that added `file` (the held-out set's first commit), or undefined outside a git checkout. */
function addedIn(file: string): string | undefined {
  try {
    const out = execFileSync("git", ["log", "--diff-filter=A", "--format=%h", "--", file], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return out === "" ? undefined : out.split("\n").pop();
  } catch {
    return undefined;
  }
}

function renderOrg({ org, runs }: OrgRuns, s: Settings, labels: Pass["label"][]): string[] {
  const first = runs[0]!;
  const added = org.heldOut ? addedIn(path.join(org.folder, "queries.ts")) : undefined;
  const out = [
    `### ${org.title} — \`${org.folder}\``,
    "",
    org.heldOut
      ? `Held out: written before any tuning${added === undefined ? "" : ` (added in ${added})`} and never changed to fit the code. ${org.queries.length} questions, scope \`"${org.scope}"\`.`
      : `The set recall was developed against. ${org.queries.length} questions, scope \`"${org.scope}"\`.`,
  ];
  for (const label of labels) {
    const { header, rows } = tableRows(org, runs, label, s);
    const p0 = first.passes.find((p) => p.label === label)!;
    out.push("", `**${label === "clean" ? "Labelled set only" : "With distractors"}** (${fmtInt(p0.facts)} facts written):`, "", renderMd(header, rows));
  }
  out.push("");
  for (const run of runs) {
    for (const label of labels) {
      const cal = calibration(org, run.passes.find((p) => p.label === label)!.results);
      out.push(`- Calibration, ${run.fusion}, ${label}: in-domain top score median ${f2(cal.inMedian)} (p10 ${f2(cal.inP10)}), out-of-domain median ${f2(cal.oodMedian)} (max ${f2(cal.oodMax)}); best separating threshold ${cal.threshold.toFixed(3)}.`);
    }
  }
  out.push("", `Failing queries ${labels.includes("distractors") ? "with distractors" : ""} by class (worst first; all of them in the run's output):`, "");
  for (const run of runs) {
    const fails = failures(org, run, labels[labels.length - 1]!, s);
    const parts = [...fails]
      .filter(([, b]) => b.length > 0)
      .map(([cls, b]) => `${cls} (${b.length}): ${b.slice(0, 6).map((r) => `${r.id} “${r.q}”`).join(", ")}${b.length > 6 ? ", …" : ""}`);
    out.push(`- **${run.fusion}:** ${parts.length === 0 ? "none" : parts.join("; ")}`);
  }
  return out;
}

function renderSection(all: OrgRuns[], s: Settings, m: Machine, wall: number, labels: Pass["label"][]): string {
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
  const c = all[0]!.runs[0]!.passes[0]!.catchUp;
  const out = [
    "## Recall quality — `npm run bench:recall-eval`",
    "",
    "Serves the recall issues' acceptance. Two hand-written organisations, each with labelled queries and same-relation",
    "distractors: Acme (`bench/recall-eval/`: people, teams, services, projects, decisions, offices, agents; reified",
    "relationships), the set recall was developed against, and Meridian Health Network (`bench/recall-eval/meridian/`:",
    "staff, departments, wards, clinical systems, interfaces, vendors, contracts, devices, changes, incidents), the",
    "held-out set written before any tuning. Each is recalled over REST from its own node started from `dist/` per",
    "fusion method (`STIGMEM_RECALL_FUSION`), default request fields but the organisation's scope" +
      `${Object.keys(s.recallBody).length > 0 ? ` and ${JSON.stringify(s.recallBody)}` : ""}. hit@k: a grade-2 (answer) fact among the first k; nDCG@10 with gains 3 (answer) and 1 (context).`,
    "",
    `- **Run:** ${when} · commit ${m.commit} · wall time ${fmtDuration(wall)}`,
    `- **Machine:** ${machineLine(m)}`,
    `- **Semantic channel:** ${c.semantic ? `on (${c.hint.summary}; embeddings caught up ${c.seconds.toFixed(1)} s after the load, ${c.method})` : `off (${c.method}: ${c.hint.summary})`}`,
  ];
  for (const o of all) out.push("", ...renderOrg(o, s, labels));
  return out.join("\n");
}

runBench("bench:recall-eval", main);
