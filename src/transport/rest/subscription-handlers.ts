/**
 * REST handlers of the `subscriptions` tag: the reference's
 * `/v1/subscriptions` routes (wire-compatible JSON) and ours, the live
 * stream of a subscription as Server-Sent Events:
 *
 * ```
 *  : ping                                   (the stream is live; then every 15 s while idle)
 *  id: <cursor>                             (resume with Last-Event-ID: <cursor>)
 *  event: fact_asserted | fact_retracted
 *  data: <SubscriptionEvent JSON, one line>
 * ```
 *
 * A key revoked mid-stream, or the subscription deleted, ends the stream;
 * the revocation with a last `event: error` frame carrying the error code.
 *
 * @module
 */
import { once } from "node:events";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { components } from "../../../gen/openapi/stigmem.js";
import { AppError } from "../../node/app-error.js";
import type { NodeContext } from "../../node/node-context.js";
import type { Principal } from "../../node/principal.js";
import { openWatch, type WatchFrame } from "../../node/subscriptions/fact-watcher.js";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  ownSubscription,
  type Subscription,
} from "../../node/subscriptions/manage-subscriptions.js";
import { listSubscriptionEvents } from "../../node/subscriptions/subscription-events.js";
import { factJson } from "./fact-json.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

const idOf = (req: FastifyRequest): string => (req.params as { subscription_id: string }).subscription_id;

export const subscriptionHandlers: RestHandlers = {
  createSubscription: async (req, reply, { node, principal }): Promise<Schemas["Subscription"]> => {
    const created = await createSubscription(node, principal, req.body);
    void reply.code(201);
    return subscriptionJson(created.subscription);
  },
  listSubscriptions: (_req, _reply, { node, principal }): Schemas["SubscriptionList"] => {
    const all = listSubscriptions(node, principal);
    return { subscriptions: all.map(subscriptionJson), total: all.length };
  },
  getSubscription: (req, _reply, { node, principal }): Schemas["Subscription"] => subscriptionJson(getSubscription(node, principal, idOf(req))),
  deleteSubscription: async (req, reply, { node, principal }) => {
    await deleteSubscription(node, principal, idOf(req));
    return reply.code(204).send();
  },
  streamSubscriptionEvents: (req, reply, { node, principal }) => streamEvents(node, principal, req, reply),
  listSubscriptionEvents: (req, _reply, { node, principal }): Schemas["SubscriptionEventPage"] => {
    const page = listSubscriptionEvents(node, principal, idOf(req), req.query as Record<string, unknown>);
    return {
      events: page.events.map(({ event: e, fact }) => ({
        id: e.id,
        subscription_id: e.subscriptionId,
        event_type: e.eventType,
        entity_uri: e.entityUri,
        fact_id: e.factId,
        payload: {
          event_id: e.id,
          idempotency_key: e.id,
          subscription_id: e.subscriptionId,
          event_type: e.eventType,
          fact: fact === null ? null : factJson(fact),
        },
        created_at: e.createdAt,
        delivered_at: e.deliveredAt,
        delivery_status: e.deliveryStatus,
        delivery_attempts: e.deliveryAttempts,
      })),
      total: page.total,
      cursor: page.cursor,
    };
  },
};

/** Serves one subscription's events as SSE until the client leaves, the key stops being valid or the subscription goes. */
async function streamEvents(node: NodeContext, principal: Principal, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const sub = ownSubscription(node, principal, idOf(req));
  const lastEventId = req.headers["last-event-id"];
  // Opened (and so validated) before any byte is sent: a bad Last-Event-ID is a plain 400.
  const watcher = openWatch(node, principal, {
    ...(sub.targetKind === "scope" ? { scope: sub.target } : { entity: sub.target }),
    cursor: typeof lastEventId === "string" ? lastEventId.trim() : undefined,
  });
  const res = reply.raw;
  const controller = new AbortController();
  res.once("close", () => controller.abort());
  reply.hijack();
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    // Proxies that buffer responses would hold events back.
    "x-accel-buffering": "no",
  });
  const send = async (text: string): Promise<void> => {
    if (res.write(text)) return;
    // A slow reader: wait for the socket, and let the watcher's queue take the strain.
    await Promise.race([once(res, "drain"), once(res, "close")]);
  };
  try {
    for await (const frame of watcher.frames(controller.signal)) {
      if (node.stores.subscriptions.byId(sub.id) === undefined) break;
      await send(frame.kind === "heartbeat" ? ": ping\n\n" : eventFrame(sub.id, frame));
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (!res.destroyed) res.write(`event: error\ndata: ${JSON.stringify({ code: e.code, message: e.message })}\n\n`);
  } finally {
    if (!res.destroyed) res.end();
  }
  return reply;
}

function eventFrame(subscriptionId: string, frame: Extract<WatchFrame, { kind: "event" }>): string {
  const fact = factJson(frame.fact);
  const event: Schemas["SubscriptionEvent"] = {
    id: frame.cursor,
    subscription_id: subscriptionId,
    event_type: frame.eventType,
    entity_uri: frame.fact.entity,
    fact_id: frame.fact.id,
    payload: { event_id: frame.cursor, idempotency_key: frame.fact.id, subscription_id: subscriptionId, event_type: frame.eventType, fact },
    created_at: new Date().toISOString(),
    delivered_at: new Date().toISOString(),
    delivery_status: "delivered",
    delivery_attempts: 1,
  };
  return `id: ${frame.cursor}\nevent: ${frame.eventType}\ndata: ${JSON.stringify(event)}\n\n`;
}

function subscriptionJson(s: Subscription): Schemas["Subscription"] {
  return {
    id: s.id,
    subscriber_identity: s.subscriberIdentity,
    target: s.target,
    target_kind: s.targetKind,
    on_change: s.onChange,
    delivery_address: s.deliveryAddress,
    idempotency_key: s.idempotencyKey,
    created_at: s.createdAt,
    last_delivered_at: s.lastDeliveredAt,
    circuit_open: s.circuitOpen,
    consecutive_failures: s.consecutiveFailures,
    webhook_secret: s.webhookSecret,
  };
}
