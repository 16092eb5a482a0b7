/**
 * Webhook delivery (protocol.md §7 "Subscriptions", docs/subscriptions.md):
 * at-least-once, durable, signed.
 *
 * - Fan-out: after each commit (the view signal's `onCommit`; no polling)
 *   the facts of the feed past `subscriptions_position` are matched against
 *   every webhook and wake subscription — its target, and the read policy
 *   of its key as it is now — and an event is stored per match, `pending`
 *   for a webhook (`recorded` for wake), in ONE transaction with the new
 *   position. So a committed fact becomes its events exactly once, and a
 *   restart resumes where the last committed fan-out ended.
 * - Delivery: pending events are posted when due (webhook-post.ts: SSRF
 *   guard with DNS pinning, HMAC signature). 2xx delivers; `410 Gone`
 *   deletes the subscription (audited); anything else, a network failure or
 *   a refused address is retried after `min(2^n, 300)` s; 10 failures in a
 *   row open the subscription's circuit (its events wait; deleting and
 *   re-creating it starts over). Each attempt is written to the delivery
 *   log. Before each attempt the fact is read again under the key's current
 *   policy: a revoked key or a fact no longer readable suppresses the event.
 * - A single timer, set to the next due event, drives retries; nothing runs
 *   while nothing is due.
 *
 * @module
 */
import { CIRCUIT_THRESHOLD, EVENT_WINDOW_MS, retryDelayS } from "../../core/subscriptions/delivery-policy.js";
import { newUuidV7 } from "../../core/uuid-v7.js";
import { formatTimestamp } from "../../core/timestamp.js";
import type { FactRow } from "../../store/fact-row.js";
import type { SubscriptionEventRecord, SubscriptionRecord } from "../../store/subscription-store.js";
import { toFact, type Fact } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";
import { subscriberPolicy, subscriptionCondition } from "./subscriber-policy.js";
import { postWebhook, type PostOutcome } from "./webhook-post.js";

/** Facts matched per fan-out transaction. */
const FANOUT_SPAN = 500;
/** Events posted at once. */
const DELIVERY_BATCH = 16;
/** How often old settled events are pruned, at most. */
const PRUNE_EVERY_MS = 60_000;

/** Renders a fact as the webhook body's `fact` (the REST FactRecord; the transport's mapping, injected). */
export type RenderFact = (fact: Fact) => unknown;

type DispatcherContext = Pick<NodeContext, "stores" | "writes" | "signal" | "keys" | "config" | "log">;

export class WebhookDispatcher {
  private off: (() => void) | undefined;
  private fanoutQueued = false;
  private fanoutRunning: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private delivering: Promise<void> | undefined;
  private prunedAt = 0;
  private readonly stopping = new AbortController();

  constructor(
    private readonly ctx: DispatcherContext,
    private readonly renderFact: RenderFact,
  ) {}

  /** Listens for commits and catches up with what was committed before (a restart). */
  start(): void {
    this.off = this.ctx.signal.onCommit(() => this.queueFanout());
    this.queueFanout();
  }

  /** Stops fan-out and delivery; an attempt in flight is aborted (it will be retried after a restart). */
  async close(): Promise<void> {
    this.off?.();
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.fanoutRunning;
    await this.delivering;
  }

  private queueFanout(): void {
    if (this.fanoutQueued || this.stopping.signal.aborted) return;
    this.fanoutQueued = true;
    // After the commit's own listeners: one fan-out serves every commit queued meanwhile.
    setImmediate(() => {
      this.fanoutQueued = false;
      const run = (this.fanoutRunning ?? Promise.resolve()).then(() => this.fanout());
      this.fanoutRunning = run.catch((e: unknown) => this.ctx.log.error({ err: e }, "webhook fan-out failed"));
    });
  }

  private async fanout(): Promise<void> {
    const { subscriptions } = this.ctx.stores;
    // Without a webhook or wake subscription a commit costs one small read, no write: a
    // subscription created later starts after its own creation position anyway.
    if (subscriptions.position() !== undefined && subscriptions.dispatchable().length === 0) return;
    for (;;) {
      if (this.stopping.signal.aborted) return;
      const more = await this.ctx.writes.submit(() => this.fanoutSpan(Date.now()));
      this.schedule();
      if (!more) return;
    }
  }

  /** Turns the next span of the feed into events; true when more of the feed remains. */
  private fanoutSpan(now: number): boolean {
    const { subscriptions, feed } = this.ctx.stores;
    const head = feed.headPosition();
    const position = subscriptions.position();
    if (position === undefined || position > head) {
      // First start (or a database restored to before the mark): only later commits make events.
      subscriptions.setPosition(head);
      return false;
    }
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      subscriptions.prune(now - EVENT_WINDOW_MS);
    }
    if (head === position) return false;
    const upto = Math.min(head, position + FANOUT_SPAN);
    for (const sub of subscriptions.dispatchable()) {
      const policy = subscriberPolicy(this.ctx.keys, sub, now);
      if (policy === null) continue;
      const after = Math.max(position, sub.afterPosition);
      const page = feed.read({ after, upto, where: subscriptionCondition(policy, sub), limit: FANOUT_SPAN + 1, projections: false });
      for (const row of page.rows) subscriptions.insertEvent(newEvent(sub, row, now));
    }
    subscriptions.setPosition(upto);
    return upto < head;
  }

  /** Sets the timer to the next due event (or runs now). */
  private schedule(): void {
    if (this.stopping.signal.aborted || this.delivering !== undefined) return;
    const next = this.ctx.stores.subscriptions.nextDueMs();
    if (next === undefined || next >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timerAt = Number.POSITIVE_INFINITY;
      this.delivering = this.deliverDue()
        .catch((e: unknown) => this.ctx.log.error({ err: e }, "webhook delivery failed"))
        .finally(() => {
          this.delivering = undefined;
          this.schedule();
        });
    }, Math.max(0, next - Date.now()));
  }

  private async deliverDue(): Promise<void> {
    for (;;) {
      if (this.stopping.signal.aborted) return;
      const due = this.ctx.stores.subscriptions.dueEvents(Date.now(), DELIVERY_BATCH);
      if (due.length === 0) return;
      await Promise.all(due.map((e) => this.deliver(e)));
    }
  }

  private async deliver(e: SubscriptionEventRecord): Promise<void> {
    const { subscriptions, feed } = this.ctx.stores;
    const sub = subscriptions.byId(e.subscriptionId);
    if (sub === undefined || sub.circuitOpen) return;
    const started = Date.now();
    const attempt = e.deliveryAttempts + 1;
    const policy = subscriberPolicy(this.ctx.keys, sub, started);
    const row =
      policy === null
        ? undefined
        : feed.read({ after: e.factRowid - 1, upto: e.factRowid, where: subscriptionCondition(policy, sub), limit: 1 }).rows[0];
    if (row === undefined || sub.secret === null) {
      await this.ctx.writes.submit(() => {
        const why = "suppressed: the subscriber's key may no longer read this fact";
        subscriptions.markFailed(e.rowid, why, false);
        subscriptions.logDelivery({ eventRowid: e.rowid, attempt, atMs: started, outcome: "suppressed", httpStatus: null, error: why, durationMs: 0 });
      });
      return;
    }
    const body = JSON.stringify({
      event_id: e.id,
      idempotency_key: e.id,
      subscription_id: sub.id,
      event_type: e.eventType,
      fact: this.renderFact(toFact(row, started)),
    });
    const outcome = await postWebhook({
      address: sub.deliveryAddress,
      secret: sub.secret,
      body,
      eventId: e.id,
      allowPrivate: this.ctx.config.webhookAllowPrivate,
      signal: this.stopping.signal,
    });
    if (this.stopping.signal.aborted) return;
    await this.ctx.writes.submit(() => this.settle(sub, e, attempt, outcome, started));
  }

  /** Records one attempt's outcome (inside the write). */
  private settle(sub: SubscriptionRecord, e: SubscriptionEventRecord, attempt: number, outcome: PostOutcome, started: number): void {
    const { subscriptions, audit } = this.ctx.stores;
    const now = Date.now();
    const status = outcome.kind === "answered" ? outcome.status : null;
    const log = (result: "delivered" | "failed" | "gone", error: string | null): void =>
      subscriptions.logDelivery({ eventRowid: e.rowid, attempt, atMs: started, outcome: result, httpStatus: status, error, durationMs: now - started });
    if (status !== null && status >= 200 && status < 300) {
      subscriptions.markDelivered(e.rowid, formatTimestamp(now));
      subscriptions.recordSuccess(sub.id, formatTimestamp(now));
      log("delivered", null);
      return;
    }
    if (status === 410) {
      subscriptions.delete(sub.id);
      audit.append({
        eventType: "subscription_deleted",
        actor: sub.subscriberIdentity,
        outcome: "success",
        detail: { subscription_id: sub.id, reason: "the receiver answered 410 Gone" },
      });
      return;
    }
    const error = outcome.kind === "answered" ? `HTTP ${outcome.status}` : outcome.error;
    log("failed", error);
    subscriptions.markRetry(e.rowid, now + retryDelayS(attempt) * 1000, error);
    if (subscriptions.recordFailure(sub.id) >= CIRCUIT_THRESHOLD && subscriptions.openCircuit(sub.id)) {
      this.ctx.log.warn({ subscription_id: sub.id, failures: CIRCUIT_THRESHOLD }, "webhook circuit opened");
      audit.append({
        eventType: "subscription_circuit_opened",
        actor: sub.subscriberIdentity,
        outcome: "error",
        detail: { subscription_id: sub.id, consecutive_failures: CIRCUIT_THRESHOLD, last_error: error },
      });
    }
  }
}

function newEvent(sub: SubscriptionRecord, row: FactRow, now: number): Parameters<NodeContext["stores"]["subscriptions"]["insertEvent"]>[0] {
  return {
    id: newUuidV7(now),
    subscriptionId: sub.id,
    eventType: row.confidence === 0 ? "fact_retracted" : "fact_asserted",
    entityUri: row.entity,
    factId: row.id,
    factRowid: row.rowid,
    conflictId: null,
    createdAt: formatTimestamp(now),
    createdMs: now,
    deliveryStatus: sub.onChange === "webhook" ? "pending" : "recorded",
    nextAttemptMs: sub.onChange === "webhook" ? now : null,
  };
}
