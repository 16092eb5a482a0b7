/**
 * @module core/federation/puller-state
 *
 * The per-peer pull worker as a pure state machine (protocol.md §10 "Pull
 * client"). The driver (src/federation, later) owns sockets, timers and the
 * database; it feeds events in and performs the returned actions. Keeping
 * the decisions here makes every one of them testable without I/O: the
 * exhaustive state × event table in the tests lists them all.
 *
 * ```
 *            start                 connected / first page
 *   idle ───────────▶ connecting ─────────────────────────▶ streaming(backlog|live)
 *                       ▲   ▲                                  │  page ─▶ commit_page
 *                       │   │ token_expiring, stream_ended     ▼
 *                       │   └──────────────────────────── committing
 *                       │       must_refetch (cursor ← null)   │  page_committed ─▶ cursor moves,
 *                       │                                      │  attempt ← 0, back to streaming
 *          timer_fired  │                                      │
 *   backing_off(attempt, until) ◀── transient_error, permanent_error (from connecting,
 *                       ▲                                      streaming or committing)
 *   waiting(until) ─────┘ timer_fired   (poll mode: after a caught-up request ends)
 *
 *   any state ── stop ──▶ stopped (absorbing)
 * ```
 *
 * Rules the table pins down:
 * - The cursor moves only on `page_committed` (to the committed page's
 *   cursor) or on `must_refetch` (to null, the start). Transient errors hold
 *   it, so nothing is skipped; anything not acknowledged is fetched again
 *   and deduplicated by ingest.
 * - Transient errors (network, 429, 5xx, busy) back off 1 s → 300 s with
 *   jitter; the attempt count resets only after a committed page.
 * - A permanent connection error (e.g. we are not approved there yet) backs
 *   off at the 300 s cap instead of stopping, so fixing it on the other side
 *   heals replication without a restart. Per-fact errors never reach this
 *   machine: ingest rejects, audits and advances (reject-and-advance).
 * - A stream that ends after a page or heartbeat reconnects at once (its
 *   token expired); one that ends with neither is treated as an error, so a
 *   misbehaving server cannot make us spin.
 * - Events that do not apply to a state are ignored: the same state object
 *   comes back with no actions (late events from a closed stream, stale timers).
 */
import { BACKOFF_MAX_MS, backoffDelayMs } from "./backoff.js";

/** The cursor as the driver persists it; `null` means "from the beginning". */
export type PullCursor = string | null;

/** Whether the stream is still draining the backlog or tailing live commits. */
export type StreamPhase = "backlog" | "live";

/** Kinds of transient failure (§10): the cursor is held and the worker backs off. */
export type TransientKind = "network" | "timeout" | "rate_limited" | "server" | "busy" | "protocol";

/** Attempt number a permanent error jumps to: its delay is at the 300 s cap. */
export const PERMANENT_ERROR_ATTEMPT = 10;

/** The worker's state. Every state carries the last committed cursor. */
export type PullerState =
  | { readonly kind: "idle"; readonly cursor: PullCursor }
  | { readonly kind: "connecting"; readonly cursor: PullCursor; readonly attempt: number }
  | {
      readonly kind: "streaming";
      readonly cursor: PullCursor;
      readonly attempt: number;
      readonly phase: StreamPhase;
      /** A page or heartbeat arrived on this connection. */
      readonly progressed: boolean;
    }
  | {
      readonly kind: "committing";
      readonly cursor: PullCursor;
      readonly attempt: number;
      readonly phase: StreamPhase;
      /** The cursor of the page being committed; becomes `cursor` on `page_committed`. */
      readonly pending: PullCursor;
      /** The stream ended or the token is expiring: reconnect once the commit is done. */
      readonly reconnectAfter: boolean;
    }
  | {
      readonly kind: "backing_off";
      readonly cursor: PullCursor;
      readonly attempt: number;
      readonly untilMs: number;
      /** The transient kind or permanent code that caused it, for `peers status`. */
      readonly lastError: string;
    }
  | { readonly kind: "waiting"; readonly cursor: PullCursor; readonly untilMs: number }
  | { readonly kind: "stopped"; readonly cursor: PullCursor };

/** What the driver reports. */
export type PullerEvent =
  | { readonly type: "start" }
  | { readonly type: "connected" }
  | { readonly type: "page"; readonly count: number; readonly cursor: PullCursor; readonly caughtUp: boolean }
  | { readonly type: "page_committed"; readonly accepted: number; readonly rejected: number }
  | { readonly type: "heartbeat" }
  | { readonly type: "stream_ended" }
  | { readonly type: "transient_error"; readonly kind: TransientKind; readonly retryAfterMs?: number }
  | { readonly type: "permanent_error"; readonly code: string }
  | { readonly type: "must_refetch" }
  | { readonly type: "token_expiring" }
  | { readonly type: "timer_fired" }
  | { readonly type: "stop" };

/** What the driver must do, in order. */
export type PullerAction =
  /** Open a stream (or send a request) with a fresh token, resuming after `cursor`. */
  | { readonly type: "connect"; readonly cursor: PullCursor }
  /** Close the current stream or abort the request, if any (idempotent). */
  | { readonly type: "close_stream" }
  /** Ingest the page just received and persist `cursor`, in ONE transaction; then report `page_committed`. */
  | { readonly type: "commit_page"; readonly cursor: PullCursor }
  /** Fire `timer_fired` after `delayMs` (replacing any earlier timer). */
  | { readonly type: "schedule_timer"; readonly delayMs: number }
  /** Drop the pending timer, if any. */
  | { readonly type: "cancel_timer" }
  /** Persist the cursor as null: the publisher's log changed epoch. */
  | { readonly type: "reset_cursor" };

/** The world a transition may consult: time, randomness, the peer's mode. */
export interface PullerContext {
  readonly nowMs: number;
  /** [0, 1) like Math.random; the backoff jitter. */
  readonly random: () => number;
  /** `null`: a live stream (our peers). A number: poll mode (reference peers), the pause after a caught-up request. */
  readonly pollIntervalMs: number | null;
}

/** A transition: the next state and the actions to perform. */
export interface PullerTransition {
  readonly state: PullerState;
  readonly actions: readonly PullerAction[];
}

/** Every state kind and event type, for exhaustive tests and `peers status`. */
export const PULLER_STATE_KINDS = ["idle", "connecting", "streaming", "committing", "backing_off", "waiting", "stopped"] as const;
export const PULLER_EVENT_TYPES = [
  "start",
  "connected",
  "page",
  "page_committed",
  "heartbeat",
  "stream_ended",
  "transient_error",
  "permanent_error",
  "must_refetch",
  "token_expiring",
  "timer_fired",
  "stop",
] as const;

/** The initial state of a worker whose persisted cursor is `cursor`. */
export function initialPullerState(cursor: PullCursor): PullerState {
  return { kind: "idle", cursor };
}

const ignore = (state: PullerState): PullerTransition => ({ state, actions: [] });

function connect(cursor: PullCursor, attempt: number, first: PullerAction[] = []): PullerTransition {
  return { state: { kind: "connecting", cursor, attempt }, actions: [...first, { type: "connect", cursor }] };
}

function backOff(
  cursor: PullCursor,
  attempt: number,
  lastError: string,
  ctx: PullerContext,
  retryAfterMs = 0,
): PullerTransition {
  const delayMs = Math.min(Math.max(backoffDelayMs(attempt, ctx.random), retryAfterMs), BACKOFF_MAX_MS);
  return {
    state: { kind: "backing_off", cursor, attempt, untilMs: ctx.nowMs + delayMs, lastError },
    actions: [{ type: "close_stream" }, { type: "schedule_timer", delayMs }],
  };
}

/** Errors shared by connecting, streaming and committing. */
function onError(s: { cursor: PullCursor; attempt: number }, e: PullerEvent, ctx: PullerContext): PullerTransition | undefined {
  switch (e.type) {
    case "transient_error":
      return backOff(s.cursor, s.attempt + 1, e.kind, ctx, e.retryAfterMs);
    case "permanent_error":
      return backOff(s.cursor, Math.max(s.attempt + 1, PERMANENT_ERROR_ATTEMPT), e.code, ctx);
    case "must_refetch":
      // Already at the start and still refused: the server is confused; do not spin.
      if (s.cursor === null) return backOff(null, s.attempt + 1, "protocol", ctx);
      return connect(null, s.attempt, [{ type: "close_stream" }, { type: "reset_cursor" }]);
    case "stop":
      return { state: { kind: "stopped", cursor: s.cursor }, actions: [{ type: "close_stream" }] };
    default:
      return undefined;
  }
}

/** After a stream (or one poll request) ended normally with progress. */
function afterEnd(cursor: PullCursor, attempt: number, phase: StreamPhase, ctx: PullerContext): PullerTransition {
  if (ctx.pollIntervalMs !== null && phase === "live") {
    return {
      state: { kind: "waiting", cursor, untilMs: ctx.nowMs + ctx.pollIntervalMs },
      actions: [{ type: "schedule_timer", delayMs: ctx.pollIntervalMs }],
    };
  }
  return connect(cursor, attempt);
}

/**
 * The transition function: pure, total over every state × event pair, and
 * never mutating `state`.
 */
export function transition(state: PullerState, event: PullerEvent, ctx: PullerContext): PullerTransition {
  switch (state.kind) {
    case "idle":
      if (event.type === "start") return connect(state.cursor, 0);
      if (event.type === "stop") return { state: { kind: "stopped", cursor: state.cursor }, actions: [] };
      return ignore(state);

    case "connecting": {
      const err = onError(state, event, ctx);
      if (err !== undefined) return err;
      const open = { kind: "streaming", cursor: state.cursor, attempt: state.attempt, phase: "backlog", progressed: false } as const;
      if (event.type === "connected") return { state: open, actions: [] };
      // The first page proves the connection: take it as connected, then the page.
      if (event.type === "page") return transition(open, event, ctx);
      if (event.type === "stream_ended") return backOff(state.cursor, state.attempt + 1, "protocol", ctx);
      return ignore(state);
    }

    case "streaming": {
      const err = onError(state, event, ctx);
      if (err !== undefined) return err;
      switch (event.type) {
        case "page":
          return {
            state: {
              kind: "committing",
              cursor: state.cursor,
              attempt: state.attempt,
              phase: event.caughtUp ? "live" : state.phase,
              pending: event.cursor,
              reconnectAfter: false,
            },
            actions: [{ type: "commit_page", cursor: event.cursor }],
          };
        case "heartbeat":
          return state.progressed ? ignore(state) : { state: { ...state, progressed: true }, actions: [] };
        case "token_expiring":
          return connect(state.cursor, state.attempt, [{ type: "close_stream" }]);
        case "stream_ended":
          if (!state.progressed) return backOff(state.cursor, state.attempt + 1, "protocol", ctx);
          return afterEnd(state.cursor, state.attempt, state.phase, ctx);
        default:
          return ignore(state);
      }
    }

    case "committing": {
      if (event.type === "must_refetch" || event.type === "transient_error" || event.type === "permanent_error" || event.type === "stop") {
        return onError(state, event, ctx)!;
      }
      switch (event.type) {
        case "page_committed":
          if (state.reconnectAfter) {
            // The old stream may still be open (token_expiring): close it before any reconnect.
            const next = afterEnd(state.pending, 0, state.phase, ctx);
            return { state: next.state, actions: [{ type: "close_stream" }, ...next.actions] };
          }
          return {
            state: { kind: "streaming", cursor: state.pending, attempt: 0, phase: state.phase, progressed: true },
            actions: [],
          };
        case "stream_ended":
        case "token_expiring":
          return state.reconnectAfter ? ignore(state) : { state: { ...state, reconnectAfter: true }, actions: [] };
        case "page":
          // A page before the previous one is committed breaks the driver contract; its order
          // cannot be trusted, so drop the connection and fetch again from the committed cursor.
          return backOff(state.cursor, state.attempt + 1, "protocol", ctx);
        default:
          return ignore(state);
      }
    }

    case "backing_off":
      if (event.type === "timer_fired") return connect(state.cursor, state.attempt);
      if (event.type === "stop") return { state: { kind: "stopped", cursor: state.cursor }, actions: [{ type: "cancel_timer" }] };
      return ignore(state);

    case "waiting":
      if (event.type === "timer_fired") return connect(state.cursor, 0);
      if (event.type === "stop") return { state: { kind: "stopped", cursor: state.cursor }, actions: [{ type: "cancel_timer" }] };
      return ignore(state);

    case "stopped":
      return ignore(state);
  }
}
