/**
 * Webhook subscriptions on real nodes, delivering to a real HTTP receiver on
 * loopback (allowed by STIGMEM_WEBHOOK_ALLOW_PRIVATE=1): signed bodies that
 * verify with the recipe of docs/subscriptions.md (written out here, not the
 * node's code), retries with the same event id, 410 deleting the
 * subscription, the circuit opening after 10 failures in a row, the SSRF
 * guard at creation (loopback literal and a name resolving to loopback) and
 * at delivery, and a pending delivery surviving a restart of the node.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/federation.js";
import { RestClient } from "../helpers/rest-client.js";
import type { TestNode } from "../helpers/test-node.js";
import { ADMIN_KEY, put, startWatchNode } from "./watch-kit.js";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver answering each path with the next status of its script (the last one repeats). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server!: http.Server;
  url = "";

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const p = req.url ?? "/";
        this.received.push({ path: p, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const script = this.scripts.get(p) ?? [200];
        const status = script.length > 1 ? script.shift()! : script[0]!;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(p: string, statuses: number[]): string {
    this.scripts.set(p, statuses);
    return `${this.url}${p}`;
  }

  at(p: string): Received[] {
    return this.received.filter((r) => r.path === p);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The receiver's check, as docs/subscriptions.md describes it. */
function verify(secret: string, r: Received): boolean {
  const timestamp = String(r.headers["x-stigmem-timestamp"]);
  const signature = String(r.headers["x-stigmem-signature"]);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${r.body}`).digest("hex");
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

const receiver = new Receiver();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "stigmem-webhooks-"));
let node: TestNode;
let admin: RestClient;
const ALLOW = { STIGMEM_WEBHOOK_ALLOW_PRIVATE: "1" };

beforeAll(async () => {
  await receiver.start();
  node = await startWatchNode({ dataDir, env: ALLOW });
  admin = new RestClient(node.url, ADMIN_KEY);
});
afterAll(async () => {
  await node.close();
  await receiver.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function hook(url: string, target = "company", client = admin): Promise<any> {
  const res = await client.post("/v1/subscriptions", { target, on_change: "webhook", delivery_address: url });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const deliveries = (subId: string): { outcome: string; http_status: number | null; attempt: number }[] =>
  node
    .inspect()
    .prepare(
      `SELECT d.outcome, d.http_status, d.attempt FROM subscription_deliveries d JOIN subscription_events e ON e.rowid = d.event_rowid
        WHERE e.subscription_id = ? ORDER BY d.rowid`,
    )
    .all(subId) as { outcome: string; http_status: number | null; attempt: number }[];

describe("webhook delivery", () => {
  it("posts a signed body that verifies with the documented recipe, only for the target the key may read", async () => {
    const s = await hook(receiver.script("/ok", [200]));
    expect(s.webhook_secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await put(node, "memory:hook_public", "p", { scope: "public" });
    const fact = await put(node, "memory:hook", "hello");
    await until("the receiver got the event", () => receiver.at("/ok").length >= 1);
    const [r] = receiver.at("/ok");
    expect(verify(s.webhook_secret, r!)).toBe(true);
    expect(verify(s.webhook_secret, { ...r!, body: r!.body.replace("hello", "hellO") })).toBe(false);
    const body = JSON.parse(r!.body);
    expect(body).toMatchObject({ subscription_id: s.id, event_type: "fact_asserted", fact: { id: fact.id, relation: "memory:hook" } });
    expect(body.idempotency_key).toBe(body.event_id);
    expect(r!.headers["x-stigmem-event-id"]).toBe(body.event_id);
    expect(receiver.at("/ok")).toHaveLength(1);
    await until("the delivery is recorded", async () => (await admin.get(`/v1/subscriptions/${s.id}`)).body.last_delivered_at !== null);
    const got = (await admin.get(`/v1/subscriptions/${s.id}`)).body;
    expect(got).toMatchObject({ consecutive_failures: 0, circuit_open: false, webhook_secret: null });
    expect(deliveries(s.id)).toEqual([{ outcome: "delivered", http_status: 200, attempt: 1 }]);
    await admin.request("DELETE", `/v1/subscriptions/${s.id}`);
  });

  it("retries a failing receiver with backoff and the same event id", async () => {
    const s = await hook(receiver.script("/flaky", [500, 503, 200]));
    await put(node, "memory:hook_retry", "again");
    await until("the third attempt", () => receiver.at("/flaky").length >= 3, 20_000);
    const attempts = receiver.at("/flaky");
    const ids = attempts.map((r) => JSON.parse(r.body).event_id);
    expect(new Set(ids).size).toBe(1);
    expect(attempts.every((r) => verify(s.webhook_secret, r))).toBe(true);
    await until("the delivery is logged", () => deliveries(s.id).length === 3);
    expect(deliveries(s.id)).toEqual([
      { outcome: "failed", http_status: 500, attempt: 1 },
      { outcome: "failed", http_status: 503, attempt: 2 },
      { outcome: "delivered", http_status: 200, attempt: 3 },
    ]);
    await admin.request("DELETE", `/v1/subscriptions/${s.id}`);
  });

  it("deletes the subscription when the receiver answers 410, audited", async () => {
    const s = await hook(receiver.script("/gone", [410]));
    await put(node, "memory:hook_gone", "bye");
    await until("the subscription is gone", async () => (await admin.get(`/v1/subscriptions/${s.id}`)).status === 404);
    const audit = node
      .inspect()
      .prepare("SELECT json_extract(detail, '$.reason') AS reason FROM audit_log WHERE event_type = 'subscription_deleted' AND json_extract(detail, '$.subscription_id') = ?")
      .all(s.id);
    expect(audit).toEqual([{ reason: "the receiver answered 410 Gone" }]);
  });

  it("opens the circuit after 10 failures in a row and then stops posting", async () => {
    const s = await hook(receiver.script("/down", [500]), "public");
    for (let i = 0; i < 10; i++) await put(node, "memory:hook_down", `n${i}`, { scope: "public", entity: `stigmem://testnode/user/d${i}` });
    await until("the circuit is open", async () => (await admin.get(`/v1/subscriptions/${s.id}`)).body.circuit_open === true, 20_000);
    expect((await admin.get(`/v1/subscriptions/${s.id}`)).body.consecutive_failures).toBe(10);
    expect(receiver.at("/down")).toHaveLength(10);
    // A later fact reaches a healthy subscription of the same target, not the open circuit.
    const witness = await hook(receiver.script("/witness", [200]), "public");
    const later = await put(node, "memory:hook_down", "later", { scope: "public" });
    await until("the witness got it", () => receiver.at("/witness").some((r) => JSON.parse(r.body).fact.id === later.id));
    expect(receiver.at("/down")).toHaveLength(10);
    await admin.request("DELETE", `/v1/subscriptions/${witness.id}`);
  });
});

describe("webhook SSRF guard", () => {
  it("refuses loopback targets at creation without STIGMEM_WEBHOOK_ALLOW_PRIVATE", async () => {
    const strict = await startWatchNode();
    try {
      const c = new RestClient(strict.url, ADMIN_KEY);
      for (const [url, type] of [
        ["https://127.0.0.1/hook", "address_not_allowed"],
        ["https://localhost/hook", "address_not_allowed"],
        ["https://[::1]:8443/hook", "address_not_allowed"],
        ["https://169.254.169.254/latest", "address_not_allowed"],
        ["http://hooks.example/in", "url_scheme"],
        ["ftp://hooks.example/in", "url_scheme"],
      ] as const) {
        const res = await c.post("/v1/subscriptions", { target: "company", on_change: "webhook", delivery_address: url });
        expect(res.status, url).toBe(422);
        expect(res.body.detail[0].type, url).toBe(type);
      }
    } finally {
      await strict.stop();
    }
  });
});

describe("webhook durability", () => {
  it("delivers a pending event after a restart, and re-checks the SSRF guard at delivery", async () => {
    const s = await hook(receiver.script("/restart", [503, 200]));
    const fact = await put(node, "memory:hook_restart", "durable");
    await until("the first attempt failed", () => deliveries(s.id).length === 1);
    await node.close();
    node = await startWatchNode({ dataDir, env: ALLOW });
    admin = new RestClient(node.url, ADMIN_KEY);
    await until("the retry after the restart", () => receiver.at("/restart").length === 2, 20_000);
    const ids = receiver.at("/restart").map((r) => JSON.parse(r.body));
    expect(ids[1].event_id).toBe(ids[0].event_id);
    expect(ids[1].fact.id).toBe(fact.id);
    expect(verify(s.webhook_secret, receiver.at("/restart")[1]!)).toBe(true);

    // The same subscription with the override gone: the next delivery is refused before connecting.
    await node.close();
    node = await startWatchNode({ dataDir });
    admin = new RestClient(node.url, ADMIN_KEY);
    await put(node, "memory:hook_restart", "refused");
    await until("the refusal is logged", () => deliveries(s.id).some((d) => d.outcome === "failed" && d.http_status === null));
    const refusal = node.inspect().prepare("SELECT error FROM subscription_deliveries ORDER BY rowid DESC LIMIT 1").pluck().get() as string;
    expect(refusal).toMatch(/url_scheme|address_not_allowed/);
    expect(receiver.at("/restart")).toHaveLength(2);
    await node.close();
    node = await startWatchNode({ dataDir, env: ALLOW });
    admin = new RestClient(node.url, ADMIN_KEY);
  });
});

describe("subscription events (replay window)", () => {
  it("lists a subscription's events oldest first, paged by cursor, with delivery status", async () => {
    const s = await hook(receiver.script("/listed", [200]), "public");
    const facts = [];
    for (let i = 0; i < 3; i++) facts.push(await put(node, "memory:hook_listed", `l${i}`, { scope: "public", entity: `stigmem://testnode/user/l${i}` }));
    await until("all delivered", () => receiver.at("/listed").length === 3);
    await until("all marked delivered", async () => {
      const all = (await admin.get(`/v1/subscriptions/${s.id}/events?limit=500`)).body;
      return all.events.length === 3 && all.events.every((e: { delivery_status: string }) => e.delivery_status === "delivered");
    });
    const first = (await admin.get(`/v1/subscriptions/${s.id}/events?limit=2`)).body;
    expect(first.total).toBe(3);
    expect(first.events.map((e: { fact_id: string }) => e.fact_id)).toEqual([facts[0].id, facts[1].id]);
    expect(first.events[0]).toMatchObject({ subscription_id: s.id, event_type: "fact_asserted", delivery_attempts: 1, payload: { fact: { id: facts[0].id } } });
    const second = (await admin.get(`/v1/subscriptions/${s.id}/events?limit=2&cursor=${first.cursor}`)).body;
    expect(second.events.map((e: { fact_id: string }) => e.fact_id)).toEqual([facts[2].id]);
    expect(second.cursor).toBeNull();
    expect((await admin.get(`/v1/subscriptions/${s.id}/events?cursor=nope`)).status).toBe(400);
    expect((await admin.get(`/v1/subscriptions/${s.id}/events?since=yesterday`)).status).toBe(422);
  });
});
