/**
 * The node's Prometheus metrics, on prom-client: its default process and
 * Node.js runtime series, request counts and latencies for REST (by route
 * pattern, method and status) and for RPCs (by procedure, protocol and
 * Connect/gRPC code — a gRPC error travels in trailers with HTTP 200, so
 * the HTTP status alone would count it as a success), authentication
 * failures, and gauges read at scrape time (facts stored, embedding
 * backlog, write-queue depth, ...).
 *
 * Labels never include a principal (protocol.md §12): only route patterns,
 * procedure names, methods, statuses and codes, so cardinality stays bounded.
 *
 * @module
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Upper bounds (seconds) of the latency buckets; spans sub-millisecond to slow. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A gauge whose value is read when /metrics is scraped. */
export interface GaugeSource {
  readonly name: string;
  readonly help: string;
  read(): number;
}

/** A gauge with one series per label value (e.g. per peer), read when /metrics is scraped. */
export interface LabelledGaugeSource<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  /** The current series; a label value absent from the answer is dropped from the exposition. */
  read(): { labels: Record<L, string>; value: number }[];
}

/** Which surface a request came through, for the auth-failure counter. */
export type Transport = "rest" | "rpc";

/**
 * Process-wide series (CPU, memory, event-loop lag, GC, handles): one
 * registry per process, however many nodes it runs (tests run dozens), so
 * the runtime observers are started once.
 */
let processRegistry: Registry | undefined;
function runtimeRegistry(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Collects one node's metrics and renders them with the process series in the Prometheus text format. */
export class Metrics {
  /** The node's own series (the process series live in a shared registry). */
  readonly registry = new Registry();
  /** `Content-Type` of {@link render}'s text. */
  readonly contentType = this.registry.contentType;

  private readonly httpRequests = new Counter({
    name: "stigmem_http_requests_total",
    help: "REST and other HTTP requests served (not RPCs), by route pattern, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });
  private readonly httpLatency = new Histogram({
    name: "stigmem_http_request_duration_seconds",
    help: "Latency of HTTP requests (not RPCs), by route pattern and method.",
    labelNames: ["route", "method"] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly rpcRequests = new Counter({
    name: "stigmem_rpc_requests_total",
    help: "RPCs served, by procedure, protocol (connect, grpc, grpc_web) and Connect/gRPC code (ok for success).",
    labelNames: ["procedure", "protocol", "code"] as const,
    registers: [this.registry],
  });
  private readonly rpcLatency = new Histogram({
    name: "stigmem_rpc_duration_seconds",
    help: "Latency of RPCs, by procedure and protocol.",
    labelNames: ["procedure", "protocol"] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: "stigmem_auth_failures_total",
    help: "Requests refused for missing, invalid or expired credentials (REST 401, RPC unauthenticated).",
    labelNames: ["transport"] as const,
    registers: [this.registry],
  });

  /** Records one finished HTTP request. `route` is the route pattern, never the raw URL. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpLatency.observe({ route, method }, seconds);
    if (status === 401) this.authFailures.inc({ transport: "rest" });
  }

  /** Records one finished RPC; `code` is the Connect code name (`ok`, `not_found`, ...). */
  observeRpc(procedure: string, protocol: string, code: string, seconds: number): void {
    this.rpcRequests.inc({ procedure, protocol, code });
    this.rpcLatency.observe({ procedure, protocol }, seconds);
    if (code === "unauthenticated") this.authFailures.inc({ transport: "rpc" });
  }

  /** Adds a gauge evaluated at scrape time (e.g. the number of stored facts). */
  addGauge(source: GaugeSource): void {
    new Gauge({
      name: source.name,
      help: source.help,
      registers: [this.registry],
      collect() {
        this.set(source.read());
      },
    });
  }

  /**
   * Adds a gauge with one series per label set, evaluated at scrape time.
   * Only for bounded label values (peers an operator approved), never for
   * principals or free text.
   */
  addLabelledGauge<L extends string>(source: LabelledGaugeSource<L>): void {
    new Gauge<L>({
      name: source.name,
      help: source.help,
      labelNames: source.labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, value } of source.read()) this.set(labels as Partial<Record<L, string | number>>, value);
      },
    });
  }

  /** The exposition text: the process series, then the node's. */
  async render(): Promise<string> {
    const [runtime, node] = await Promise.all([runtimeRegistry().metrics(), this.registry.metrics()]);
    return `${runtime.trimEnd()}\n${node}`;
  }
}
