/**
 * `client.facts.watch()` of the TypeScript SDK against a real node over
 * Connect, gRPC and gRPC-Web: events in feed order with their cursors, and
 * across a restart of the node (same port, same data folder) the iterator
 * reconnects after its last cursor and loses or repeats nothing. Over REST
 * it fails at once with NotImplementedError.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createClient, NotImplementedError, type FactEvent } from "../../sdks/typescript/src/index.js";
import { freePort } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";
import { ADMIN_KEY, put, startWatchNode } from "./watch-kit.js";

const dirs: string[] = [];
let node: TestNode | undefined;
afterAll(async () => {
  await node?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-sdk-watch-"));
  dirs.push(d);
  return d;
}

/** `put`, once more if fetch reused a keep-alive socket of the node process that just stopped. */
async function putAfterRestart(n: TestNode, relation: string, v: string): Promise<any> {
  try {
    return await put(n, relation, v);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return put(n, relation, v);
  }
}

/** Collects a watch's events in the background; `until` resolves when enough arrived. */
function collect(watch: AsyncIterable<FactEvent>): { events: FactEvent[]; until: (n: number) => Promise<void>; done: Promise<unknown> } {
  const events: FactEvent[] = [];
  const waiters: (() => void)[] = [];
  const done = (async () => {
    try {
      for await (const e of watch) {
        events.push(e);
        for (const w of waiters.splice(0)) w();
      }
      return undefined;
    } catch (e) {
      return e;
    }
  })();
  const until = async (n: number): Promise<void> => {
    while (events.length < n) {
      const next = new Promise<void>((resolve) => waiters.push(resolve));
      const ended = await Promise.race([next.then(() => false), done.then(() => true)]);
      if (ended && events.length < n) throw new Error(`the watch ended after ${events.length} events: ${String(await done)}`);
    }
  };
  return { events, until, done };
}

describe("client.facts.watch", () => {
  it.each(["connect", "grpc", "grpc-web"] as const)("resumes after its last cursor across a node restart over %s", async (transport) => {
    const port = await freePort();
    const dataDir = freshDir();
    const start = (): Promise<TestNode> => startWatchNode({ dataDir, env: { STIGMEM_PORT: String(port) } });
    node = await start();
    const rel = `memory:sdk_${transport.replace("-", "_")}`;
    const controller = new AbortController();
    const client = createClient({ baseUrl: node.url, apiKey: ADMIN_KEY, transport, timeoutMs: 5_000 });
    const watch = client.facts.watch({ relation: rel, signal: controller.signal, maxAttempts: 50 });
    const got = collect(watch);
    // The first write may land before the stream is live: write until one arrives, then count from there.
    const written: string[] = [];
    while (got.events.length === 0) {
      written.push((await put(node, rel, `w${written.length}`)).id);
      await Promise.race([got.until(1), new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    const seenBefore = written.indexOf(got.events[0]!.fact.id);
    expect(seenBefore).toBeGreaterThanOrEqual(0);
    written.splice(0, seenBefore);
    for (let i = 0; i < 3; i++) written.push((await put(node, rel, `x${i}`)).id);
    await got.until(written.length);
    await node.close();
    node = undefined;
    node = await start();
    for (let i = 0; i < 3; i++) written.push((await putAfterRestart(node, rel, `y${i}`)).id);
    await got.until(written.length);
    controller.abort();
    await got.done;
    expect(got.events.map((e) => e.fact.id)).toEqual(written);
    expect(got.events.every((e) => e.type === "asserted" && e.cursor !== "")).toBe(true);
    expect(watch.lastCursor).toBe(got.events[got.events.length - 1]!.cursor);
    await node.close();
    node = undefined;
  });

  it("fails at once over REST", async () => {
    node = await startWatchNode({ dataDir: freshDir() });
    const client = createClient({ baseUrl: node.url, apiKey: ADMIN_KEY, transport: "rest" });
    const it = client.facts.watch()[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toBeInstanceOf(NotImplementedError);
    await node.close();
    node = undefined;
  });
});
