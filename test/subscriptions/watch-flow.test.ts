/**
 * A watcher's flow control on a real node, driven in-process so the test
 * decides when the consumer reads: a consumer that stalls while more
 * commits arrive than its queue holds makes the queue overflow (dropped,
 * counted), and it still receives every fact exactly once, in feed order,
 * re-read from the store; an idle watcher sends heartbeats. The runtime is
 * the production one with a small queue and a short heartbeat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANON_TRUSTED } from "../../src/node/principal.js";
import { openWatch, type WatchContext, type WatchFrame } from "../../src/node/subscriptions/fact-watcher.js";
import { SubscriptionRuntime } from "../../src/node/subscriptions/subscription-runtime.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
});
afterAll(async () => {
  await node.stop();
});

function contextWith(runtime: SubscriptionRuntime): WatchContext {
  const n = node.node;
  return { stores: n.stores, signal: n.signal, keys: n.keys, federation: n.federation, subscriptions: runtime };
}

let batches = 0;
async function writeMany(relation: string, count: number): Promise<string[]> {
  batches += 1;
  const facts = Array.from({ length: count }, (_, i) => ({
    entity: `stigmem://testnode/user/flow${i}`,
    relation,
    value: { type: "string", v: `b${batches} n${i}` },
    source: "stigmem://testnode/agent/flow",
    scope: "company",
  }));
  const res = await new RestClient(node.url).post("/v1/facts:batch", { facts });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.results as { fact_id: string }[]).map((r) => r.fact_id);
}

describe("watcher flow control", () => {
  it("drops the buffer of a stalled consumer and re-reads the store, losing and repeating nothing", async () => {
    const runtime = new SubscriptionRuntime({ heartbeatMs: 3_600_000, queueLimit: 8 });
    const w = openWatch(contextWith(runtime), ANON_TRUSTED, { relation: "memory:flow" });
    const frames = w.frames(new AbortController().signal);
    expect((await frames.next()).value).toEqual({ kind: "heartbeat" });
    // The consumer stalls while 3 commits of 20 facts each arrive: more than the queue holds.
    const written = [...(await writeMany("memory:flow", 20)), ...(await writeMany("memory:flow", 20)), ...(await writeMany("memory:flow", 20))];
    expect(runtime.overflows).toBe(1);
    const got: WatchFrame[] = [];
    while (got.length < written.length) got.push((await frames.next()).value as WatchFrame);
    expect(new Set(written).size).toBe(60);
    expect(got.map((f) => (f.kind === "event" ? f.fact.id : "heartbeat"))).toEqual(written);
    // Live again after the fallback: the next commit comes from the queue.
    const [late] = await writeMany("memory:flow", 1);
    const next = (await frames.next()).value as WatchFrame;
    expect(next.kind === "event" && next.fact.id).toBe(late);
    expect(runtime.watchers).toBe(1);
    await frames.return(undefined);
    expect(runtime.watchers).toBe(0);
  });

  it("sends heartbeats while idle, and fails unavailable (reconnect) when the node's watchers are closed", async () => {
    const runtime = new SubscriptionRuntime({ heartbeatMs: 10, queueLimit: 8 });
    const w = openWatch(contextWith(runtime), ANON_TRUSTED, { relation: "memory:idle" });
    const frames = w.frames(new AbortController().signal);
    expect((await frames.next()).value).toEqual({ kind: "heartbeat" });
    expect((await frames.next()).value).toEqual({ kind: "heartbeat" });
    await runtime.close();
    await expect(frames.next()).rejects.toMatchObject({ code: "unavailable" });
  });
});
