/**
 * Group commit for writes. Every write use case submits its work here; all
 * work submitted in the same event-loop turn runs in ONE SQLite transaction,
 * each job inside a savepoint of its own. A job that throws rolls back only
 * its savepoint and rejects only its own promise; every promise settles after
 * the shared commit, so callers never see a write that is not durable.
 *
 * Why: a commit writes every page the transaction touched to the WAL. A
 * single fact touches ~25 pages (the row, its indexes, FTS, projections, the
 * chain, the audit log), so committing writes one by one spends most of the
 * time rewriting the same pages. Concurrent clients' writes now share them.
 *
 * `beforeCommit` runs once per transaction after every job, inside it: work
 * that is cheaper per commit than per write (the full-text index, the
 * clock) goes there. The view signal (view-signal.ts) learns which facts a
 * job wrote that rolled back and when the transaction committed, so only
 * committed facts are ever announced.
 *
 * @module
 */
import type { Db } from "./database.js";
import { ViewSignal } from "./view-signal.js";

interface Job {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** How long a commit may wait for more writes when writes are arriving concurrently. */
const LINGER_MS = 1;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class WriteQueue {
  private pending: Job[] = [];
  /** Jobs in `pending` that are not riders. */
  private pendingWriters = 0;
  private scheduled = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private lastFlushSize = 0;

  private readonly beforeCommit: (() => void)[] = [];
  private readonly lingerMs: number;
  private readonly signal: ViewSignal;

  constructor(
    private readonly db: Db,
    opts: { readonly beforeCommit?: () => void; readonly lingerMs?: number; readonly signal?: ViewSignal } = {},
  ) {
    if (opts.beforeCommit !== undefined) this.beforeCommit.push(opts.beforeCommit);
    this.lingerMs = opts.lingerMs ?? LINGER_MS;
    this.signal = opts.signal ?? new ViewSignal();
  }

  /** Adds work to run once per transaction, after every job and before the commit. */
  addBeforeCommit(work: () => void): void {
    this.beforeCommit.push(work);
  }

  /**
   * Runs `work` in a savepoint of the current job: if it throws, only its
   * own writes are undone (and its facts are never announced), and the error
   * propagates. Call only inside a job.
   */
  savepoint<T>(work: () => T): T {
    const mark = this.signal.mark();
    try {
      return this.db.transaction(work)();
    } catch (e) {
      this.signal.rollbackTo(mark);
      throw e;
    }
  }

  /** Jobs waiting for the next commit, writers and riders alike (reported in /metrics). */
  get depth(): number {
    return this.pending.length;
  }

  /** Runs `work` in the next shared transaction; resolves with its result after the commit. */
  submit<T>(work: () => T): Promise<T> {
    return this.enqueue(work, false);
  }

  /**
   * Like {@link submit}, for background work (stored embeddings) that should
   * share the writers' commits rather than be counted as one of them: a rider
   * never makes a lingering commit wait for it, and is not counted among the
   * writers a commit expects back. Without writers it is committed like one.
   */
  ride<T>(work: () => T): Promise<T> {
    return this.enqueue(work, true);
  }

  private enqueue<T>(work: () => T, rider: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!rider) this.pendingWriters++;
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after the I/O callbacks of this turn, so requests
        // that arrived together are committed together. Under concurrent load
        // (the last commit carried several writes) wait up to `lingerMs` more:
        // the clients just answered are sending their next writes.
        if (this.lastFlushSize > 1) this.lingerTimer = setTimeout(() => this.flush(), this.lingerMs);
        else setImmediate(() => this.flush());
      } else if (this.lingerTimer !== undefined && this.pendingWriters >= this.lastFlushSize) {
        // As many writers as last time are back: waiting longer only idles.
        clearTimeout(this.lingerTimer);
        this.lingerTimer = undefined;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    this.lingerTimer = undefined;
    const jobs = this.pending;
    this.pending = [];
    this.lastFlushSize = this.pendingWriters;
    this.pendingWriters = 0;
    const outcomes: Outcome[] = [];
    try {
      this.db.transaction(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: this.savepoint(job.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        for (const work of this.beforeCommit) work();
      })();
    } catch (error) {
      // The commit (or beforeCommit) failed (disk full, busy, I/O error): nothing was written.
      this.signal.aborted();
      for (const job of jobs) job.reject(error);
      return;
    }
    this.signal.committed();
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
