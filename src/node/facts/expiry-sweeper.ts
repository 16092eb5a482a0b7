/**
 * Expiry changes the current view without a write: when a live head passes
 * its `valid_until`, its triple's verdict (contradicted? which value wins?)
 * may change. The sweeper recomputes the verdicts whose first live head has
 * expired, about once a second, so a winner that expires stops hiding the
 * value that is still valid.
 *
 * @module
 */
import type { FactStore } from "../../store/fact-store.js";
import type { WriteQueue } from "../../store/write-queue.js";
import { refreshTripleVerdict } from "./triple-verdict.js";

/** Triples recomputed per sweep at most; the rest follow in the next one. */
const BATCH = 500;

export interface ExpirySweeperDeps {
  readonly facts: FactStore;
  readonly writes: WriteQueue;
  readonly nodeId: string;
}

export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ExpirySweeperDeps,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.sweep().catch(this.onError);
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Recomputes stale verdicts as of `nowMs`; returns how many triples were refreshed. */
  async sweep(nowMs: number = Date.now()): Promise<number> {
    const { facts, writes, nodeId } = this.deps;
    if (facts.expiredTriples(nowMs, 1).length === 0) return 0;
    return writes.submit(() => {
      const stale = facts.expiredTriples(nowMs, BATCH);
      for (const t of stale) refreshTripleVerdict(facts, nodeId, t, nowMs);
      return stale.length;
    });
  }
}
