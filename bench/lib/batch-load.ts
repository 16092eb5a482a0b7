/**
 * Loads facts into a running node through `POST /v1/facts:batch`, a few
 * batches in flight, failing on the first rejected item (a benchmark whose
 * data did not load measures nothing).
 *
 * @module
 */
import type { AssertBody } from "./dataset.js";
import { expectStatus, JsonClient } from "./http.js";
import { fmtDuration, fmtInt, nowNs } from "./stats.js";

export interface LoadOptions {
  /** Facts per batch (the API allows 500). */
  batchSize?: number;
  /** Batches in flight at once. */
  inFlight?: number;
  /** Expected total, for progress lines; progress is off when undefined. */
  total?: number;
  /** Receives a progress line about every 15 s and every 5 % of `total`. */
  progress?: (line: string) => void;
  /** Called after each accepted batch with the running total and that batch's round-trip time. */
  onBatch?: (acceptedSoFar: number, latencyNs: number) => void;
}

export interface LoadResult {
  accepted: number;
  batches: number;
  seconds: number;
}

/** Sends every fact of `facts` (consumed lazily, in order; batches may overlap in time). */
export async function loadFacts(baseUrl: string, facts: Iterable<AssertBody>, opts: LoadOptions = {}): Promise<LoadResult> {
  const batchSize = opts.batchSize ?? 500;
  const inFlight = opts.inFlight ?? 2;
  const client = new JsonClient(baseUrl, inFlight);
  const it = facts[Symbol.iterator]();
  let done = false;
  const nextBody = (): string | undefined => {
    if (done) return undefined;
    const items: AssertBody[] = [];
    while (items.length < batchSize) {
      const r = it.next();
      if (r.done === true) {
        done = true;
        break;
      }
      items.push(r.value);
    }
    return items.length === 0 ? undefined : JSON.stringify({ facts: items, atomic: false });
  };
  let accepted = 0;
  let batches = 0;
  const t0 = nowNs();
  let lastLine = t0;
  let lineAt = 0;
  const step = opts.total === undefined ? Infinity : Math.max(batchSize, Math.round(opts.total / 20));
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (;;) {
          const body = nextBody();
          if (body === undefined) return;
          const sent = nowNs();
          const a = await client.request("POST", "/v1/facts:batch", body);
          const latency = nowNs() - sent;
          expectStatus(a, 200, "POST /v1/facts:batch");
          const res = JSON.parse(a.text) as { accepted: number; rejected: number; results: { status: string }[] };
          if (res.rejected > 0) {
            const bad = res.results.find((r) => r.status !== "accepted");
            throw new Error(`batch rejected ${res.rejected} item(s), e.g. ${JSON.stringify(bad)}`);
          }
          accepted += res.accepted;
          batches += 1;
          opts.onBatch?.(accepted, latency);
          const now = nowNs();
          if (opts.progress !== undefined && opts.total !== undefined && (accepted - lineAt >= step || now - lastLine > 15e9)) {
            const secs = (now - t0) / 1e9;
            const pct = ((accepted / opts.total) * 100).toFixed(0).padStart(3);
            opts.progress(`    ${fmtInt(accepted).padStart(11)} / ${fmtInt(opts.total)} facts (${pct}%), ${fmtInt(accepted / secs)} facts/s, ${fmtDuration(secs)}`);
            lineAt = accepted;
            lastLine = now;
          }
        }
      }),
    );
  } finally {
    client.close();
  }
  return { accepted, batches, seconds: (nowNs() - t0) / 1e9 };
}
