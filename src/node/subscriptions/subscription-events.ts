/**
 * `GET /v1/subscriptions/{id}/events` (the reference's replay window): the
 * events recorded for one of the caller's webhook or wake subscriptions in
 * the last 24 hours, oldest first, keyset-paged by event id. Each event's
 * fact is read again under the subscriber key's current rights: a fact the
 * key may no longer read is shown as null.
 *
 * @module
 */
import { EVENT_WINDOW_MS } from "../../core/subscriptions/delivery-policy.js";
import { isRfc3339, parseRfc3339 } from "../../core/timestamp.js";
import type { SubscriptionEventRecord } from "../../store/subscription-store.js";
import { AppError } from "../app-error.js";
import { toFact, type Fact } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";
import type { Principal } from "../principal.js";
import { QueryParams } from "../query-params.js";
import { ownSubscription } from "./manage-subscriptions.js";
import { subscriberPolicy, subscriptionCondition } from "./subscriber-policy.js";

/** One listed event and its fact as the subscriber may see it now. */
export interface ListedEvent {
  readonly event: SubscriptionEventRecord;
  readonly fact: Fact | null;
}

export interface EventPage {
  readonly events: readonly ListedEvent[];
  /** Events in the window (from `since`), all pages. */
  readonly total: number;
  /** Pass back as `cursor` for the next page; null on the last. */
  readonly cursor: string | null;
}

/**
 * @throws AppError not_found (not the caller's), validation_error, invalid_cursor.
 */
export function listSubscriptionEvents(
  ctx: Pick<NodeContext, "stores" | "keys">,
  principal: Principal,
  id: string,
  raw: { readonly since?: unknown; readonly cursor?: unknown; readonly limit?: unknown },
): EventPage {
  const sub = ownSubscription(ctx, principal, id);
  const q = new QueryParams(raw);
  const sinceText = q.str("since");
  const limit = q.num("limit", 50, 1, 500, true);
  const cursor = q.str("cursor");
  const sinceMs = sinceText === undefined || !isRfc3339(sinceText) ? undefined : parseRfc3339(sinceText, "since");
  if (sinceText !== undefined && sinceMs === undefined) q.violations.add(["query", "since"], "Input should be an RFC 3339 date-time", "datetime_parsing");
  q.violations.throwIfAny();
  const now = Date.now();
  const from = Math.max(now - EVENT_WINDOW_MS, sinceMs ?? 0);
  let afterRowid = 0;
  if (cursor !== undefined) {
    const at = ctx.stores.subscriptions.eventById(cursor);
    if (at?.subscriptionId !== sub.id) throw new AppError("invalid_cursor", "cursor is not an event of this subscription");
    afterRowid = at.rowid;
  }
  const rows = ctx.stores.subscriptions.listEvents({ subscriptionId: sub.id, sinceMs: from, afterRowid, limit: limit + 1 });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const policy = subscriberPolicy(ctx.keys, sub, now);
  const events = page.map((event) => {
    const row =
      policy === null
        ? undefined
        : ctx.stores.feed.read({ after: event.factRowid - 1, upto: event.factRowid, where: subscriptionCondition(policy, sub), limit: 1 }).rows[0];
    return { event, fact: row === undefined ? null : toFact(row, now) };
  });
  return { events, total: ctx.stores.subscriptions.countEvents(sub.id, from), cursor: more ? page[page.length - 1]!.id : null };
}
