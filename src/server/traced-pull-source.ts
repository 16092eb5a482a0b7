/**
 * Traces federation pulls: each connection a puller opens to a peer is a
 * client span (`federation.pull`), and its trace context travels in the
 * requests' `traceparent`, so the peer's PullFacts (or REST page) spans
 * are children of it and one trace shows both sides of the replication.
 * A decorator over any {@link PullSource}: the sources only pass the
 * headers they are given.
 *
 * @module
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import type { PullFrame, PullSource, PullSourceFactory } from "../node/federation/pull-source.js";
import type { PeerRecord } from "../store/peer-store.js";
import { injectTraceContext } from "./tracing.js";

/** `factory`, with every source it builds traced by `tracer`. */
export function tracedPullSources(factory: PullSourceFactory, tracer: Tracer): PullSourceFactory {
  return (peer, mint) => tracedPullSource(factory(peer, mint), peer, tracer);
}

function tracedPullSource(source: PullSource, peer: PeerRecord, tracer: Tracer): PullSource {
  return {
    pollIntervalMs: source.pollIntervalMs,
    async *open(cursor: string | null, signal: AbortSignal): AsyncGenerator<PullFrame> {
      // A root span: a pull belongs to no request, it is the start of its own trace.
      const span = tracer.startSpan(
        "federation.pull",
        { kind: SpanKind.CLIENT, attributes: { "stigmem.peer_id": peer.peerId, "stigmem.peer_transport": peer.transport ?? "unknown", "url.full": peer.nodeUrl } },
        ROOT_CONTEXT,
      );
      const headers = injectTraceContext({}, trace.setSpan(ROOT_CONTEXT, span));
      let facts = 0;
      try {
        for await (const frame of source.open(cursor, signal, headers)) {
          if (frame.kind === "page") facts += frame.facts.length;
          yield frame;
        }
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        throw e;
      } finally {
        span.setAttribute("stigmem.facts_received", facts);
        span.end();
      }
    },
  };
}
