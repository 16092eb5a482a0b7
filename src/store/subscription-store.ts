/**
 * SQL of subscriptions (migration 012): the subscriptions, their events
 * (the durable webhook queue and the 24 h replay window) and the delivery
 * log. Plain values in, plain rows out; what a subscriber may be told of
 * and when to retry live in `node/subscriptions/`.
 *
 * @module
 */
import type { Db } from "./database.js";
import type { NodeMetaStore } from "./node-meta-store.js";

export type OnChange = "webhook" | "wake" | "stream";
export type TargetKind = "scope" | "entity";
export type SubscriptionEventType = "fact_asserted" | "fact_retracted" | "conflict_detected" | "conflict_resolved";
export type DeliveryStatus = "pending" | "delivered" | "failed" | "recorded";
/** What one delivery attempt came to (the delivery log). */
export type DeliveryOutcome = "delivered" | "failed" | "gone" | "suppressed";

/** A stored subscription. Instants are fact-timestamp text. */
export interface SubscriptionRecord {
  readonly id: string;
  readonly subscriberIdentity: string;
  /** The API key that created it; null in no-auth mode. */
  readonly keyId: string | null;
  readonly target: string;
  readonly targetKind: TargetKind;
  readonly onChange: OnChange;
  readonly deliveryAddress: string;
  readonly idempotencyKey: string | null;
  /** The webhook's HMAC key; null for other kinds. A secret: never logged. */
  readonly secret: string | null;
  readonly createdAt: string;
  /** Feed position at creation: only facts after it make events. */
  readonly afterPosition: number;
  readonly lastDeliveredAt: string | null;
  readonly circuitOpen: boolean;
  readonly consecutiveFailures: number;
}

/** A stored event. */
export interface SubscriptionEventRecord {
  readonly rowid: number;
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventType: SubscriptionEventType;
  readonly entityUri: string | null;
  readonly factId: string | null;
  /** The fact the event is about (for conflict events, the newer fact). */
  readonly factRowid: number;
  readonly conflictId: string | null;
  readonly createdAt: string;
  readonly createdMs: number;
  readonly deliveredAt: string | null;
  readonly deliveryStatus: DeliveryStatus;
  readonly deliveryAttempts: number;
  readonly nextAttemptMs: number | null;
  readonly lastError: string | null;
}

/** An event to store. */
export type NewSubscriptionEvent = Omit<SubscriptionEventRecord, "rowid" | "deliveredAt" | "deliveryAttempts" | "lastError">;

interface SubscriptionRow {
  id: string;
  subscriber_identity: string;
  key_id: string | null;
  target: string;
  target_kind: TargetKind;
  on_change: OnChange;
  delivery_address: string;
  idempotency_key: string | null;
  secret: string | null;
  created_at: string;
  after_position: number;
  last_delivered_at: string | null;
  circuit_open: number;
  consecutive_failures: number;
}

interface EventRow {
  rowid: number;
  id: string;
  subscription_id: string;
  event_type: SubscriptionEventType;
  entity_uri: string | null;
  fact_id: string | null;
  fact_rowid: number;
  conflict_id: string | null;
  created_at: string;
  created_ms: number;
  delivered_at: string | null;
  delivery_status: DeliveryStatus;
  delivery_attempts: number;
  next_attempt_ms: number | null;
  last_error: string | null;
}

const POSITION_KEY = "subscriptions_position";

/** The subscription tables. Every method runs in the caller's transaction, if any. */
export class SubscriptionStore {
  private readonly s;

  constructor(
    db: Db,
    private readonly meta: NodeMetaStore,
  ) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO subscriptions (id, subscriber_identity, key_id, target, target_kind, on_change, delivery_address,
                                    idempotency_key, secret, created_at, after_position)
         VALUES (@id, @subscriber_identity, @key_id, @target, @target_kind, @on_change, @delivery_address,
                 @idempotency_key, @secret, @created_at, @after_position)`,
      ),
      byId: db.prepare<[string], SubscriptionRow>("SELECT * FROM subscriptions WHERE id = ?"),
      byIdempotency: db.prepare<[string, string], SubscriptionRow>(
        "SELECT * FROM subscriptions WHERE subscriber_identity = ? AND idempotency_key = ?",
      ),
      byOwner: db.prepare<[string], SubscriptionRow>(
        "SELECT * FROM subscriptions WHERE subscriber_identity = ? ORDER BY created_at DESC, id",
      ),
      dispatchable: db.prepare<[], SubscriptionRow>(
        "SELECT * FROM subscriptions WHERE on_change IN ('webhook', 'wake') AND circuit_open = 0",
      ),
      delete: db.prepare<[string]>("DELETE FROM subscriptions WHERE id = ?"),
      deleteDeliveriesOf: db.prepare<[string]>(
        "DELETE FROM subscription_deliveries WHERE event_rowid IN (SELECT rowid FROM subscription_events WHERE subscription_id = ?)",
      ),
      deleteEventsOf: db.prepare<[string]>("DELETE FROM subscription_events WHERE subscription_id = ?"),
      succeeded: db.prepare<[string, string]>(
        "UPDATE subscriptions SET last_delivered_at = ?, consecutive_failures = 0 WHERE id = ?",
      ),
      failed: db.prepare<[string], { n: number }>(
        "UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures AS n",
      ),
      openCircuit: db.prepare<[string]>("UPDATE subscriptions SET circuit_open = 1 WHERE id = ? AND circuit_open = 0"),
      insertEvent: db.prepare(
        `INSERT INTO subscription_events (id, subscription_id, event_type, entity_uri, fact_id, fact_rowid, conflict_id,
                                          created_at, created_ms, delivery_status, next_attempt_ms)
         VALUES (@id, @subscription_id, @event_type, @entity_uri, @fact_id, @fact_rowid, @conflict_id,
                 @created_at, @created_ms, @delivery_status, @next_attempt_ms)`,
      ),
      eventById: db.prepare<[string], EventRow>("SELECT * FROM subscription_events WHERE id = ?"),
      listEvents: db.prepare<[{ sub: string; since: number; after: number; limit: number }], EventRow>(
        `SELECT * FROM subscription_events WHERE subscription_id = @sub AND created_ms >= @since AND rowid > @after
          ORDER BY rowid LIMIT @limit`,
      ),
      countEvents: db.prepare<[{ sub: string; since: number }], number>(
        "SELECT count(*) FROM subscription_events WHERE subscription_id = @sub AND created_ms >= @since",
      ).pluck(),
      due: db.prepare<[{ now: number; limit: number }], EventRow>(
        `SELECT e.* FROM subscription_events e JOIN subscriptions s ON s.id = e.subscription_id
          WHERE e.delivery_status = 'pending' AND e.next_attempt_ms <= @now AND s.circuit_open = 0
          ORDER BY e.next_attempt_ms, e.rowid LIMIT @limit`,
      ),
      nextDue: db.prepare<[], number | null>(
        `SELECT min(e.next_attempt_ms) FROM subscription_events e JOIN subscriptions s ON s.id = e.subscription_id
          WHERE e.delivery_status = 'pending' AND s.circuit_open = 0`,
      ).pluck(),
      delivered: db.prepare<[{ rowid: number; at: string }]>(
        `UPDATE subscription_events SET delivery_status = 'delivered', delivered_at = @at,
                delivery_attempts = delivery_attempts + 1, next_attempt_ms = NULL, last_error = NULL WHERE rowid = @rowid`,
      ),
      retry: db.prepare<[{ rowid: number; next: number; error: string }]>(
        `UPDATE subscription_events SET delivery_attempts = delivery_attempts + 1, next_attempt_ms = @next, last_error = @error
          WHERE rowid = @rowid`,
      ),
      failEvent: db.prepare<[{ rowid: number; error: string; attempted: number }]>(
        `UPDATE subscription_events SET delivery_status = 'failed', delivery_attempts = delivery_attempts + @attempted,
                next_attempt_ms = NULL, last_error = @error WHERE rowid = @rowid`,
      ),
      logDelivery: db.prepare(
        `INSERT INTO subscription_deliveries (event_rowid, attempt, at_ms, outcome, http_status, error, duration_ms)
         VALUES (@event_rowid, @attempt, @at_ms, @outcome, @http_status, @error, @duration_ms)`,
      ),
      pruneDeliveries: db.prepare<[number]>(
        `DELETE FROM subscription_deliveries WHERE event_rowid IN
           (SELECT rowid FROM subscription_events WHERE created_ms < ? AND delivery_status <> 'pending')`,
      ),
      pruneEvents: db.prepare<[number]>("DELETE FROM subscription_events WHERE created_ms < ? AND delivery_status <> 'pending'"),
    };
  }

  insert(r: Omit<SubscriptionRecord, "lastDeliveredAt" | "circuitOpen" | "consecutiveFailures">): void {
    this.s.insert.run({
      id: r.id,
      subscriber_identity: r.subscriberIdentity,
      key_id: r.keyId,
      target: r.target,
      target_kind: r.targetKind,
      on_change: r.onChange,
      delivery_address: r.deliveryAddress,
      idempotency_key: r.idempotencyKey,
      secret: r.secret,
      created_at: r.createdAt,
      after_position: r.afterPosition,
    });
  }

  byId(id: string): SubscriptionRecord | undefined {
    const row = this.s.byId.get(id);
    return row === undefined ? undefined : decodeSubscription(row);
  }

  /** The owner's subscription created with `idempotencyKey`. */
  byIdempotencyKey(owner: string, idempotencyKey: string): SubscriptionRecord | undefined {
    const row = this.s.byIdempotency.get(owner, idempotencyKey);
    return row === undefined ? undefined : decodeSubscription(row);
  }

  /** The owner's subscriptions, newest first. */
  listByOwner(owner: string): SubscriptionRecord[] {
    return this.s.byOwner.all(owner).map(decodeSubscription);
  }

  /** Webhook and wake subscriptions whose circuit is closed: the ones the fan-out makes events for. */
  dispatchable(): SubscriptionRecord[] {
    return this.s.dispatchable.all().map(decodeSubscription);
  }

  /** Deletes a subscription with its events and their delivery log; false when there was none. */
  delete(id: string): boolean {
    this.s.deleteDeliveriesOf.run(id);
    this.s.deleteEventsOf.run(id);
    return this.s.delete.run(id).changes === 1;
  }

  /** A delivery succeeded: the failure streak ends. */
  recordSuccess(id: string, at: string): void {
    this.s.succeeded.run(at, id);
  }

  /** A delivery failed; returns the failures in a row now (0 when the subscription is gone). */
  recordFailure(id: string): number {
    return this.s.failed.get(id)?.n ?? 0;
  }

  /** Opens the circuit; false when it was open already (or the subscription is gone). */
  openCircuit(id: string): boolean {
    return this.s.openCircuit.run(id).changes === 1;
  }

  insertEvent(e: NewSubscriptionEvent): void {
    this.s.insertEvent.run({
      id: e.id,
      subscription_id: e.subscriptionId,
      event_type: e.eventType,
      entity_uri: e.entityUri,
      fact_id: e.factId,
      fact_rowid: e.factRowid,
      conflict_id: e.conflictId,
      created_at: e.createdAt,
      created_ms: e.createdMs,
      delivery_status: e.deliveryStatus,
      next_attempt_ms: e.nextAttemptMs,
    });
  }

  eventById(id: string): SubscriptionEventRecord | undefined {
    const row = this.s.eventById.get(id);
    return row === undefined ? undefined : decodeEvent(row);
  }

  /** Events of a subscription created at `sinceMs` or later, after `afterRowid`, oldest first. */
  listEvents(q: { subscriptionId: string; sinceMs: number; afterRowid: number; limit: number }): SubscriptionEventRecord[] {
    return this.s.listEvents.all({ sub: q.subscriptionId, since: q.sinceMs, after: q.afterRowid, limit: q.limit }).map(decodeEvent);
  }

  /** How many events of a subscription were created at `sinceMs` or later. */
  countEvents(subscriptionId: string, sinceMs: number): number {
    return this.s.countEvents.get({ sub: subscriptionId, since: sinceMs })!;
  }

  /** Pending events due at `nowMs` whose subscription's circuit is closed, most overdue first. */
  dueEvents(nowMs: number, limit: number): SubscriptionEventRecord[] {
    return this.s.due.all({ now: nowMs, limit }).map(decodeEvent);
  }

  /** When the next pending event falls due; undefined when none waits. */
  nextDueMs(): number | undefined {
    return this.s.nextDue.get() ?? undefined;
  }

  markDelivered(rowid: number, at: string): void {
    this.s.delivered.run({ rowid, at });
  }

  /** One more failed attempt; the next one at `nextMs`. */
  markRetry(rowid: number, nextMs: number, error: string): void {
    this.s.retry.run({ rowid, next: nextMs, error });
  }

  /** Gives an event up (`attempted`: whether this counts as an attempt). */
  markFailed(rowid: number, error: string, attempted: boolean): void {
    this.s.failEvent.run({ rowid, error, attempted: attempted ? 1 : 0 });
  }

  /** Appends one attempt to the delivery log. */
  logDelivery(d: {
    eventRowid: number;
    attempt: number;
    atMs: number;
    outcome: DeliveryOutcome;
    httpStatus: number | null;
    error: string | null;
    durationMs: number;
  }): void {
    this.s.logDelivery.run({
      event_rowid: d.eventRowid,
      attempt: d.attempt,
      at_ms: d.atMs,
      outcome: d.outcome,
      http_status: d.httpStatus,
      error: d.error,
      duration_ms: d.durationMs,
    });
  }

  /** Drops settled events created before `beforeMs`, with their delivery log; pending events are kept. */
  prune(beforeMs: number): number {
    this.s.pruneDeliveries.run(beforeMs);
    return this.s.pruneEvents.run(beforeMs).changes;
  }

  /** The feed position up to which facts were turned into events; undefined before the first fan-out. */
  position(): number | undefined {
    const v = this.meta.get(POSITION_KEY);
    return v === undefined ? undefined : Number(v);
  }

  setPosition(position: number): void {
    this.meta.set(POSITION_KEY, String(position));
  }
}

function decodeSubscription(r: SubscriptionRow): SubscriptionRecord {
  return {
    id: r.id,
    subscriberIdentity: r.subscriber_identity,
    keyId: r.key_id,
    target: r.target,
    targetKind: r.target_kind,
    onChange: r.on_change,
    deliveryAddress: r.delivery_address,
    idempotencyKey: r.idempotency_key,
    secret: r.secret,
    createdAt: r.created_at,
    afterPosition: r.after_position,
    lastDeliveredAt: r.last_delivered_at,
    circuitOpen: r.circuit_open === 1,
    consecutiveFailures: r.consecutive_failures,
  };
}

function decodeEvent(r: EventRow): SubscriptionEventRecord {
  return {
    rowid: r.rowid,
    id: r.id,
    subscriptionId: r.subscription_id,
    eventType: r.event_type,
    entityUri: r.entity_uri,
    factId: r.fact_id,
    factRowid: r.fact_rowid,
    conflictId: r.conflict_id,
    createdAt: r.created_at,
    createdMs: r.created_ms,
    deliveredAt: r.delivered_at,
    deliveryStatus: r.delivery_status,
    deliveryAttempts: r.delivery_attempts,
    nextAttemptMs: r.next_attempt_ms,
    lastError: r.last_error,
  };
}
