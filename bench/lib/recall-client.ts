/**
 * Recall over REST for the benchmarks, and the wait for the node's embedder
 * to catch up with the facts just loaded.
 *
 * How the wait works (embedding is asynchronous after commit, protocol.md §9):
 *
 * 1. `/v1/doctor` is read and searched for anything about embedding (a key
 *    containing "embed"). An explicit null/false/"none"/"off" there means the
 *    node has no embedder: nothing to wait for. A numeric backlog under such a
 *    key (pending, backlog, queue, lag, behind, unembedded, remaining) is
 *    polled until it reads 0.
 * 2. A sentinel fact is written **last**, in scope `local` (the evaluation
 *    recalls from `company`, so it never shows up there), and recall is asked
 *    for its exact text until the sentinel comes back with a semantic score
 *    above 0. Embedding follows commit order, so the sentinel's vector means
 *    the facts written before it have theirs.
 * 3. Without a doctor hint, a sentinel that gets no semantic score within the
 *    grace period (default 20 s) means there is no embedder; the benchmark
 *    then reports the semantic channel as off.
 *
 * @module
 */
import type { components } from "../../gen/openapi/stigmem.js";
import { expectStatus, JsonClient } from "./http.js";
import { nowNs } from "./stats.js";

/** The wire shapes of our own REST contract (openapi/stigmem.yaml). */
type Schemas = components["schemas"];
export type ScoredFact = Schemas["ScoredFact"];
export type RecallResponse = Schemas["RecallResponse"];

export type RecallBody = { query: string; scope?: string } & Record<string, unknown>;

export class RecallClient {
  private readonly http: JsonClient;

  constructor(baseUrl: string, maxSockets = 1) {
    this.http = new JsonClient(baseUrl, maxSockets);
  }

  /**
   * One recall; returns the parsed answer, the round-trip time in ms and the
   * node's own account of it (`Server-Timing`: phase → ms; empty when the
   * node sends none). Throws unless 200.
   */
  async recall(body: RecallBody): Promise<{ res: RecallResponse; ms: number; serverTiming: Map<string, number> }> {
    const text = JSON.stringify(body);
    const t0 = nowNs();
    const a = await this.http.request("POST", "/v1/recall", text);
    const ms = (nowNs() - t0) / 1e6;
    expectStatus(a, 200, `POST /v1/recall ${JSON.stringify(body.query)}`);
    const header = a.headers["server-timing"];
    return { res: JSON.parse(a.text) as RecallResponse, ms, serverTiming: parseServerTiming(typeof header === "string" ? header : "") };
  }

  /** The HTTP status of a minimal recall (501 until recall lands). */
  async status(): Promise<number> {
    const a = await this.http.request("POST", "/v1/recall", JSON.stringify({ query: "status probe", scope: "local" }));
    return a.status;
  }

  close(): void {
    this.http.close();
  }
}

/** `name;dur=ms` entries of a Server-Timing value (others are left out), in their order. */
export function parseServerTiming(value: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of value.split(",")) {
    const m = /^\s*([\w-]+)\s*;\s*dur=([\d.]+)\s*$/.exec(entry);
    if (m !== null) out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[2]));
  }
  return out;
}

/** What `/v1/doctor` says about embedding, found by key names (the report's shape is the embedder's to choose). */
export interface EmbedderHint {
  /** true / false when the doctor says so; undefined when it says nothing. */
  present: boolean | undefined;
  /** The embedding-related part of the report, for the log. */
  summary: string;
  /** A backlog count, when the report has one. */
  pending: number | undefined;
  /** A fusion method, when the report names one. */
  fusion: string | undefined;
}

const BACKLOG_KEY = /pending|backlog|queue|lag|behind|unembedded|remaining/i;

export async function readDoctor(baseUrl: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}/v1/doctor`);
  return (await res.json()) as Record<string, unknown>;
}

/** Searches a doctor report for embedding and fusion hints. */
export function embedderHint(doctor: unknown): EmbedderHint {
  const found: [string, unknown][] = [];
  let fusion: string | undefined;
  const walk = (v: unknown, path: string) => {
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = path === "" ? k : `${path}.${k}`;
      if (/embed/i.test(k)) found.push([p, x]);
      if (/fusion/i.test(k) && typeof x === "string") fusion = x;
      walk(x, p);
    }
  };
  walk(doctor, "");
  let present: boolean | undefined;
  let pending: number | undefined;
  for (const [, v] of found) {
    if (v === null || v === false || (typeof v === "string" && /^(none|off|disabled|null)$/i.test(v))) present ??= false;
    else present = true;
  }
  const scan = (v: unknown) => {
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x === "number" && BACKLOG_KEY.test(k)) pending = Math.max(pending ?? 0, x);
      scan(x);
    }
  };
  for (const [k, v] of found) {
    if (typeof v === "number" && BACKLOG_KEY.test(k)) pending = Math.max(pending ?? 0, v);
    scan(v);
  }
  const summary = found.length === 0 ? "(doctor names no embedder)" : found.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ").slice(0, 400);
  return { present, summary, pending, fusion };
}

export interface CatchUp {
  /** Whether recall has a working semantic channel. */
  semantic: boolean;
  /** Seconds from the call until caught up (or until giving up). */
  seconds: number;
  /** How it was decided. */
  method: "doctor-says-none" | "doctor-backlog+sentinel" | "sentinel" | "no-semantic-score" | "timeout";
  hint: EmbedderHint;
}

export interface CatchUpOptions {
  /** Give up after this long (the embedder is slower than the load at scale). */
  timeoutMs?: number;
  /** Without a doctor hint: how long a sentinel may go without a semantic score before "no embedder". */
  graceMs?: number;
  log?: (line: string) => void;
}

const SENTINEL = {
  entity: "stigmem://bench-probe/probe/embedding-sentinel",
  relation: "memory:note",
  source: "stigmem://bench-probe/agent/bench",
  scope: "local",
};
let sentinelCount = 0;

/** Waits until the embedder has embedded everything written before this call (see the module comment). */
export async function waitForEmbeddings(baseUrl: string, opts: CatchUpOptions = {}): Promise<CatchUp> {
  const timeoutMs = opts.timeoutMs ?? 60 * 60_000;
  const graceMs = opts.graceMs ?? 20_000;
  const t0 = nowNs();
  const elapsedMs = () => (nowNs() - t0) / 1e6;
  let hint = embedderHint(await readDoctor(baseUrl));
  if (hint.present === false) return { semantic: false, seconds: elapsedMs() / 1000, method: "doctor-says-none", hint };

  sentinelCount += 1;
  const text = `lighthouse keeper ${sentinelCount} paints the harbour wall green before the evening storm`;
  const http = new JsonClient(baseUrl, 1);
  const client = new RecallClient(baseUrl, 1);
  try {
    const a = await http.request(
      "POST",
      "/v1/facts",
      JSON.stringify({ ...SENTINEL, value: { type: "text", v: text }, confidence: 1 }),
    );
    expectStatus(a, 201, "POST /v1/facts (embedding sentinel)");
    const sentinelId = (JSON.parse(a.text) as { id: string }).id;
    let lastLog = 0;
    for (let i = 0; ; i++) {
      hint = embedderHint(await readDoctor(baseUrl));
      const { res } = await client.recall({ query: text, scope: SENTINEL.scope, include_neighbors: false, token_budget: 2000 });
      const hit = res.facts.find((f) => f.fact.id === sentinelId);
      const semanticOk = hit !== undefined && hit.score_breakdown.semantic > 0;
      const backlogOk = hint.pending === undefined || hint.pending === 0;
      if (semanticOk && backlogOk) {
        return { semantic: true, seconds: elapsedMs() / 1000, method: hint.pending === undefined ? "sentinel" : "doctor-backlog+sentinel", hint };
      }
      if (!semanticOk && hint.present !== true && elapsedMs() > graceMs) {
        return { semantic: false, seconds: elapsedMs() / 1000, method: "no-semantic-score", hint };
      }
      if (elapsedMs() > timeoutMs) return { semantic: semanticOk, seconds: elapsedMs() / 1000, method: "timeout", hint };
      if (opts.log !== undefined && elapsedMs() - lastLog > 15_000) {
        opts.log(`    waiting for the embedder: ${(elapsedMs() / 1000).toFixed(0)} s${hint.pending === undefined ? "" : `, backlog ${hint.pending}`}`);
        lastLog = elapsedMs();
      }
      await new Promise((r) => setTimeout(r, Math.min(1000, 100 * (i + 1))));
    }
  } finally {
    http.close();
    client.close();
  }
}
