/**
 * A fact watcher (`FactService.WatchFacts`, the SSE stream of a
 * subscription): every committed fact that matches its filters and that its
 * caller may read, exactly once, in feed order (protocol.md §10 "The feed":
 * position = `facts.rowid`), local and federated, never a quarantined one.
 *
 * Subscribe, then replay: the watcher registers on the view signal's
 * `onCommit` before it reads the store from its cursor to the head, so a
 * commit during the replay is queued rather than missed; anything queued at
 * or below the position already delivered is dropped (dedupe by position).
 *
 * Bounded memory: the queue of committed rows holds at most
 * `queueLimit` rows. A watcher whose consumer is slower than the writes
 * overflows it; it then drops the whole buffer and, once the consumer asks
 * for more, re-reads the store after the last position it delivered — the
 * same replay as at the start — so a slow watcher costs a bounded buffer
 * and never loses an event.
 *
 * Authorization: the caller's read policy is asked for again before each
 * batch is delivered (live-caller.ts): a key revoked or expired mid-stream
 * ends the stream with the code a new request would get, and the one rule
 * table decides what is readable (node/access/read-rules.ts
 * `watchCondition`), as SQL for the replay and in memory for live rows.
 *
 * A heartbeat follows the replay (the watch is live from then on) and,
 * idle, goes out every `heartbeatMs`; nothing polls.
 *
 * @module
 */
import { isScope } from "../../core/scope.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { encodeWatchCursor, resumeWatch, type WatchFilter } from "../../core/subscriptions/watch-cursor.js";
import type { FactRow } from "../../store/fact-row.js";
import { requireReadableScope } from "../access/read-policy.js";
import { watchCondition } from "../access/read-rules.js";
import { AppError } from "../app-error.js";
import { toFact, type Fact } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";
import type { Principal } from "../principal.js";
import { rowPredicate } from "./fact-row-attributes.js";
import { LiveCaller } from "./live-caller.js";
import type { SubscriptionRuntime } from "./subscription-runtime.js";

/** Rows read from the store per page of a replay. */
export const REPLAY_PAGE = 256;
/** Longest relation prefix or relation accepted as a filter, in characters. */
const MAX_FILTER_LENGTH = 2_048;

/** What a watcher asks for (raw, from a transport). */
export interface WatchRequest {
  readonly entity?: string | undefined;
  readonly relation?: string | undefined;
  readonly relationPrefix?: string | undefined;
  readonly scope?: string | undefined;
  /** Resume after this cursor; absent or empty starts live, from now. */
  readonly cursor?: string | undefined;
}

/** The kind of change an event reports. */
export type FactEventType = "fact_asserted" | "fact_retracted";

/** One frame of a watch. */
export type WatchFrame =
  | {
      readonly kind: "event";
      readonly eventType: FactEventType;
      readonly fact: Fact;
      /** The feed position of the fact. */
      readonly position: number;
      /** Pass it back to resume right after this event. */
      readonly cursor: string;
    }
  | { readonly kind: "heartbeat" };

/** What the node shares with its watchers. */
export type WatchContext = Pick<NodeContext, "stores" | "signal" | "keys" | "federation"> & {
  readonly subscriptions: SubscriptionRuntime;
};

/**
 * Validates a watch request and fixes its start (the cursor's position, or
 * the head of the log now), before anything is streamed, so bad input fails
 * the call with a clear code.
 *
 * @throws AppError permission_denied (no `read`), scope_not_allowed,
 *   invalid_entity_uri, validation_error, invalid_cursor.
 */
export function openWatch(ctx: WatchContext, principal: Principal, req: WatchRequest): FactWatcher {
  const caller = new LiveCaller(ctx.keys, principal);
  const policy = caller.policy();
  const filter = watchFilter(req);
  if (filter.scope !== undefined) requireReadableScope(policy, filter.scope);
  const epoch = ctx.federation?.epoch.epoch ?? ctx.stores.feed.epoch();
  const head = ctx.stores.feed.headPosition();
  let after = head;
  if (req.cursor !== undefined && req.cursor !== "") {
    const resumed = resumeWatch(req.cursor, { epoch, head, filter });
    if (!resumed.ok) throw new AppError("invalid_cursor", resumed.message, { details: { field: "cursor" } });
    after = resumed.value;
  }
  return new FactWatcher(ctx, caller, filter, epoch, after);
}

function watchFilter(req: WatchRequest): WatchFilter {
  const text = (field: string, v: string | undefined): string | undefined => {
    if (v === undefined || v === "") return undefined;
    if (v.length > MAX_FILTER_LENGTH) {
      throw new AppError("validation_error", `${field} is longer than ${MAX_FILTER_LENGTH} characters`, { details: { field } });
    }
    return v;
  };
  let entity: string | undefined;
  if (req.entity !== undefined && req.entity !== "") {
    try {
      entity = normalizeEntityUri(req.entity, "entity");
    } catch (e) {
      throw new AppError("invalid_entity_uri", (e as Error).message, { details: { field: "entity" } });
    }
  }
  const scope = text("scope", req.scope);
  if (scope !== undefined && !isScope(scope)) {
    throw new AppError("validation_error", "scope must be local, team, company or public", { details: { field: "scope" } });
  }
  return { entity, relation: text("relation", req.relation), relationPrefix: text("relation_prefix", req.relationPrefix), scope };
}

/** An open watch: iterate {@link frames} once. */
export class FactWatcher {
  /** The last position delivered (or passed over as not matching). */
  private position: number;

  constructor(
    private readonly ctx: WatchContext,
    private readonly caller: LiveCaller,
    readonly filter: WatchFilter,
    private readonly epoch: string,
    after: number,
  ) {
    this.position = after;
  }

  /** The cursor after the last position delivered: where a reconnect resumes. */
  get cursor(): string {
    return encodeWatchCursor({ epoch: this.epoch, position: this.position, filter: this.filter });
  }

  /**
   * The frames until `signal` aborts (they end) or the node shuts down.
   * @throws AppError invalid_api_key, api_key_expired when the key stops
   *   being valid mid-stream; unavailable when the node shuts down (so a
   *   client reconnects after its last cursor rather than taking the end as final).
   */
  async *frames(signal: AbortSignal): AsyncGenerator<WatchFrame> {
    yield* this.run(signal);
    if (this.ctx.subscriptions.shutdown.aborted && !signal.aborted) {
      throw new AppError("unavailable", "the node is shutting down: reconnect with the last cursor");
    }
  }

  private async *run(signal: AbortSignal): AsyncGenerator<WatchFrame> {
    const { heartbeatMs, queueLimit } = this.ctx.subscriptions.settings;
    const stop = AbortSignal.any([signal, this.ctx.subscriptions.shutdown]);
    const latch = new Latch();
    let queue: FactRow[] = [];
    let overflowed = false;
    // Rows are queued through the filters and the policy known when they commit, which only ever
    // narrows (a key's scopes are fixed; it can only be revoked); delivery checks again.
    let admitsPolicy = this.caller.policy();
    let admits = rowPredicate(watchCondition(admitsPolicy, this.filter));
    // Registered before the replay reads the head: a commit in between is queued, not missed.
    const off = this.ctx.signal.onCommit((rows) => {
      if (overflowed) return;
      for (const row of rows) if (admits(row)) queue.push(row);
      if (queue.length > queueLimit) {
        queue = [];
        overflowed = true;
        this.ctx.subscriptions.overflowed();
      }
      if (queue.length > 0 || overflowed) latch.set();
    });
    const onAbort = (): void => latch.set();
    stop.addEventListener("abort", onAbort);
    const closed = this.ctx.subscriptions.opened();
    try {
      yield* this.replay(stop);
      // Tells the client the watch is live: everything committed from here on reaches it.
      yield { kind: "heartbeat" };
      let lastSent = Date.now();
      for (;;) {
        if (stop.aborted) return;
        if (overflowed) {
          // The buffer was dropped: the store has everything after the last delivered position.
          queue = [];
          overflowed = false;
          if (yield* this.replay(stop)) lastSent = Date.now();
          continue;
        }
        if (queue.length > 0) {
          const batch = queue;
          queue = [];
          const policy = this.caller.policy();
          // The predicate is compiled again only when the key was read again.
          if (policy !== admitsPolicy) {
            admitsPolicy = policy;
            admits = rowPredicate(watchCondition(policy, this.filter));
          }
          let sent = false;
          for (const row of batch) {
            if (row.rowid <= this.position) continue;
            this.position = row.rowid;
            if (!admits(row)) continue;
            yield this.event(row);
            sent = true;
            if (stop.aborted) return;
          }
          if (sent) lastSent = Date.now();
          continue;
        }
        const wait = lastSent + heartbeatMs - Date.now();
        if (wait <= 0) {
          // The key is checked on heartbeats too, so a revoked watcher of a quiet filter ends.
          this.caller.policy();
          yield { kind: "heartbeat" };
          lastSent = Date.now();
          continue;
        }
        await latch.wait(wait);
      }
    } finally {
      off();
      stop.removeEventListener("abort", onAbort);
      latch.set();
      closed();
    }
  }

  /** Sends what the store holds after {@link position} up to its head; true when it sent anything. */
  private *replay(stop: AbortSignal): Generator<WatchFrame, boolean> {
    const { feed } = this.ctx.stores;
    let sent = false;
    for (;;) {
      const where = watchCondition(this.caller.policy(), this.filter);
      const page = feed.read({ after: this.position, upto: feed.headPosition(), where, limit: REPLAY_PAGE });
      for (const row of page.rows) {
        this.position = row.rowid;
        yield this.event(row);
        sent = true;
        if (stop.aborted) return sent;
      }
      this.position = page.position;
      if (!page.more) return sent;
    }
  }

  private event(row: FactRow): WatchFrame {
    return {
      kind: "event",
      eventType: row.confidence === 0 ? "fact_retracted" : "fact_asserted",
      fact: factOf(row),
      position: row.rowid,
      cursor: encodeWatchCursor({ epoch: this.epoch, position: row.rowid, filter: this.filter }),
    };
  }
}

/**
 * Every watcher of a commit receives the same row objects: the domain fact
 * is built once per row, not once per watcher (the transports cache their
 * wire form per fact the same way).
 */
const facts = new WeakMap<FactRow, Fact>();

function factOf(row: FactRow): Fact {
  let fact = facts.get(row);
  if (fact === undefined) {
    fact = toFact(row, Date.now());
    facts.set(row, fact);
  }
  return fact;
}

/** A flag the commit listener sets; `wait` resolves when it is set or after a timeout, and clears it. */
class Latch {
  private flagged = false;
  private wake: (() => void) | undefined;

  set(): void {
    this.flagged = true;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async wait(ms: number): Promise<void> {
    if (!this.flagged) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.flagged = false;
  }
}
