/**
 * The puller state machine: every state × event pair listed with its
 * expected outcome (as electric's state-transition table does), the
 * variants that depend on context, and fast-check model tests (seed from
 * FC_SEED): safety invariants under arbitrary event sequences, and a
 * simulated driver with random faults that must commit every page exactly
 * once, in order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  initialPullerState,
  PULLER_EVENT_TYPES,
  PULLER_STATE_KINDS,
  transition,
  type PullerAction,
  type PullerContext,
  type PullerEvent,
  type PullerState,
} from "../../../src/core/federation/puller-state.js";
import { fcParams } from "../core/fc-params.js";

const NOW = 1_000;
const stream: PullerContext = { nowMs: NOW, random: () => 0.5, pollIntervalMs: null };
const poll: PullerContext = { ...stream, pollIntervalMs: 5_000 };

type Kind = (typeof PULLER_STATE_KINDS)[number];
type Type = (typeof PULLER_EVENT_TYPES)[number];

const STATES: Record<Kind, PullerState> = {
  idle: { kind: "idle", cursor: "c1" },
  connecting: { kind: "connecting", cursor: "c1", attempt: 2 },
  streaming: { kind: "streaming", cursor: "c1", attempt: 2, phase: "backlog", progressed: false },
  committing: { kind: "committing", cursor: "c1", attempt: 2, phase: "backlog", pending: "c2", reconnectAfter: false },
  backing_off: { kind: "backing_off", cursor: "c1", attempt: 2, untilMs: 3_000, lastError: "network" },
  waiting: { kind: "waiting", cursor: "c1", untilMs: 6_000 },
  stopped: { kind: "stopped", cursor: "c1" },
};

const EVENTS: Record<Type, PullerEvent> = {
  start: { type: "start" },
  connected: { type: "connected" },
  page: { type: "page", count: 3, cursor: "c2", caughtUp: false },
  page_committed: { type: "page_committed", accepted: 3, rejected: 0 },
  heartbeat: { type: "heartbeat" },
  stream_ended: { type: "stream_ended" },
  transient_error: { type: "transient_error", kind: "network" },
  permanent_error: { type: "permanent_error", code: "peer_not_approved" },
  must_refetch: { type: "must_refetch" },
  token_expiring: { type: "token_expiring" },
  timer_fired: { type: "timer_fired" },
  stop: { type: "stop" },
};

/** An outcome: "ignored" (same state object, no actions) or the next state and actions. */
type Outcome = "ignored" | { state: PullerState; actions: PullerAction[] };

const close: PullerAction = { type: "close_stream" };
const timer = (delayMs: number): PullerAction => ({ type: "schedule_timer", delayMs });
const connectTo = (cursor: string | null): PullerAction => ({ type: "connect", cursor });
/** With random 0.5 the jitter factor is 1: attempt 3 → 4 s; a permanent error (attempt 10) → the 300 s cap. */
const backoff3 = (lastError: string): Outcome => ({
  state: { kind: "backing_off", cursor: "c1", attempt: 3, untilMs: NOW + 4_000, lastError },
  actions: [close, timer(4_000)],
});
const backoffPermanent: Outcome = {
  state: { kind: "backing_off", cursor: "c1", attempt: 10, untilMs: NOW + 300_000, lastError: "peer_not_approved" },
  actions: [close, timer(300_000)],
};
const refetch: Outcome = {
  state: { kind: "connecting", cursor: null, attempt: 2 },
  actions: [close, { type: "reset_cursor" }, connectTo(null)],
};
const stopped = (actions: PullerAction[]): Outcome => ({ state: { kind: "stopped", cursor: "c1" }, actions });
const committingC2: Outcome = {
  state: { kind: "committing", cursor: "c1", attempt: 2, phase: "backlog", pending: "c2", reconnectAfter: false },
  actions: [{ type: "commit_page", cursor: "c2" }],
};

const TABLE: Record<Kind, Record<Type, Outcome>> = {
  idle: {
    start: { state: { kind: "connecting", cursor: "c1", attempt: 0 }, actions: [connectTo("c1")] },
    connected: "ignored",
    page: "ignored",
    page_committed: "ignored",
    heartbeat: "ignored",
    stream_ended: "ignored",
    transient_error: "ignored",
    permanent_error: "ignored",
    must_refetch: "ignored",
    token_expiring: "ignored",
    timer_fired: "ignored",
    stop: stopped([]),
  },
  connecting: {
    start: "ignored",
    connected: { state: { kind: "streaming", cursor: "c1", attempt: 2, phase: "backlog", progressed: false }, actions: [] },
    page: committingC2,
    page_committed: "ignored",
    heartbeat: "ignored",
    stream_ended: backoff3("protocol"),
    transient_error: backoff3("network"),
    permanent_error: backoffPermanent,
    must_refetch: refetch,
    token_expiring: "ignored",
    timer_fired: "ignored",
    stop: stopped([close]),
  },
  streaming: {
    start: "ignored",
    connected: "ignored",
    page: committingC2,
    page_committed: "ignored",
    heartbeat: { state: { kind: "streaming", cursor: "c1", attempt: 2, phase: "backlog", progressed: true }, actions: [] },
    stream_ended: backoff3("protocol"),
    transient_error: backoff3("network"),
    permanent_error: backoffPermanent,
    must_refetch: refetch,
    token_expiring: { state: { kind: "connecting", cursor: "c1", attempt: 2 }, actions: [close, connectTo("c1")] },
    timer_fired: "ignored",
    stop: stopped([close]),
  },
  committing: {
    start: "ignored",
    connected: "ignored",
    page: backoff3("protocol"),
    page_committed: { state: { kind: "streaming", cursor: "c2", attempt: 0, phase: "backlog", progressed: true }, actions: [] },
    heartbeat: "ignored",
    stream_ended: { state: { ...(STATES.committing as object), reconnectAfter: true } as PullerState, actions: [] },
    transient_error: backoff3("network"),
    permanent_error: backoffPermanent,
    must_refetch: refetch,
    token_expiring: { state: { ...(STATES.committing as object), reconnectAfter: true } as PullerState, actions: [] },
    timer_fired: "ignored",
    stop: stopped([close]),
  },
  backing_off: {
    start: "ignored",
    connected: "ignored",
    page: "ignored",
    page_committed: "ignored",
    heartbeat: "ignored",
    stream_ended: "ignored",
    transient_error: "ignored",
    permanent_error: "ignored",
    must_refetch: "ignored",
    token_expiring: "ignored",
    timer_fired: { state: { kind: "connecting", cursor: "c1", attempt: 2 }, actions: [connectTo("c1")] },
    stop: stopped([{ type: "cancel_timer" }]),
  },
  waiting: {
    start: "ignored",
    connected: "ignored",
    page: "ignored",
    page_committed: "ignored",
    heartbeat: "ignored",
    stream_ended: "ignored",
    transient_error: "ignored",
    permanent_error: "ignored",
    must_refetch: "ignored",
    token_expiring: "ignored",
    timer_fired: { state: { kind: "connecting", cursor: "c1", attempt: 0 }, actions: [connectTo("c1")] },
    stop: stopped([{ type: "cancel_timer" }]),
  },
  stopped: {
    start: "ignored",
    connected: "ignored",
    page: "ignored",
    page_committed: "ignored",
    heartbeat: "ignored",
    stream_ended: "ignored",
    transient_error: "ignored",
    permanent_error: "ignored",
    must_refetch: "ignored",
    token_expiring: "ignored",
    timer_fired: "ignored",
    stop: "ignored",
  },
};

function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null) {
    Object.values(x).forEach(deepFreeze);
    Object.freeze(x);
  }
  return x;
}

const pairs = PULLER_STATE_KINDS.flatMap((k) => PULLER_EVENT_TYPES.map((t) => [k, t] as const));

describe("transition table: every state × event", () => {
  it("lists every pair", () => {
    expect(Object.keys(TABLE).sort()).toEqual([...PULLER_STATE_KINDS].sort());
    for (const k of PULLER_STATE_KINDS) expect(Object.keys(TABLE[k]).sort()).toEqual([...PULLER_EVENT_TYPES].sort());
    expect(pairs).toHaveLength(7 * 12);
  });

  it.each(pairs)("%s × %s", (kind, type) => {
    const before = deepFreeze(structuredClone(STATES[kind]));
    const result = transition(before, EVENTS[type], stream);
    const want = TABLE[kind][type];
    if (want === "ignored") {
      expect(result.state).toBe(before);
      expect(result.actions).toEqual([]);
    } else {
      expect(result).toEqual(want);
    }
  });
});

describe("context-dependent transitions", () => {
  const s = (over: Partial<Record<string, unknown>>, kind: Kind = "streaming"): PullerState =>
    ({ ...(STATES[kind] as object), ...over }) as PullerState;

  it.each<[string, PullerState, PullerEvent, PullerContext, Outcome]>([
    [
      "a caught-up page switches to live",
      STATES.streaming,
      { type: "page", count: 0, cursor: "c2", caughtUp: true },
      stream,
      { state: s({ kind: "committing", phase: "live", pending: "c2", reconnectAfter: false, progressed: undefined }), actions: [{ type: "commit_page", cursor: "c2" }] },
    ],
    [
      "a stream that ends after progress reconnects at once",
      s({ progressed: true }),
      EVENTS.stream_ended,
      stream,
      { state: { kind: "connecting", cursor: "c1", attempt: 2 }, actions: [connectTo("c1")] },
    ],
    [
      "poll mode: a caught-up request that ends waits for the poll interval",
      s({ progressed: true, phase: "live" }),
      EVENTS.stream_ended,
      poll,
      { state: { kind: "waiting", cursor: "c1", untilMs: NOW + 5_000 }, actions: [timer(5_000)] },
    ],
    [
      "poll mode: a backlog request that ends asks for the next page at once",
      s({ progressed: true, phase: "backlog" }),
      EVENTS.stream_ended,
      poll,
      { state: { kind: "connecting", cursor: "c1", attempt: 2 }, actions: [connectTo("c1")] },
    ],
    [
      "a commit finishing after the stream ended reconnects from the new cursor",
      s({ reconnectAfter: true }, "committing"),
      EVENTS.page_committed,
      stream,
      { state: { kind: "connecting", cursor: "c2", attempt: 0 }, actions: [close, connectTo("c2")] },
    ],
    [
      "…or, caught up in poll mode, waits",
      s({ reconnectAfter: true, phase: "live" }, "committing"),
      EVENTS.page_committed,
      poll,
      { state: { kind: "waiting", cursor: "c2", untilMs: NOW + 5_000 }, actions: [close, timer(5_000)] },
    ],
    [
      "a second end while a reconnect is already due changes nothing",
      s({ reconnectAfter: true }, "committing"),
      EVENTS.stream_ended,
      stream,
      "ignored",
    ],
    [
      "must_refetch with no cursor left backs off instead of spinning",
      s({ cursor: null }, "connecting"),
      EVENTS.must_refetch,
      stream,
      { state: { kind: "backing_off", cursor: null, attempt: 3, untilMs: NOW + 4_000, lastError: "protocol" }, actions: [close, timer(4_000)] },
    ],
    [
      "429 with Retry-After longer than the backoff waits that long",
      STATES.streaming,
      { type: "transient_error", kind: "rate_limited", retryAfterMs: 60_000 },
      stream,
      { state: { kind: "backing_off", cursor: "c1", attempt: 3, untilMs: NOW + 60_000, lastError: "rate_limited" }, actions: [close, timer(60_000)] },
    ],
    [
      "…but never longer than 300 s",
      STATES.streaming,
      { type: "transient_error", kind: "rate_limited", retryAfterMs: 86_400_000 },
      stream,
      { state: { kind: "backing_off", cursor: "c1", attempt: 3, untilMs: NOW + 300_000, lastError: "rate_limited" }, actions: [close, timer(300_000)] },
    ],
    [
      "a busy database during a commit holds the cursor",
      STATES.committing,
      { type: "transient_error", kind: "busy" },
      stream,
      backoff3("busy"),
    ],
    [
      "jitter comes from the injected random",
      STATES.connecting,
      EVENTS.transient_error,
      { ...stream, random: () => 0 },
      { state: { kind: "backing_off", cursor: "c1", attempt: 3, untilMs: NOW + 3_200, lastError: "network" }, actions: [close, timer(3_200)] },
    ],
  ])("%s", (_name, state, event, ctx, want) => {
    const result = transition(deepFreeze(structuredClone(state)), event, ctx);
    if (want === "ignored") {
      expect(result.actions).toEqual([]);
      expect(result.state).toEqual(state);
    } else {
      expect(result).toEqual(JSON.parse(JSON.stringify(want)));
    }
  });

  it("starts idle at the persisted cursor", () => {
    expect(initialPullerState("c9")).toEqual({ kind: "idle", cursor: "c9" });
  });
});

const arbEvent: fc.Arbitrary<PullerEvent> = fc.oneof(
  fc.constant<PullerEvent>({ type: "start" }),
  fc.constant<PullerEvent>({ type: "connected" }),
  fc.record({ type: fc.constant("page" as const), count: fc.nat(5), cursor: fc.option(fc.string({ maxLength: 3 })), caughtUp: fc.boolean() }),
  fc.record({ type: fc.constant("page_committed" as const), accepted: fc.nat(5), rejected: fc.nat(5) }),
  fc.constant<PullerEvent>({ type: "heartbeat" }),
  fc.constant<PullerEvent>({ type: "stream_ended" }),
  fc.record({
    type: fc.constant("transient_error" as const),
    kind: fc.constantFrom("network", "timeout", "rate_limited", "server", "busy", "protocol" as const),
  }),
  fc.record({ type: fc.constant("permanent_error" as const), code: fc.constantFrom("peer_not_approved", "no_permitted_scopes") }),
  fc.constant<PullerEvent>({ type: "must_refetch" }),
  fc.constant<PullerEvent>({ type: "token_expiring" }),
  fc.constant<PullerEvent>({ type: "timer_fired" }),
  fc.constant<PullerEvent>({ type: "stop" }),
);

describe("model: safety under any event sequence", () => {
  it("keeps its invariants", () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 200 }), fc.boolean(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (events, polling, r) => {
        const ctx: PullerContext = { nowMs: NOW, random: () => r, pollIntervalMs: polling ? 5_000 : null };
        let state = initialPullerState("c0");
        let open = false;
        let timerArmed = false;
        let lastCommitCursor: string | null | undefined;
        for (const event of [{ type: "start" } as PullerEvent, ...events]) {
          const before = deepFreeze(state);
          const { state: next, actions } = transition(before, event, ctx);
          // Pure: the same input gives the same output, and the input is never mutated (frozen).
          expect(transition(before, event, ctx)).toEqual({ state: next, actions });
          if (before.kind === "stopped") expect([next, actions]).toEqual([before, []]);
          if (event.type === "stream_ended") open = false;
          for (const a of actions) {
            switch (a.type) {
              case "connect":
                expect(open).toBe(false); // never two connections at once
                expect(a.cursor).toBe(next.cursor);
                open = true;
                break;
              case "close_stream":
                open = false;
                break;
              case "commit_page":
                expect(["connecting", "streaming"]).toContain(before.kind);
                lastCommitCursor = a.cursor;
                break;
              case "schedule_timer":
                timerArmed = true;
                expect(a.delayMs).toBeGreaterThan(0);
                expect(a.delayMs).toBeLessThanOrEqual(300_000);
                break;
              case "cancel_timer":
                timerArmed = false;
                break;
              case "reset_cursor":
                expect(next.cursor).toBeNull();
                break;
            }
          }
          if (event.type === "timer_fired" && next !== before) timerArmed = false;
          // The cursor moves only to the page being committed, or to the start on must_refetch.
          if (next.cursor !== before.cursor) {
            const committed = before.kind === "committing" && event.type === "page_committed" && next.cursor === lastCommitCursor;
            const reset = event.type === "must_refetch" && next.cursor === null && actions.some((a) => a.type === "reset_cursor");
            expect(committed || reset).toBe(true);
          }
          // Never stuck: a waiting state has a timer; a connection state has a connection.
          if (next.kind === "backing_off" || next.kind === "waiting") {
            expect(timerArmed).toBe(true);
            expect(open).toBe(false);
            if (next.kind === "backing_off") expect(next.untilMs - NOW).toBeGreaterThanOrEqual(800);
          }
          if (next.kind === "connecting" || next.kind === "streaming") expect(open).toBe(true);
          if (next.kind === "stopped" || next.kind === "idle") expect(open).toBe(false);
          if ("attempt" in next && next.attempt > 0 && "attempt" in before && before.kind !== "committing") {
            expect(next.attempt).toBeGreaterThanOrEqual(before.attempt);
          }
          state = next;
        }
      }),
      fcParams,
    );
  });
});

describe("model: a faulty publisher and database", () => {
  it("commits every page exactly once and in order, whatever fails in between", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 50, maxLength: 400 }),
        fc.boolean(),
        (pages, dice, polling) => {
          const ctx: PullerContext = { nowMs: NOW, random: () => 0.5, pollIntervalMs: polling ? 5_000 : null };
          let state = initialPullerState(null);
          let position = 0; // what the publisher will send next after
          let persisted = 0;
          const committedPages: number[] = [];
          let holding: number | null = null; // the page the driver holds for commit
          let roll = 0;
          const fault = (percent: number): boolean => (dice[roll++ % dice.length] ?? 0) < percent;
          const send = (event: PullerEvent): void => {
            const { state: next, actions } = transition(state, event, ctx);
            for (const a of actions) {
              if (a.type === "connect") position = a.cursor === null ? 0 : Number(a.cursor);
              if (a.type === "commit_page") holding = Number(a.cursor);
            }
            state = next;
          };
          send({ type: "start" });
          for (let step = 0; step < 5_000 && !(persisted === pages && state.kind !== "committing"); step++) {
            switch (state.kind) {
              case "connecting":
              case "streaming":
                if (fault(15)) send({ type: "transient_error", kind: "network" });
                else if (position < pages) {
                  position += 1;
                  send({ type: "page", count: 1, cursor: String(position), caughtUp: position === pages });
                } else send(fault(50) ? { type: "heartbeat" } : { type: "stream_ended" });
                break;
              case "committing":
                if (fault(10)) {
                  holding = null;
                  send({ type: "transient_error", kind: "busy" }); // rolled back: nothing persisted
                } else {
                  persisted = holding!;
                  committedPages.push(holding!);
                  holding = null;
                  send({ type: "page_committed", accepted: 1, rejected: 0 });
                }
                break;
              case "backing_off":
              case "waiting":
                send({ type: "timer_fired" });
                break;
              default:
                throw new Error(`unexpected state ${state.kind}`);
            }
          }
          expect(committedPages).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
          expect(state.cursor).toBe(String(pages));
        },
      ),
      fcParams,
    );
  });
});
