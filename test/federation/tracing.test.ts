/**
 * A federation pull is one trace across both nodes: the subscriber's
 * `federation.pull` client span carries its context in `traceparent`, and
 * the publisher's PullFacts server span is its child. Over REST pages
 * (a reference peer) the same headers go with every page request.
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeReferencePeer } from "../helpers/fake-reference-peer.js";
import { link, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

function recorder(): { exporter: InMemorySpanExporter; provider: BasicTracerProvider } {
  const exporter = new InMemorySpanExporter();
  return { exporter, provider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) };
}

describe("tracing across federation", () => {
  const onA = recorder();
  const onB = recorder();
  let a: TestNode;
  let b: TestNode;
  let stopped = false;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode({ tracer: onA.provider.getTracer("a") }), startFedNode({ tracer: onB.provider.getTracer("b") })]);
  });
  afterAll(async () => {
    if (!stopped) await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([onA.provider.shutdown(), onB.provider.shutdown()]);
  });

  it("the publisher's PullFacts span is a child of the subscriber's pull span", async () => {
    // Each pulls the other once both have the other as an active peer.
    await link(b, a, ["public"]);
    await link(a, b, ["public"]);
    const f = await write(a, { entity: "user:traced", relation: "memory:n", value: { type: "number", v: 1 } });
    await until("b pulled a's fact", () => storedFacts(b).some((x) => x.id === f.id), 10_000);
    // Pulls follow until a side stops; stopping both ends every stream, and with it every span of both sides.
    await Promise.all([a.stop(), b.stop()]);
    stopped = true;
    const spans = [...onA.exporter.getFinishedSpans(), ...onB.exporter.getFinishedSpans()];
    const pulls = spans.filter((s) => s.name === "federation.pull");
    const served = spans.filter((s) => s.name === "stigmem.v1.FederationService/PullFacts");
    const pairs = served.flatMap((s) => pulls.filter((p) => p.spanContext().spanId === s.parentSpanContext?.spanId).map((p) => [p, s] as const));
    expect(pairs.length).toBeGreaterThan(0);
    const [pull, serve] = pairs[0]!;
    expect(serve.spanContext().traceId).toBe(pull.spanContext().traceId);
    expect(pull.attributes["stigmem.peer_transport"]).toBe("connect");
    expect([a.url, b.url]).toContain(pull.attributes["url.full"]);
    expect(pull.parentSpanContext).toBeUndefined();
  });

  it("over REST pages, every page request of a pull carries the pull's trace", async () => {
    const ref = await FakeReferencePeer.start(11);
    try {
      ref.facts = [ref.fact("user:ref-traced", "hello", Date.now() - 1_000)];
      const c = await startFedNode({ tracer: onB.provider.getTracer("c") });
      try {
        await ref.register(c, ["public"]);
        await until("c pulled the reference peer's fact", () => storedFacts(c).some((x) => x.received_from === ref.nodeId));
        await until("the pull span ended", () => onB.exporter.getFinishedSpans().some((s) => s.name === "federation.pull" && s.attributes["url.full"] === ref.url));
        const pull = onB.exporter.getFinishedSpans().find((s) => s.name === "federation.pull" && s.attributes["url.full"] === ref.url)!;
        expect(pull.attributes).toMatchObject({ "stigmem.peer_transport": "rest", "stigmem.facts_received": 1 });
        const traceparents = ref.traceparents.filter((t) => t.includes(pull.spanContext().traceId));
        expect(traceparents[0]).toBe(`00-${pull.spanContext().traceId}-${pull.spanContext().spanId}-01`);
      } finally {
        await c.stop();
      }
    } finally {
      await ref.stop();
    }
  });
});
