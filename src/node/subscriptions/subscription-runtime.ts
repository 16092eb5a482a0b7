/**
 * The long-lived part of subscriptions on a running node: the signal that
 * ends every watcher when the node shuts down (so a graceful close does not
 * wait for streams that never end by themselves) and the options watchers
 * run with. Built once by the composition root (stigmem-node.ts).
 *
 * @module
 */

/** How watchers behave; tests shorten the heartbeat and the queue. */
export interface WatchSettings {
  /** An idle stream sends a heartbeat this often (protocol: at least every 15 s). */
  readonly heartbeatMs: number;
  /** Committed rows a watcher buffers before it drops them and re-reads the store. */
  readonly queueLimit: number;
}

/** Defaults of {@link WatchSettings}. */
export const DEFAULT_WATCH_SETTINGS: WatchSettings = { heartbeatMs: 15_000, queueLimit: 1_024 };

/** Something the runtime stops with the node (the webhook dispatcher). */
export interface Stoppable {
  close(): Promise<void>;
}

export class SubscriptionRuntime {
  private readonly workers: Stoppable[] = [];

  private readonly closing = new AbortController();
  private readonly live = new Set<object>();
  private dropped = 0;

  constructor(readonly settings: WatchSettings = DEFAULT_WATCH_SETTINGS) {}

  /** Aborts when the node shuts down. */
  get shutdown(): AbortSignal {
    return this.closing.signal;
  }

  /** Counts a watcher as open until the returned function is called (metrics, tests). */
  opened(): () => void {
    const token = {};
    this.live.add(token);
    return () => this.live.delete(token);
  }

  /** Watchers open now. */
  get watchers(): number {
    return this.live.size;
  }

  /** A watcher's queue overflowed and was dropped (it re-reads the store instead). */
  overflowed(): void {
    this.dropped += 1;
  }

  /** How many times a watcher's queue overflowed since start. */
  get overflows(): number {
    return this.dropped;
  }

  /** Stops `worker` when the node shuts down. */
  own(worker: Stoppable): void {
    this.workers.push(worker);
  }

  /** Ends every watcher and stops the workers (the first step of the node's shutdown). */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
