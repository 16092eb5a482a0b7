/**
 * Replication lag measured end to end, the way a reader of the second node
 * would see it: every period a marker fact is written to the publisher
 * (`POST /v1/facts`, its own connection, so it does not wait behind the load's
 * clients), and the puller is asked for the marker's entity over its REST
 * API (`GET /v1/facts?entity=…`) every few milliseconds until it answers
 * with it. The lag of a marker runs from the publisher's acknowledgement
 * (the write committed there) until the puller serves it; the time from
 * sending the write is kept too.
 *
 * The puller's `stigmem_federation_peer_lag_seconds` gauge is not used: it
 * says how long ago the puller last knew it was caught up, which is not the
 * age of the newest fact a reader cannot see yet.
 *
 * @module
 */
import { JsonClient } from "./http.js";
import { nowNs, Samples } from "./stats.js";

export interface LagOptions {
  /** Milliseconds between markers (default 1,000). */
  everyMs?: number;
  /** Milliseconds between the puller's answers and the next ask while a marker is missing (default 20). */
  pollMs?: number;
  /** The scope the markers are written in: one the publisher shares with the puller. */
  scope: string;
}

export interface LagInterval {
  /** Acknowledgement on the publisher → served by the puller, for markers that arrived in the interval. */
  readonly lag: Samples;
  /** Request sent to the publisher → served by the puller. */
  readonly fromSend: Samples;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LagProbe {
  private interval: LagInterval = { lag: new Samples(), fromSend: new Samples() };
  /** Every marker that arrived, over the whole run. */
  readonly total: LagInterval = { lag: new Samples(), fromSend: new Samples() };
  /** Markers the publisher acknowledged (201). */
  acked = 0;
  /** Markers acknowledged but not served by the puller (yet). */
  missing = 0;
  /** Marker writes or puller reads that failed (transport error or an unexpected status). */
  errors = 0;
  readonly errorSamples: string[] = [];
  private readonly publisher: JsonClient;
  private readonly puller: JsonClient;
  private readonly markers: Promise<void>[] = [];
  private sending = true;
  private giveUpAt = Infinity;
  private readonly ticker: Promise<void>;

  constructor(publisherUrl: string, pullerUrl: string, private readonly opts: LagOptions) {
    this.publisher = new JsonClient(publisherUrl, 4);
    this.puller = new JsonClient(pullerUrl, 4);
    this.ticker = this.tick();
  }

  /** The markers that arrived since the last call. */
  drain(): LagInterval {
    const out = this.interval;
    this.interval = { lag: new Samples(), fromSend: new Samples() };
    return out;
  }

  /** Stops sending markers and waits up to `waitMs` for those still on their way; `missing` counts the rest. */
  async stop(waitMs: number): Promise<void> {
    this.sending = false;
    await this.ticker;
    this.giveUpAt = Date.now() + waitMs;
    await Promise.all(this.markers);
    this.publisher.close();
    this.puller.close();
  }

  private async tick(): Promise<void> {
    const every = this.opts.everyMs ?? 1_000;
    const begin = performance.now();
    for (let i = 0; this.sending; i++) {
      this.markers.push(this.marker(i));
      const due = begin + (i + 1) * every;
      while (this.sending && performance.now() < due) await sleep(Math.min(100, due - performance.now()));
    }
  }

  private async marker(i: number): Promise<void> {
    const entity = `stigmem://bench/soak-marker/${i}`;
    const body = JSON.stringify({ entity, relation: "memory:soak_marker", value: { type: "number", v: i }, source: "agent:soak-probe", scope: this.opts.scope });
    const sent = nowNs();
    try {
      const w = await this.publisher.request("POST", "/v1/facts", body);
      if (w.status !== 201) return this.fail(`marker ${i}: HTTP ${w.status} ${w.text.slice(0, 200)}`);
      const acked = nowNs();
      this.acked++;
      const ask = `/v1/facts?entity=${encodeURIComponent(entity)}&limit=1`;
      for (;;) {
        const r = await this.puller.request("GET", ask);
        if (r.status !== 200) return this.fail(`marker ${i} on the puller: HTTP ${r.status} ${r.text.slice(0, 200)}`);
        if ((JSON.parse(r.text) as { facts: unknown[] }).facts.length > 0) break;
        if (Date.now() > this.giveUpAt) {
          this.missing++;
          return;
        }
        await sleep(this.opts.pollMs ?? 20);
      }
      const seen = nowNs();
      for (const into of [this.interval, this.total]) {
        into.lag.add(seen - acked);
        into.fromSend.add(seen - sent);
      }
    } catch (e) {
      this.fail(`marker ${i}: ${(e as Error).message}`);
    }
  }

  private fail(message: string): void {
    this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(message);
  }
}
