/**
 * What an operator sees of a real node: /metrics after REST, Connect, gRPC
 * and gRPC-Web calls (the runtime series, REST counts by route and status,
 * RPC counts by procedure and code — a gRPC error is not counted as a
 * success), the scrape-time gauges, auth failures; and a trace started by a
 * client carrying through a request into the node's spans.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { context, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { GardenService } from "../../gen/proto/stigmem/v1/gardens_pb.js";
import { NodeService } from "../../gen/proto/stigmem/v1/node_pb.js";
import { injectTraceContext } from "../../src/server/tracing.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const MISSING = "00000000-0000-4000-8000-000000000000";
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({ tracer: provider.getTracer("test") });
});
afterAll(async () => {
  await node.stop();
  await provider.shutdown();
});

async function scrape(url = node.url): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, or undefined when the series is absent. Labels may come in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v) && Object.keys(got).length === Object.keys(labels).length) {
      return Number(m[3]);
    }
  }
  return undefined;
}

describe("/metrics", () => {
  it("has the default process and Node.js runtime series", async () => {
    const text = await scrape();
    for (const name of [
      "process_cpu_user_seconds_total",
      "process_resident_memory_bytes",
      "process_start_time_seconds",
      "nodejs_eventloop_lag_seconds",
      "nodejs_heap_size_used_bytes",
      "nodejs_active_handles_total",
    ]) {
      expect(text, name).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\S+$`, "m"));
    }
  });

  it("counts REST requests by route pattern, method and status", async () => {
    expect((await fetch(`${node.url}/v1/facts/${MISSING}`)).status).toBe(404);
    expect((await fetch(`${node.url}/v1/gardens`)).status).toBe(501);
    const text = await scrape();
    expect(sample(text, "stigmem_http_requests_total", { route: "/v1/facts/:fact_id", method: "GET", status: "404" })).toBe(1);
    expect(sample(text, "stigmem_http_requests_total", { route: "/v1/gardens", method: "GET", status: "501" })).toBe(1);
    expect(sample(text, "stigmem_http_request_duration_seconds_count", { route: "/v1/gardens", method: "GET" })).toBe(1);
  });

  it("counts RPCs by procedure, protocol and code, a gRPC error included", async () => {
    const grpc = createGrpcTransport({ baseUrl: node.url });
    const connect = createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" });
    const grpcWeb = createGrpcWebTransport({ baseUrl: node.url, httpVersion: "1.1" });
    await createClient(NodeService, grpc).getNodeInfo({});
    await createClient(NodeService, grpc).getNodeInfo({});
    // gRPC answers these with HTTP 200; the code is in the trailers.
    await expect(createClient(FactService, grpc).getFact({ id: MISSING })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(createClient(GardenService, grpc).listGardens({})).rejects.toMatchObject({ code: Code.Unimplemented });
    await expect(createClient(FactService, connect).getFact({ id: MISSING })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(createClient(FactService, grpcWeb).getFact({ id: "sha256:nothex" })).rejects.toBeInstanceOf(ConnectError);

    const text = await scrape();
    const rpc = (procedure: string, protocol: string, code: string) =>
      sample(text, "stigmem_rpc_requests_total", { procedure, protocol, code });
    expect(rpc("/stigmem.v1.NodeService/GetNodeInfo", "grpc", "ok")).toBe(2);
    expect(rpc("/stigmem.v1.FactService/GetFact", "grpc", "not_found")).toBe(1);
    expect(rpc("/stigmem.v1.FactService/GetFact", "grpc", "ok")).toBeUndefined();
    expect(rpc("/stigmem.v1.GardenService/ListGardens", "grpc", "unimplemented")).toBe(1);
    expect(rpc("/stigmem.v1.FactService/GetFact", "connect", "not_found")).toBe(1);
    expect(rpc("/stigmem.v1.FactService/GetFact", "grpc_web", "invalid_argument")).toBe(1);
    expect(sample(text, "stigmem_rpc_duration_seconds_count", { procedure: "/stigmem.v1.NodeService/GetNodeInfo", protocol: "grpc" })).toBe(2);
    // RPCs are not double-counted as HTTP requests.
    expect(text).not.toMatch(/stigmem_http_requests_total\{[^}]*route="\/stigmem\.v1\./);
  });

  it("reads the gauges at scrape time", async () => {
    const fact = { entity: "user:gauge", relation: "memory:role", value: { type: "string", v: "x" }, source: "agent:test", scope: "company" };
    const res = await fetch(`${node.url}/v1/facts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fact) });
    expect(res.status).toBe(201);
    const text = await scrape();
    expect(sample(text, "stigmem_facts_total", {})).toBe(1);
    // The embedder works in the background: its backlog and the commits it rides are whatever they are now.
    for (const gauge of ["stigmem_recall_cached_rows", "stigmem_write_queue_depth", "stigmem_embedding_backlog"]) {
      expect(Number.isInteger(sample(text, gauge, {})), gauge).toBe(true);
    }
    expect(text).not.toMatch(/principal|entity_uri|agent:/);
  });

  it("reads an idle node's queue and backlog as zero once its writes have committed", async () => {
    const idle = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    try {
      const fact = { entity: "user:idle", relation: "memory:role", value: { type: "string", v: "x" }, source: "agent:test", scope: "company" };
      const res = await fetch(`${idle.url}/v1/facts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fact) });
      expect(res.status).toBe(201);
      const text = await scrape(idle.url);
      expect(sample(text, "stigmem_facts_total", {})).toBe(1);
      expect(sample(text, "stigmem_write_queue_depth", {})).toBe(0);
      expect(sample(text, "stigmem_embedding_backlog", {})).toBe(0);
    } finally {
      await idle.stop();
    }
  });

  it("counts authentication failures on both transports, without naming anyone", async () => {
    const secured = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: "k".repeat(40) } });
    try {
      const bad = { authorization: "Bearer stgm_not-a-key-of-this-node-000000000000000000000" };
      expect((await fetch(`${secured.url}/v1/me`, { headers: bad })).status).toBe(401);
      expect((await fetch(`${secured.url}/v1/me`)).status).toBe(401);
      const grpc = createGrpcTransport({ baseUrl: secured.url, interceptors: [(next) => (req) => (req.header.set("authorization", bad.authorization), next(req))] });
      await expect(createClient(FactService, grpc).getFact({ id: MISSING })).rejects.toMatchObject({ code: Code.Unauthenticated });
      const text = await fetch(`${secured.url}/metrics`).then((r) => r.text());
      expect(sample(text, "stigmem_auth_failures_total", { transport: "rest" })).toBe(2);
      expect(sample(text, "stigmem_auth_failures_total", { transport: "rpc" })).toBe(1);
      expect(text).not.toContain("not-a-key");
    } finally {
      await secured.stop();
    }
  });
});

describe("tracing", () => {
  const clientSpan = {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    traceFlags: TraceFlags.SAMPLED,
    isRemote: false,
  };
  const clientContext = trace.setSpanContext(ROOT_CONTEXT, clientSpan);

  it("continues the client's trace in a span per REST request, named by route", async () => {
    exporter.reset();
    const headers = injectTraceContext({}, clientContext);
    expect(headers).toEqual({ traceparent: `00-${clientSpan.traceId}-${clientSpan.spanId}-01` });
    expect((await fetch(`${node.url}/v1/facts/${MISSING}`, { headers })).status).toBe(404);
    const [span] = exporter.getFinishedSpans().filter((s) => s.name === "GET /v1/facts/:fact_id");
    expect(span?.spanContext().traceId).toBe(clientSpan.traceId);
    expect(span?.parentSpanContext?.spanId).toBe(clientSpan.spanId);
    expect(span?.attributes).toMatchObject({ "http.route": "/v1/facts/:fact_id", "http.response.status_code": 404 });
  });

  it("continues the client's trace in a span per RPC, named by procedure, with its code", async () => {
    exporter.reset();
    const plain = createGrpcTransport({ baseUrl: node.url });
    const traced = createGrpcTransport({
      baseUrl: node.url,
      interceptors: [
        (next) => (req) => {
          for (const [k, v] of Object.entries(injectTraceContext<Record<string, string>>({}, clientContext))) req.header.set(k, v);
          return next(req);
        },
      ],
    });
    await expect(createClient(FactService, traced).getFact({ id: MISSING })).rejects.toMatchObject({ code: Code.NotFound });
    await createClient(NodeService, plain).getNodeInfo({});
    const spans = exporter.getFinishedSpans();
    const getFact = spans.find((s) => s.name === "stigmem.v1.FactService/GetFact");
    expect(getFact?.spanContext().traceId).toBe(clientSpan.traceId);
    expect(getFact?.parentSpanContext?.spanId).toBe(clientSpan.spanId);
    expect(getFact?.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "stigmem.v1.FactService", "rpc.method": "GetFact", "rpc.grpc.status_code": 5 });
    // Without a traceparent the node starts a trace of its own.
    const info = spans.find((s) => s.name === "stigmem.v1.NodeService/GetNodeInfo");
    expect(info?.spanContext().traceId).not.toBe(clientSpan.traceId);
    expect(info?.parentSpanContext).toBeUndefined();
  });

  it("injects nothing outside a trace", () => {
    expect(context.active()).toBe(ROOT_CONTEXT);
    expect(injectTraceContext({ accept: "x" })).toEqual({ accept: "x" });
  });
});
