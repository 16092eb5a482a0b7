/**
 * OpenTelemetry tracing. Every request gets a server span named after its
 * route or procedure, a child of the caller's W3C `traceparent` when there
 * is one; code that makes outgoing requests (federation pulls) passes the
 * current trace on with {@link injectTraceContext}.
 *
 * Export is off by default: spans leave the process only when an OTLP
 * endpoint is configured (`STIGMEM_OTEL_EXPORTER_OTLP_ENDPOINT` or the
 * standard `OTEL_EXPORTER_OTLP_ENDPOINT`). Without one the tracer is the
 * API's no-op tracer, which still carries an incoming trace context through
 * a request, so a peer called on its behalf continues the caller's trace.
 *
 * @module
 */
import { context, propagation, trace, type Context, type TextMapGetter, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { VERSION } from "../version.js";
import type { Logger } from "./logger.js";

/** Instrumentation scope of the node's spans. */
export const TRACER_NAME = "stigmem-node";

/** `traceparent` / `tracestate` (W3C Trace Context), the only propagation format the node speaks. */
const PROPAGATOR = new W3CTraceContextPropagator();

/** A tracer and how to flush it on shutdown. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is buffered and stops; resolves even if the collector is unreachable. */
  shutdown(): Promise<void>;
}

let contextManagerInstalled = false;

/**
 * Makes the trace context follow async work (AsyncLocalStorage), so a span
 * made current for a request handler is current in everything it awaits.
 * Process-wide and idempotent: the API keeps one context manager.
 */
export function installContextManager(): void {
  if (contextManagerInstalled) return;
  contextManagerInstalled = true;
  // false when one was registered already (an embedding application's): keep theirs.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(PROPAGATOR);
}

/**
 * The node's tracer: exporting over OTLP/HTTP (protobuf) to
 * `<otlpEndpoint>/v1/traces` when an endpoint is configured, else the API's
 * tracer (a no-op unless the embedding process registered a provider).
 */
export function startTracing(otlpEndpoint: string | undefined, log: Logger, nodeId: string): Tracing {
  installContextManager();
  if (otlpEndpoint === undefined) {
    return { tracer: trace.getTracer(TRACER_NAME, VERSION), shutdown: async () => {} };
  }
  const url = `${otlpEndpoint}/v1/traces`;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": TRACER_NAME,
      "service.version": VERSION,
      "service.instance.id": nodeId,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  log.info({ otlp_traces_url: url }, "exporting traces over OTLP");
  return {
    tracer: provider.getTracer(TRACER_NAME, VERSION),
    shutdown: () =>
      provider.shutdown().catch((e: unknown) => log.warn({ err: e }, "could not flush traces to the OTLP collector")),
  };
}

/** The trace context a request's headers carry (`traceparent`), or `base` when they carry none. */
export function extractTraceContext(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  base: Context = context.active(),
): Context {
  const getter: TextMapGetter<typeof headers> = {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => carrier[key],
  };
  return PROPAGATOR.extract(base, headers, getter);
}

/**
 * Adds `traceparent` (and `tracestate`) for the current trace to the
 * headers of an outgoing request, so the callee's spans join this trace.
 * Without a current span it adds nothing. Returns `headers`.
 *
 * @example
 * await fetch(peerUrl, { headers: injectTraceContext({ authorization: `Bearer ${token}` }) });
 */
export function injectTraceContext<H extends Record<string, string>>(headers: H, ctx: Context = context.active()): H {
  PROPAGATOR.inject(ctx, headers, {
    set: (carrier, key, value) => {
      (carrier as Record<string, string>)[key] = value;
    },
  });
  return headers;
}
