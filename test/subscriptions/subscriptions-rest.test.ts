/**
 * The `/v1/subscriptions` routes on a real node: the reference's CRUD shape
 * (own subscriptions only, 404 for another caller's, idempotency key),
 * audited creation and deletion, validation, and the SSE stream of a
 * subscription: its target and the key's scopes decide what is sent,
 * `Last-Event-ID` resumes with nothing lost or repeated, `: ping` marks the
 * live moment, and a revocation or deletion ends the stream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestClient } from "../helpers/rest-client.js";
import type { TestNode } from "../helpers/test-node.js";
import { openSse } from "./sse-kit.js";
import { ADMIN_KEY, createKey, put, startWatchNode, T } from "./watch-kit.js";

let node: TestNode;
let admin: RestClient;
beforeAll(async () => {
  node = await startWatchNode();
  admin = new RestClient(node.url, ADMIN_KEY);
});
afterAll(async () => {
  await node.stop();
});

async function subscribe(client: RestClient, body: Record<string, unknown>): Promise<any> {
  const res = await client.post("/v1/subscriptions", { on_change: "stream", delivery_address: "label:test", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const relationsOf = (frames: { event?: string; data?: string }[]): string[] =>
  frames.filter((f) => f.event !== undefined && f.event !== "error").map((f) => JSON.parse(f.data!).payload.fact.relation);

describe("subscription CRUD", () => {
  it("creates, lists, fetches and deletes own subscriptions in the reference's shape, audited", async () => {
    const s = await subscribe(admin, { target: "company", idempotency_key: "k1" });
    expect(Object.keys(s).sort()).toEqual(
      ["circuit_open", "consecutive_failures", "created_at", "delivery_address", "id", "idempotency_key", "last_delivered_at", "on_change", "subscriber_identity", "target", "target_kind", "webhook_secret"].sort(),
    );
    expect(s).toMatchObject({ target: "company", target_kind: "scope", on_change: "stream", subscriber_identity: "agent:admin", webhook_secret: null, circuit_open: false });
    const again = await subscribe(admin, { target: "company", idempotency_key: "k1" });
    expect(again.id).toBe(s.id);
    const e = await subscribe(admin, { target: `${T}/user/Someone` });
    expect(e.target_kind).toBe("entity");
    const list = await admin.get("/v1/subscriptions");
    expect(list.body.total).toBe(list.body.subscriptions.length);
    expect(list.body.subscriptions.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([s.id, e.id]));
    expect((await admin.get(`/v1/subscriptions/${s.id}`)).body.id).toBe(s.id);
    // Another caller neither sees nor deletes it.
    const other = new RestClient(node.url, (await createKey(node, "other-owner", null)).key);
    expect((await other.get(`/v1/subscriptions/${s.id}`)).status).toBe(404);
    expect((await other.request("DELETE", `/v1/subscriptions/${s.id}`)).status).toBe(404);
    expect((await other.get("/v1/subscriptions")).body).toEqual({ subscriptions: [], total: 0 });
    expect((await admin.request("DELETE", `/v1/subscriptions/${s.id}`)).status).toBe(204);
    expect((await admin.get(`/v1/subscriptions/${s.id}`)).status).toBe(404);
    const audit = node
      .inspect()
      .prepare("SELECT event_type, json_extract(detail, '$.subscription_id') AS sid FROM audit_log WHERE event_type LIKE 'subscription_%' ORDER BY seq")
      .all() as { event_type: string; sid: string }[];
    expect(audit).toEqual([
      { event_type: "subscription_created", sid: s.id },
      { event_type: "subscription_created", sid: e.id },
      { event_type: "subscription_deleted", sid: s.id },
    ]);
  });

  it("refuses bad bodies with 422 and a scope the key may not read with 403", async () => {
    const bad = await admin.post("/v1/subscriptions", { target: "company", on_change: "carrier-pigeon", delivery_address: "x" });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe("validation_error");
    const missing = await admin.post("/v1/subscriptions", { on_change: "stream" });
    expect(missing.status).toBe(422);
    const scoped = new RestClient(node.url, (await createKey(node, "public-only", ["public"])).key);
    const denied = await scoped.post("/v1/subscriptions", { target: "company", on_change: "stream", delivery_address: "x" });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("scope_not_allowed");
  });
});

describe("subscription SSE stream", () => {
  it("streams the target's facts, resumes after Last-Event-ID without gaps or duplicates", async () => {
    const s = await subscribe(admin, { target: "public" });
    const url = `${node.url}/v1/subscriptions/${s.id}/stream`;
    const first = await openSse(url, ADMIN_KEY);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    await first.until((f) => f.some((x) => x.comment === "ping"));
    await put(node, "memory:s1", "a", { scope: "public" });
    await put(node, "memory:not_public", "b");
    await put(node, "memory:s2", "c", { scope: "public" });
    await first.until((f) => relationsOf(f).length === 2);
    first.stop();
    expect(relationsOf(first.frames)).toEqual(["memory:s1", "memory:s2"]);
    const [e1, e2] = first.events();
    expect(e1!.event).toBe("fact_asserted");
    expect(JSON.parse(e1!.data!).id).toBe(e1!.id);
    // Written while disconnected, then resumed after the first event.
    await put(node, "memory:s3", "d", { scope: "public" });
    const resumed = await openSse(url, ADMIN_KEY, e1!.id);
    await resumed.until((f) => f.some((x) => x.comment === "ping"));
    await put(node, "memory:s4", "e", { scope: "public" });
    await resumed.until((f) => relationsOf(f).length === 3);
    resumed.stop();
    expect(relationsOf(resumed.frames)).toEqual(["memory:s2", "memory:s3", "memory:s4"]);
    expect(resumed.events()[0]!.id).toBe(e2!.id);
    const bad = await openSse(url, ADMIN_KEY, "not-a-cursor");
    expect(bad.status).toBe(400);
  });

  it("never streams a fact the key may not read, and ends when the key is revoked or the subscription deleted", async () => {
    const k = await createKey(node, "sse-reader", ["company"]);
    const reader = new RestClient(node.url, k.key);
    const s = await subscribe(reader, { target: `${T}/user/watched` });
    const sse = await openSse(`${node.url}/v1/subscriptions/${s.id}/stream`, k.key);
    await sse.until((f) => f.some((x) => x.comment === "ping"));
    await put(node, "memory:sse_public", "p", { scope: "public" });
    await put(node, "memory:sse_company", "c");
    await sse.until((f) => relationsOf(f).length === 1);
    await admin.request("DELETE", `/v1/auth/keys/${k.id}`);
    await put(node, "memory:sse_after", "x");
    await sse.ended;
    expect(relationsOf(sse.frames)).toEqual(["memory:sse_company"]);
    const last = sse.frames[sse.frames.length - 1]!;
    expect(last.event).toBe("error");
    expect(JSON.parse(last.data!).code).toBe("invalid_api_key");

    const s2 = await subscribe(admin, { target: "company" });
    const sse2 = await openSse(`${node.url}/v1/subscriptions/${s2.id}/stream`, ADMIN_KEY);
    await sse2.until((f) => f.some((x) => x.comment === "ping"));
    expect((await admin.request("DELETE", `/v1/subscriptions/${s2.id}`)).status).toBe(204);
    await put(node, "memory:sse_gone", "g");
    await sse2.ended;
    expect(relationsOf(sse2.frames)).toEqual([]);
  });
});
