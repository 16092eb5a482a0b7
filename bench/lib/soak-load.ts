/**
 * The soak's load: closed-loop keep-alive clients sending a fixed mix of
 * writes (single and batch), reads (by entity and by id) and recalls, with
 * per-interval counts and latency samples the harness drains every
 * sampling period. Entities are those of the benchmark data set
 * (dataset.ts), which the harness preloads: writes add to and supersede
 * their chains, reads and recalls find them.
 *
 * @module
 */
import { JsonClient } from "./http.js";
import { entityUri, Rng } from "./dataset.js";
import { nowNs, Samples } from "./stats.js";

export const OPS = ["write", "batch", "read", "get", "recall"] as const;
export type Op = (typeof OPS)[number];

/** Share of each operation, in percent. */
export const MIX: Readonly<Record<Op, number>> = { write: 30, batch: 5, read: 25, get: 15, recall: 25 };

/** Words of the data set's texts, so recalls find something. */
const WORDS = ["roadmap", "migration", "latency", "customer", "billing", "invoice", "review", "launch", "owner", "incident",
  "budget", "hiring", "design", "security", "audit", "release", "contract", "pipeline", "berlin", "lisbon"];

export interface IntervalFigures {
  readonly count: Record<Op, number>;
  readonly latency: Record<Op, Samples>;
  /** Answers that were neither the expected success nor 503 overloaded, and transport errors. */
  errors: number;
  /** 503 overloaded answers (load shedding). */
  shed: number;
}

function emptyInterval(): IntervalFigures {
  return {
    count: Object.fromEntries(OPS.map((o) => [o, 0])) as Record<Op, number>,
    latency: Object.fromEntries(OPS.map((o) => [o, new Samples()])) as Record<Op, Samples>,
    errors: 0,
    shed: 0,
  };
}

export class SoakLoad {
  private interval = emptyInterval();
  private readonly ids: string[] = [];
  private stopped = false;
  private readonly client: JsonClient;
  private readonly running: Promise<void>[] = [];
  /** A few error answers, for the report. */
  readonly errorSamples: string[] = [];

  constructor(
    private readonly url: string,
    clients: number,
    private readonly entities: number,
    seed: number,
  ) {
    this.client = new JsonClient(url, clients);
    for (let c = 0; c < clients; c++) this.running.push(this.loop(new Rng(seed * 1_000 + c)));
  }

  /** Returns the figures since the last call and starts a new interval. */
  drain(): IntervalFigures {
    const out = this.interval;
    this.interval = emptyInterval();
    return out;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
    this.client.close();
  }

  private pick(rng: Rng): Op {
    let r = rng.next() * 100;
    for (const op of OPS) {
      r -= MIX[op];
      if (r < 0) return op;
    }
    return "recall";
  }

  private fact(rng: Rng): Record<string, unknown> {
    const w = () => WORDS[Math.floor(rng.next() * WORDS.length)]!;
    return {
      entity: entityUri(rng.int(this.entities)),
      relation: `memory:${w()}`,
      value: { type: "text", v: `${w()} ${w()} ${w()} ${w()} ${w()}` },
      source: `agent:soak-${Math.floor(rng.next() * 8)}`,
      scope: "company",
    };
  }

  private async loop(rng: Rng): Promise<void> {
    const w = () => WORDS[Math.floor(rng.next() * WORDS.length)]!;
    while (!this.stopped) {
      const op = this.pick(rng);
      const t0 = nowNs();
      let status = 0;
      try {
        let text = "";
        switch (op) {
          case "write":
            ({ status, text } = await this.client.request("POST", "/v1/facts", JSON.stringify(this.fact(rng))));
            if (status === 201) this.remember((JSON.parse(text) as { id: string }).id, rng);
            break;
          case "batch": {
            const facts = Array.from({ length: 50 }, () => this.fact(rng));
            ({ status } = await this.client.request("POST", "/v1/facts:batch", JSON.stringify({ facts })));
            break;
          }
          case "read":
            ({ status } = await this.client.request(
              "GET",
              `/v1/facts?entity=${encodeURIComponent(entityUri(rng.int(this.entities)))}&limit=20`,
            ));
            break;
          case "get": {
            // Before the first write answered there is no id to read: an unknown one is answered 404.
            const known = this.ids.length > 0;
            const id = known ? this.ids[rng.int(this.ids.length)]! : "00000000-0000-4000-8000-000000000000";
            ({ status } = await this.client.request("GET", `/v1/facts/${id}`));
            if (!known && status === 404) status = 200;
            break;
          }
          case "recall":
            ({ status } = await this.client.request(
              "POST",
              "/v1/recall",
              JSON.stringify({ query: `what about ${w()} and ${w()} ${w()}`, scope: "company", token_budget: 2_000 }),
            ));
            break;
        }
      } catch (e) {
        status = -1;
        if (this.errorSamples.length < 5) this.errorSamples.push(`${op}: ${(e as Error).message}`);
      }
      const ok = op === "write" ? status === 201 : status === 200;
      if (ok) {
        this.interval.count[op]++;
        this.interval.latency[op].add(nowNs() - t0);
      } else if (status === 503) {
        this.interval.shed++;
        await new Promise((r) => setTimeout(r, 1_000));
      } else {
        this.interval.errors++;
        if (this.errorSamples.length < 5) this.errorSamples.push(`${op}: HTTP ${status}`);
      }
    }
  }

  /** Keeps a bounded sample of written ids for reads by id. */
  private remember(id: string, rng: Rng): void {
    if (this.ids.length < 10_000) this.ids.push(id);
    else this.ids[Math.floor(rng.next() * this.ids.length)] = id;
  }
}
