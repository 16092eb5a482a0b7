/**
 * Load shedding: decides when a request may start its work, so that a flood
 * of requests cannot starve `/healthz` and the requests already admitted.
 *
 * Why not a plain concurrency limit: our handlers are mostly synchronous
 * (SQLite, scoring), so a request finishes its CPU work before the next one
 * is even read, and a count of requests in flight rarely moves. What starved
 * the node (issue 15: `/healthz` at 3–4 s under 200 connections) is that one
 * pass of the event loop ran the handlers of every connection that had data,
 * back to back, before it read the health check. So the gate bounds the work
 * started per pass of the event loop:
 *
 * - A request is admitted at once only while this pass has spent less than
 *   {@link TURN_BUDGET_MS} since its first admission, nobody is queued, and
 *   fewer than `maxInFlight` admitted requests are unfinished (writes waiting
 *   for their group commit, recalls waiting for the embedder).
 * - Otherwise it waits in a FIFO queue. Queued requests are admitted from
 *   `setImmediate` callbacks, one per callback, while the pass has budget
 *   left; the rest wait for the next pass. Between two passes Node reads
 *   every socket, so a health check waits for at most about one budget.
 * - A full queue (`maxQueued`), or a wait longer than `queueTimeoutMs`,
 *   answers 503 `overloaded` with a retry hint; admitted requests are never
 *   dropped.
 *
 * @module
 */
import { AppError } from "../node/app-error.js";

/** Work started per pass of the event loop before further requests wait for the next pass. */
export const TURN_BUDGET_MS = 5;
/** Seconds a shed client is told to wait (`Retry-After`). */
export const RETRY_AFTER_S = 1;
/** Queued requests one pass may try to admit (each still checks the budget). */
const PUMP_BATCH = 16;

export interface AdmissionGateOptions {
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly queueTimeoutMs: number;
  /** Clock in milliseconds; `performance.now` by default (tests pass their own). */
  readonly now?: () => number;
}

/** Ends an admitted request's claim on the gate; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  readonly resolve: (release: Release) => void;
  readonly reject: (e: AppError) => void;
  timer: NodeJS.Timeout | undefined;
}

export class AdmissionGate {
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  /** When the current pass admitted its first request; undefined until it does. */
  private turnStart: number | undefined;
  /** Pump callbacks scheduled and not yet run. */
  private pumps = 0;
  private readonly now: () => number;

  constructor(private readonly opts: AdmissionGateOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Requests admitted and not yet released. */
  get active(): number {
    return this.inFlight;
  }

  /** Requests waiting. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the release function once the request may start.
   * @throws AppError overloaded (503) when the queue is full or the wait too long.
   */
  enter(): Promise<Release> {
    if (this.queue.length === 0 && this.inFlight < this.opts.maxInFlight && this.withinBudget()) {
      return Promise.resolve(this.admit());
    }
    if (this.queue.length >= this.opts.maxQueued) return Promise.reject(overloaded("the admission queue is full"));
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      waiter.timer = setTimeout(() => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        reject(overloaded("the request waited too long to be served"));
      }, this.opts.queueTimeoutMs);
      this.queue.push(waiter);
      this.schedulePump();
    });
  }

  private withinBudget(): boolean {
    return this.turnStart === undefined || this.now() - this.turnStart < TURN_BUDGET_MS;
  }

  private admit(): Release {
    this.inFlight++;
    if (this.turnStart === undefined) {
      this.turnStart = this.now();
      // The next check phase ends this pass's budget.
      setImmediate(() => {
        this.turnStart = undefined;
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.schedulePump();
    };
  }

  private schedulePump(): void {
    if (this.pumps > 0 || this.queue.length === 0) return;
    const n = Math.min(this.queue.length, PUMP_BATCH);
    this.pumps = n;
    for (let i = 0; i < n; i++) setImmediate(this.pumpOne);
  }

  /**
   * Admits the head of the queue if there is room and budget. Each runs in its
   * own immediate callback, so the admitted request's synchronous work runs
   * (in the microtasks after it) before the next callback looks at the clock.
   */
  private readonly pumpOne = (): void => {
    this.pumps--;
    if (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight && this.withinBudget()) {
      const waiter = this.queue.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(this.admit());
    }
    // Whatever is left waits for the next pass (immediates scheduled now run then).
    if (this.pumps === 0 && this.inFlight < this.opts.maxInFlight) this.schedulePump();
  };
}

function overloaded(message: string): AppError {
  return new AppError("overloaded", `${message}; retry after ${RETRY_AFTER_S} s`, {
    details: { retry_after: RETRY_AFTER_S },
    retryAfterS: RETRY_AFTER_S,
  });
}
