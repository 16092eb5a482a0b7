/**
 * Expiry changes the current view without a write: when a live head passes
 * its `valid_until`, its triple's verdict (contradicted? which value wins?)
 * may change. The sweeper recomputes the verdicts whose first live head has
 * expired, about once a second, so a winner that expires stops hiding the
 * value that is still valid.
 *
 * @module
 */
import type { StigmemNode } from "../stigmem-node.js";
import { storeTripleVerdict } from "./triple-verdict.js";

/** Triples recomputed per sweep at most; the rest follow in the next one. */
const BATCH = 500;

export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly node: StigmemNode,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.sweep().catch((e: unknown) => this.node.log.error({ err: e }, "expiry sweep failed"));
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Recomputes stale verdicts as of `nowMs`; returns how many triples were refreshed. */
  async sweep(nowMs: number = Date.now()): Promise<number> {
    const { facts } = this.node.stores;
    if (facts.expiredTriples(nowMs, 1).length === 0) return 0;
    return this.node.writes.submit(() => {
      const stale = facts.expiredTriples(nowMs, BATCH);
      for (const t of stale) storeTripleVerdict(this.node, t, facts.liveHeads(t.entity, t.relation, t.scope, nowMs));
      return stale.length;
    });
  }
}
