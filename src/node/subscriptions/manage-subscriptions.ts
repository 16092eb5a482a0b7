/**
 * The `/v1/subscriptions` use cases (protocol.md §7 "Subscriptions", the
 * reference's routes): create, list, fetch and delete, each bounded to the
 * caller's own subscriptions (another caller's id is `not_found`, never
 * `forbidden`, so ids cannot be probed). Creating and deleting are audited
 * (`subscription_created`, `subscription_deleted`) in the same transaction
 * as the change.
 *
 * A subscription watches a target: a scope name, or else an entity URI
 * (normalized). It needs `read` and read access to the target's scope; what
 * it is told of is re-checked against its key at every event. Three kinds:
 * `webhook` (signed POSTs to an https address that passes the SSRF guard),
 * `stream` (`GET /v1/subscriptions/{id}/stream`) and `wake` (recorded only).
 *
 * @module
 */
import { newUuidV7 } from "../../core/uuid-v7.js";
import { isScope } from "../../core/scope.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { generateWebhookSecret } from "../../core/subscriptions/webhook-signature.js";
import { formatTimestamp } from "../../core/timestamp.js";
import type { OnChange, SubscriptionRecord, TargetKind } from "../../store/subscription-store.js";
import { readPolicyFor, requireReadableScope } from "../access/read-policy.js";
import { AppError } from "../app-error.js";
import type { NodeContext } from "../node-context.js";
import type { Principal } from "../principal.js";
import { isRecord, optionalString, requiredString, Violations } from "../validation.js";
import { resolveWebhookTarget, WebhookTargetError } from "./webhook-target.js";

/** Longest target, delivery address or idempotency key accepted, in characters. */
const MAX_FIELD = 2_048;
const KINDS: readonly OnChange[] = ["webhook", "wake", "stream"];

/** A subscription as the use cases return it; `webhookSecret` only from {@link createSubscription}. */
export interface Subscription extends Omit<SubscriptionRecord, "secret" | "keyId" | "afterPosition"> {
  readonly webhookSecret: string | null;
}

/** The result of a creation: the subscription and whether it already existed (idempotency). */
export interface Created {
  readonly subscription: Subscription;
  readonly existed: boolean;
}

type SubscriptionContext = Pick<NodeContext, "stores" | "writes" | "config">;

/**
 * Creates a subscription for the caller (the JSON body as parsed).
 * @throws AppError validation_error (body, webhook address), permission_denied, scope_not_allowed.
 */
export async function createSubscription(ctx: SubscriptionContext, principal: Principal, body: unknown): Promise<Created> {
  const policy = readPolicyFor(principal);
  const v = new Violations();
  const b = isRecord(body) ? body : {};
  if (!isRecord(body)) v.add(["body"], "Input should be a valid dictionary", "dict_type");
  const rawTarget = requiredString(v, b, "target", ["body"]);
  const onChange = requiredString(v, b, "on_change", ["body"]);
  const address = requiredString(v, b, "delivery_address", ["body"]);
  const idempotencyKey = optionalString(v, b, "idempotency_key", ["body"]);
  for (const [key, value] of [["target", rawTarget], ["delivery_address", address], ["idempotency_key", idempotencyKey]] as const) {
    if (value !== undefined && value.length > MAX_FIELD) v.add(["body", key], `String should have at most ${MAX_FIELD} characters`, "string_too_long");
  }
  if (onChange !== undefined && !(KINDS as readonly string[]).includes(onChange)) {
    v.add(["body", "on_change"], "Input should be 'webhook', 'wake' or 'stream'", "enum");
  }
  v.throwIfAny();
  const owner = principal.entityUri;
  if (idempotencyKey !== undefined) {
    const existing = ctx.stores.subscriptions.byIdempotencyKey(owner, idempotencyKey);
    if (existing !== undefined) return { subscription: toSubscription(existing, false), existed: true };
  }
  let target: string;
  let targetKind: TargetKind;
  if (isScope(rawTarget!)) {
    target = rawTarget!;
    targetKind = "scope";
    requireReadableScope(policy, target);
  } else {
    target = v.capture(["body", "target"], () => normalizeEntityUri(rawTarget!, "target"))!;
    targetKind = "entity";
  }
  const kind = onChange as OnChange;
  if (kind === "webhook") {
    try {
      await resolveWebhookTarget(address!, { allowPrivate: ctx.config.webhookAllowPrivate });
    } catch (e) {
      if (!(e instanceof WebhookTargetError)) throw e;
      v.add(["body", "delivery_address"], e.message, e.code);
      v.throwIfAny();
    }
  }
  const now = Date.now();
  const record = {
    id: newUuidV7(now),
    subscriberIdentity: owner,
    keyId: principal.keyId,
    target,
    targetKind,
    onChange: kind,
    deliveryAddress: address!,
    idempotencyKey: idempotencyKey ?? null,
    secret: kind === "webhook" ? generateWebhookSecret() : null,
    createdAt: formatTimestamp(now),
    afterPosition: 0,
  };
  return ctx.writes.submit(() => {
    // Inside the write: a concurrent creation with the same key found nothing above either.
    const raced = idempotencyKey === undefined ? undefined : ctx.stores.subscriptions.byIdempotencyKey(owner, idempotencyKey);
    if (raced !== undefined) return { subscription: toSubscription(raced, false), existed: true };
    const stored = { ...record, afterPosition: ctx.stores.feed.headPosition() };
    ctx.stores.subscriptions.insert(stored);
    ctx.stores.audit.append({
      eventType: "subscription_created",
      actor: owner,
      outcome: "success",
      scope: targetKind === "scope" ? target : undefined,
      detail: { subscription_id: stored.id, target, target_kind: targetKind, on_change: kind },
    });
    return { subscription: toSubscription({ ...stored, lastDeliveredAt: null, circuitOpen: false, consecutiveFailures: 0 }, true), existed: false };
  });
}

/** The caller's subscriptions, newest first. */
export function listSubscriptions(ctx: Pick<NodeContext, "stores">, principal: Principal): Subscription[] {
  readPolicyFor(principal);
  return ctx.stores.subscriptions.listByOwner(principal.entityUri).map((s) => toSubscription(s, false));
}

/**
 * One of the caller's subscriptions, with its stored record.
 * @throws AppError not_found (none, or another caller's).
 */
export function ownSubscription(ctx: Pick<NodeContext, "stores">, principal: Principal, id: string): SubscriptionRecord {
  readPolicyFor(principal);
  const s = ctx.stores.subscriptions.byId(id);
  if (s?.subscriberIdentity !== principal.entityUri) throw new AppError("not_found", `no subscription ${id}`);
  return s;
}

/** @throws AppError not_found. */
export function getSubscription(ctx: Pick<NodeContext, "stores">, principal: Principal, id: string): Subscription {
  return toSubscription(ownSubscription(ctx, principal, id), false);
}

/**
 * Deletes one of the caller's subscriptions with its events.
 * @throws AppError not_found.
 */
export async function deleteSubscription(ctx: SubscriptionContext, principal: Principal, id: string): Promise<void> {
  const s = ownSubscription(ctx, principal, id);
  await ctx.writes.submit(() => {
    if (!ctx.stores.subscriptions.delete(s.id)) return;
    ctx.stores.audit.append({
      eventType: "subscription_deleted",
      actor: principal.entityUri,
      outcome: "success",
      detail: { subscription_id: s.id, reason: "deleted by owner" },
    });
  });
}

function toSubscription(s: SubscriptionRecord, withSecret: boolean): Subscription {
  const { secret, keyId: _keyId, afterPosition: _after, ...rest } = s;
  return { ...rest, webhookSecret: withSecret ? secret : null };
}
