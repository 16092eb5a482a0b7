/**
 * `facts.watch` over Connect, gRPC and gRPC-Web: the WatchFacts server
 * stream as an async iterable of fact events, heartbeats left out, resumed
 * after the last cursor it yielded when the connection drops
 * (resumable-stream.ts).
 *
 * @module
 */
import { FactEventType, type WatchFactsResponse } from "../../../../gen/proto/stigmem/v1/facts_pb.js";
import type { FactEvent, FactWatch, TransportKind, WatchOptions } from "../types.js";
import * as from from "./from-proto.js";
import { resumableStream } from "./resumable-stream.js";
import type { ServiceClients } from "./service-clients.js";

const cursorOf = (m: WatchFactsResponse): string | undefined => (m.kind.case === "factEvent" ? m.kind.value.cursor : undefined);

/** Opens a watch with `opts` on `rpc`. */
export function watchFacts(rpc: ServiceClients, kind: Exclude<TransportKind, "rest">, opts: WatchOptions = {}): FactWatch {
  const stream = resumableStream(
    (cursor, signal) =>
      rpc.facts.watchFacts(
        { entity: opts.entity, relation: opts.relation, relationPrefix: opts.relationPrefix, scope: opts.scope, cursor },
        // A watch lives until stopped: the client's default call timeout does not apply.
        { signal, timeoutMs: 0 },
      ),
    { cursorOf, transport: kind, cursor: opts.cursor, signal: opts.signal, maxAttempts: opts.maxAttempts, onReconnect: opts.onReconnect },
  );
  async function* events(): AsyncGenerator<FactEvent> {
    for await (const m of stream) {
      if (m.kind.case !== "factEvent") continue;
      const e = m.kind.value;
      yield { type: e.eventType === FactEventType.RETRACTED ? "retracted" : "asserted", fact: from.fact(e.fact), cursor: e.cursor };
    }
  }
  return {
    get lastCursor() {
      return stream.lastCursor;
    },
    [Symbol.asyncIterator]: () => events(),
  };
}
