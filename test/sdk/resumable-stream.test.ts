/**
 * The resumable server-stream iterator. A refusal by the node (a cursor it
 * does not accept) must surface at once, not be retried; dropped
 * connections are exercised on an in-process Connect router that
 * serves FactService.WatchFacts from a fixed feed and drops the stream where
 * a test says: the iterator must reconnect after the last cursor it yielded,
 * lose nothing and repeat nothing.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport, type Transport } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FactSchema } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { FactEventType, FactService, type WatchFactsResponse } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { createServiceClients, resumableStream } from "../../sdks/typescript/src/connect/index.js";
import { UnavailableError } from "../../sdks/typescript/src/public-api.js";
import { createTransport } from "../../sdks/typescript/src/index.js";
import type { TestNode } from "../helpers/test-node.js";
import { ADMIN_KEY, startSdkNode } from "./sdk-node.js";

const FEED = Array.from({ length: 7 }, (_, i) => `f${i + 1}`);

/** A WatchFacts server over FEED: a heartbeat first, then events after `cursor`; fails after `dropAfter[n]` events on the n-th call. */
function watchServer(dropAfter: readonly number[], failWith = Code.Unavailable): { transport: Transport; cursors: (string | undefined)[] } {
  const cursors: (string | undefined)[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(FactService, {
      async *watchFacts(req) {
        const call = cursors.push(req.cursor) - 1;
        yield { kind: { case: "heartbeat", value: { serverTime: "2026-01-01T00:00:00Z" } } };
        const start = req.cursor === undefined ? 0 : FEED.indexOf(req.cursor) + 1;
        let sent = 0;
        for (const id of FEED.slice(start)) {
          if (sent === dropAfter[call]) throw new ConnectError("connection reset", failWith);
          yield {
            kind: {
              case: "factEvent",
              value: { eventType: FactEventType.ASSERTED, fact: create(FactSchema, { id }), cursor: id },
            },
          };
          sent += 1;
        }
      },
    });
  });
  return { transport, cursors };
}

const cursorOf = (m: WatchFactsResponse): string | undefined => (m.kind.case === "factEvent" ? m.kind.value.cursor : undefined);
const ids = (ms: WatchFactsResponse[]): string[] => ms.flatMap((m) => (m.kind.case === "factEvent" ? [m.kind.value.fact!.id] : []));

async function drain(stream: AsyncIterable<WatchFactsResponse>, limit = Infinity): Promise<WatchFactsResponse[]> {
  const out: WatchFactsResponse[] = [];
  for await (const m of stream) {
    out.push(m);
    if (ids(out).length >= limit) break;
  }
  return out;
}

describe("resumableStream", () => {
  it("reconnects after the last cursor it yielded, losing and repeating nothing", async () => {
    const { transport, cursors } = watchServer([2, 0, 3]);
    const rpc = createServiceClients(transport);
    const reconnects: (string | undefined)[] = [];
    const stream = resumableStream((cursor, signal) => rpc.facts.watchFacts({ scope: "company", cursor }, { signal }), {
      cursorOf,
      transport: "connect",
      initialDelayMs: 1,
      onReconnect: (r) => reconnects.push(r.cursor),
    });
    expect(ids(await drain(stream))).toEqual(FEED);
    expect(cursors).toEqual([undefined, "f2", "f2", "f5"]);
    expect(reconnects).toEqual(["f2", "f2", "f5"]);
    expect(stream.lastCursor).toBe("f7");
  });

  it("starts after a persisted cursor and reports where the consumer stopped", async () => {
    const { transport, cursors } = watchServer([]);
    const rpc = createServiceClients(transport);
    const stream = resumableStream((cursor, signal) => rpc.facts.watchFacts({ cursor }, { signal }), { cursorOf, transport: "grpc", cursor: "f3" });
    expect(ids(await drain(stream, 2))).toEqual(["f4", "f5"]);
    expect(cursors).toEqual(["f3"]);
    // The last message was handed over but not yet acknowledged by pulling the next one.
    expect(stream.lastCursor).toBe("f4");
  });

  it("gives up after maxAttempts failures in a row, with the typed error", async () => {
    const { transport, cursors } = watchServer([0, 0, 0, 0]);
    const rpc = createServiceClients(transport);
    const stream = resumableStream((cursor, signal) => rpc.facts.watchFacts({ cursor }, { signal }), { cursorOf, transport: "grpc-web", initialDelayMs: 1, maxAttempts: 3 });
    await expect(drain(stream)).rejects.toBeInstanceOf(UnavailableError);
    expect(cursors).toHaveLength(3);
  });

  it("does not retry a refusal", async () => {
    const { transport, cursors } = watchServer([1], Code.PermissionDenied);
    const rpc = createServiceClients(transport);
    const stream = resumableStream((cursor, signal) => rpc.facts.watchFacts({ cursor }, { signal }), { cursorOf, transport: "connect", initialDelayMs: 1 });
    await expect(drain(stream)).rejects.toMatchObject({ name: "PermissionError" });
    expect(cursors).toEqual([undefined]);
  });

  it("ends quietly when its signal aborts", async () => {
    const { transport } = watchServer([]);
    const rpc = createServiceClients(transport);
    const stop = new AbortController();
    const got: WatchFactsResponse[] = [];
    for await (const m of resumableStream((cursor, signal) => rpc.facts.watchFacts({ cursor }, { signal }), { cursorOf, transport: "connect", signal: stop.signal })) {
      got.push(m);
      if (ids(got).length === 3) stop.abort();
    }
    expect(ids(got)).toEqual(["f1", "f2", "f3"]);
  });
});

describe("resumableStream against the node", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startSdkNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  it.each(["connect", "grpc", "grpc-web"] as const)("surfaces WatchFacts' refusal of a cursor at once over %s", async (kind) => {
    const rpc = createServiceClients(createTransport({ baseUrl: node.url, apiKey: ADMIN_KEY, transport: kind }));
    let opened = 0;
    const stream = resumableStream(
      (cursor, signal) => {
        opened += 1;
        return rpc.facts.watchFacts({ cursor }, { signal });
      },
      { cursorOf, transport: kind, initialDelayMs: 1, cursor: "not-a-cursor" },
    );
    await expect(drain(stream)).rejects.toMatchObject({ code: "invalid_cursor" });
    expect(opened).toBe(1);
  });
});
