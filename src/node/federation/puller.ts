/**
 * The pull worker of one peer (protocol.md §10 "Pull client"): the driver
 * of the pure state machine core/federation/puller-state.ts. It feeds the
 * machine events (frames, commits, failures, timers) and performs the
 * actions it returns (connect, close, commit a page, schedule a retry,
 * reset the cursor). Every decision is the machine's; this file only owns
 * the socket, the timer and the database calls.
 *
 * A page and its cursor are committed in ONE transaction (ingest.ts), and
 * the next frame is read only after that commit, so a crash at any moment
 * leaves a cursor that matches the facts stored: nothing is skipped, and
 * what is fetched again is deduplicated. Transient failures keep the cursor
 * and back off (1 s → 300 s, jittered); per-fact rejections never reach
 * this level (reject-and-advance in ingest).
 *
 * Error boundary: everything a worker does is caught here and becomes an
 * event or a log line; one peer's failures never touch another worker.
 *
 * @module
 */
import { initialPullerState, transition, type PullerAction, type PullerEvent, type PullerState } from "../../core/federation/puller-state.js";
import type { Logger } from "../../logger.js";
import type { PeerRecord } from "../../store/peer-store.js";
import type { NodeContext } from "../node-context.js";
import { ingestFacts } from "./ingest.js";
import { PullError, type PullFrame, type PullSource } from "./pull-source.js";

/**
 * Frames read from the connection while a page commits. The machine still
 * sees each page only after the previous one committed; reading ahead keeps
 * the publisher sending meanwhile instead of waiting for the socket to drain.
 */
export const READ_AHEAD = 2;

/**
 * Iterates `source` in order while keeping up to `depth` of its next items
 * requested, so a slow consumer and a slow producer overlap. Ending early
 * asks the source to stop, without waiting for it.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  try {
    for (;;) {
      while (!ended && pending.length < depth) {
        const next = it.next();
        // Marks the end as soon as it is known; a failure is rethrown where it is awaited, in order.
        next.then(
          (r) => void (r.done === true && (ended = true)),
          () => void (ended = true),
        );
        pending.push(next);
      }
      const r = await pending.shift()!;
      if (r.done === true) return;
      yield r.value;
    }
  } finally {
    it.return?.().catch(() => {});
  }
}

export class PeerPuller {
  private state: PullerState = initialPullerState(null);
  private timer: NodeJS.Timeout | undefined;
  private connection: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: NodeContext,
    /** The peer as it was when the worker started; its pool restarts the worker when it changes. */
    readonly peer: PeerRecord,
    private readonly source: PullSource,
    private readonly log: Logger,
  ) {}

  /** The machine's state, for diagnostics. */
  get current(): PullerState {
    return this.state;
  }

  /** Starts from the cursor persisted for this peer. */
  start(): void {
    const cursor = this.ctx.stores.peers.replication(this.peer.peerId)?.cursor ?? null;
    this.state = initialPullerState(cursor);
    this.dispatch({ type: "start" });
  }

  /** Stops the worker and waits for a page being committed to finish. */
  async stop(): Promise<void> {
    this.dispatch({ type: "stop" });
    await this.running;
  }

  private dispatch(event: PullerEvent): void {
    try {
      const t = transition(this.state, event, { nowMs: Date.now(), random: Math.random, pollIntervalMs: this.source.pollIntervalMs });
      this.state = t.state;
      for (const action of t.actions) this.perform(action);
    } catch (e) {
      this.log.error({ err: e, peer_id: this.peer.peerId, event: event.type }, "federation puller: a transition failed");
    }
  }

  private perform(action: PullerAction): void {
    switch (action.type) {
      case "connect":
        this.running = this.connect(action.cursor);
        return;
      case "close_stream":
        this.connection?.abort();
        this.connection = undefined;
        return;
      case "commit_page":
        // Performed by the connection's read loop, which awaits it before reading on.
        return;
      case "schedule_timer":
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.dispatch({ type: "timer_fired" }), action.delayMs);
        this.timer.unref();
        return;
      case "cancel_timer":
        clearTimeout(this.timer);
        this.timer = undefined;
        return;
      case "reset_cursor": {
        const peerId = this.peer.peerId;
        // Queued before any page of the new pass, so it commits first.
        this.ctx.writes.submit(() => this.ctx.stores.peers.resetCursor(peerId, Date.now())).catch((e: unknown) => {
          this.log.warn({ err: e, peer_id: peerId }, "federation puller: resetting the cursor failed");
        });
        this.log.info({ peer_id: peerId }, "federation puller: the publisher's log changed epoch; pulling again from the start");
        return;
      }
    }
  }

  /** One connection: reads frames until the publisher ends it, the machine closes it or it fails. */
  private async connect(cursor: string | null): Promise<void> {
    const abort = new AbortController();
    this.connection = abort;
    try {
      for await (const frame of readAhead(this.source.open(cursor, abort.signal), READ_AHEAD)) {
        if (abort.signal.aborted) return;
        if (!(await this.onFrame(frame, abort.signal))) return;
      }
      if (!abort.signal.aborted) this.dispatch({ type: "stream_ended" });
    } catch (e) {
      if (abort.signal.aborted) return;
      this.fail(e);
    }
  }

  /** Handles a frame; false when the connection must not be read on. */
  private async onFrame(frame: PullFrame, signal: AbortSignal): Promise<boolean> {
    if (frame.kind === "heartbeat") {
      this.dispatch({ type: "heartbeat" });
      // Idle and up to date: say so, or `peers status` would see the lag grow while nothing happens.
      if (this.state.kind === "streaming" && this.state.phase === "live") {
        const peerId = this.peer.peerId;
        this.ctx.writes.submit(() => this.ctx.stores.peers.markCaughtUp(peerId, Date.now())).catch(() => {});
      }
      return true;
    }
    this.dispatch({ type: "page", count: frame.facts.length, cursor: frame.cursor, caughtUp: frame.caughtUp });
    if (this.state.kind !== "committing") return false;
    const peer = this.ctx.stores.peers.byId(this.peer.peerId);
    if (peer?.status !== "active") {
      this.dispatch({ type: "permanent_error", code: "peer_not_active" });
      return false;
    }
    let out;
    try {
      out = await ingestFacts(this.ctx, peer, frame.facts, { kind: "pull", commit: { cursor: frame.cursor, caughtUp: frame.caughtUp } });
    } catch (e) {
      // The page's transaction failed as a whole (busy, disk): nothing of it, nor its cursor, was written.
      this.log.warn({ err: e, peer_id: this.peer.peerId }, "federation puller: committing a page failed; retrying");
      this.record("busy");
      this.dispatch({ type: "transient_error", kind: "busy" });
      return false;
    }
    if (out.rejected.length > 0) {
      this.log.warn({ peer_id: this.peer.peerId, rejected: out.rejected.length }, "federation puller: facts rejected and skipped");
    }
    this.dispatch({ type: "page_committed", accepted: out.accepted, rejected: out.rejected.length });
    return !signal.aborted;
  }

  private fail(e: unknown): void {
    const f = e instanceof PullError ? e.failure : ({ kind: "transient", transient: "network" } as const);
    const message = e instanceof Error ? e.message : String(e);
    this.log.warn({ peer_id: this.peer.peerId, failure: f, reason: message }, "federation puller: connection failed");
    switch (f.kind) {
      case "must_refetch":
        this.dispatch({ type: "must_refetch" });
        return;
      case "permanent":
        this.record(`${f.code}: ${message}`);
        this.dispatch({ type: "permanent_error", code: f.code });
        return;
      case "transient":
        this.record(`${f.transient}: ${message}`);
        this.dispatch({
          type: "transient_error",
          kind: f.transient,
          ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }),
        });
    }
  }

  /** Notes the failure for `stigmem peers status`; best effort. */
  private record(error: string): void {
    const peerId = this.peer.peerId;
    this.ctx.writes.submit(() => this.ctx.stores.peers.recordError(peerId, error.slice(0, 500), Date.now())).catch(() => {});
  }
}
