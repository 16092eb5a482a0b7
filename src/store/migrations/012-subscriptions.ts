import type { Migration } from "../migrate.js";

/**
 * Subscriptions (protocol.md §7 "Subscriptions", docs/subscriptions.md).
 *
 * - `subscriptions`: one row per subscription. `key_id` is the API key that
 *   created it: what it is told of is bounded by that key's scopes, and
 *   nothing is delivered once the key is revoked or expired. `after_position`
 *   is the feed position at creation: only facts committed after it make
 *   events. `secret` is the webhook's HMAC key (it must be kept to sign; it
 *   is returned once, at creation, and never logged).
 * - `subscription_events`: the events of webhook and wake subscriptions, the
 *   durable delivery queue (`pending` with the time of the next attempt) and
 *   the 24 h replay window. An event names its fact by rowid, so what is
 *   delivered or listed is rendered from the immutable row and re-checked
 *   against the subscriber's current key.
 * - `subscription_deliveries`: the delivery log, one row per attempt
 *   (outcome, HTTP status, error, duration), pruned with its event.
 *
 * The position of the fan-out (which facts of the feed were turned into
 * events) is `node_meta.subscriptions_position`, committed with the events
 * it produced, so a restart resumes where the last committed fan-out ended.
 * The conflict event types are reserved in the CHECK; today's fan-out emits
 * `fact_asserted` and `fact_retracted`.
 */
export const m012Subscriptions: Migration = {
  version: 12,
  name: "subscriptions",
  sql: `
    CREATE TABLE subscriptions (
      id                   TEXT PRIMARY KEY,
      subscriber_identity  TEXT NOT NULL,
      key_id               TEXT,
      target               TEXT NOT NULL,
      target_kind          TEXT NOT NULL CHECK (target_kind IN ('scope', 'entity')),
      on_change            TEXT NOT NULL CHECK (on_change IN ('webhook', 'wake', 'stream')),
      delivery_address     TEXT NOT NULL,
      idempotency_key      TEXT,
      secret               TEXT,
      created_at           TEXT NOT NULL,
      after_position       INTEGER NOT NULL,
      last_delivered_at    TEXT,
      circuit_open         INTEGER NOT NULL DEFAULT 0,
      consecutive_failures INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX subscriptions_owner ON subscriptions (subscriber_identity, created_at);
    CREATE UNIQUE INDEX subscriptions_idempotency ON subscriptions (subscriber_identity, idempotency_key)
      WHERE idempotency_key IS NOT NULL;

    CREATE TABLE subscription_events (
      rowid             INTEGER PRIMARY KEY,
      id                TEXT NOT NULL UNIQUE,
      subscription_id   TEXT NOT NULL,
      event_type        TEXT NOT NULL CHECK (event_type IN
                          ('fact_asserted', 'fact_retracted', 'conflict_detected', 'conflict_resolved')),
      entity_uri        TEXT,
      fact_id           TEXT,
      fact_rowid        INTEGER NOT NULL,
      conflict_id       TEXT,
      created_at        TEXT NOT NULL,
      created_ms        INTEGER NOT NULL,
      delivered_at      TEXT,
      delivery_status   TEXT NOT NULL CHECK (delivery_status IN ('pending', 'delivered', 'failed', 'recorded')),
      delivery_attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_ms   INTEGER,
      last_error        TEXT
    ) STRICT;
    CREATE INDEX subscription_events_by_subscription ON subscription_events (subscription_id, rowid);
    CREATE INDEX subscription_events_due ON subscription_events (next_attempt_ms) WHERE delivery_status = 'pending';
    CREATE INDEX subscription_events_age ON subscription_events (created_ms);

    CREATE TABLE subscription_deliveries (
      rowid        INTEGER PRIMARY KEY,
      event_rowid  INTEGER NOT NULL,
      attempt      INTEGER NOT NULL,
      at_ms        INTEGER NOT NULL,
      outcome      TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'gone', 'suppressed')),
      http_status  INTEGER,
      error        TEXT,
      duration_ms  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX subscription_deliveries_by_event ON subscription_deliveries (event_rowid);

  `,
};
