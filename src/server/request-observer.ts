/**
 * What every request leaves behind: a server span (continuing the caller's
 * `traceparent`), a count and latency in /metrics, and one log line. REST
 * requests are labelled by route pattern, method and status; RPCs by
 * procedure, protocol and the Connect/gRPC code they ended with, which
 * {@link observeRpcs} records from inside the Connect handler because gRPC
 * carries failures in trailers under an HTTP 200.
 *
 * The span is made the active context around each route handler, so any
 * code the handler runs sees it (`injectTraceContext` for outgoing calls).
 *
 * @module
 */
import {
  context,
  createContextKey,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import type { Interceptor, StreamResponse, UnaryResponse } from "@connectrpc/connect";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { logRequestFailure } from "../logger.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { codeFromResponse, codeOfError, grpcStatusNumber, isServerFault, rpcProtocol } from "./rpc-outcome.js";
import { extractTraceContext, installContextManager } from "./tracing.js";

/** One request in flight. */
interface Observation {
  readonly span: Span;
  /** The caller's trace context with {@link span} current and this observation attached. */
  context: Context;
  /** `/pkg.Service/Method` for an RPC, undefined otherwise. */
  readonly procedure: string | undefined;
  /** The request's logger (carries its request id). */
  readonly log: Pick<Logger, "info" | "error">;
  /** The code the RPC ended with, once known. */
  rpcCode: string | undefined;
}

const OBSERVATION = createContextKey("stigmem request observation");
const observations = new WeakMap<FastifyRequest, Observation>();

export interface RequestObserverOptions {
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  /** Request paths of the Connect procedures (`/stigmem.v1.FactService/AssertFact`). */
  readonly rpcPaths: ReadonlySet<string>;
}

/**
 * Adds the hooks to `app`. Call before any route is registered: handlers
 * are wrapped as their routes are added.
 */
export function observeRequests(app: FastifyInstance, opts: RequestObserverOptions): void {
  installContextManager();
  const { metrics, tracer, rpcPaths } = opts;

  app.addHook("onRoute", (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function observed(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const obs = observations.get(req);
      return obs === undefined ? handler.call(this, req, reply) : context.with(obs.context, () => handler.call(this, req, reply));
    };
  });

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
    const route = req.routeOptions.url;
    const procedure = route !== undefined && rpcPaths.has(route) ? route : undefined;
    const parent = extractTraceContext(req.headers, context.active());
    const span = tracer.startSpan(
      procedure === undefined ? `${req.method} ${route ?? "unmatched"}` : procedure.slice(1),
      { kind: SpanKind.SERVER, attributes: startAttributes(req, route, procedure) },
      parent,
    );
    const obs: Observation = { span, context: parent, procedure, log: req.log, rpcCode: undefined };
    // The RPC interceptor finds the observation through the active context.
    obs.context = trace.setSpan(parent, span).setValue(OBSERVATION, obs);
    observations.set(req, obs);
  });

  app.addHook("onResponse", async (req, reply) => {
    const obs = observations.get(req);
    const seconds = reply.elapsedTime / 1000;
    const route = req.routeOptions.url ?? "unmatched";
    const fields: Record<string, unknown> = { req, res: reply, route, ms: Math.round(reply.elapsedTime * 100) / 100 };
    if (obs?.procedure !== undefined) {
      const protocol = rpcProtocol(req.headers["content-type"]);
      const code = obs.rpcCode ?? codeFromResponse(reply.raw);
      metrics.observeRpc(obs.procedure, protocol, code, seconds);
      fields.rpc_code = code;
      endRpcSpan(obs.span, protocol, code);
    } else {
      metrics.observeRequest(route, req.method, reply.statusCode, seconds);
      if (obs !== undefined) endHttpSpan(obs.span, reply.statusCode);
    }
    if (obs !== undefined && isSpanContextValid(obs.span.spanContext())) fields.trace_id = obs.span.spanContext().traceId;
    req.log.info(fields, "request completed");
  });
}

/**
 * Records how each RPC ended (its code, for metrics and the span) and logs
 * failures: server faults at error with their stack, everything else (bad
 * input, denials, not implemented) at info without one. Put it outermost,
 * so it sees the code the client receives. `log` is used for calls made
 * outside an observed request.
 */
export function observeRpcs(log: Logger): Interceptor {
  return (next) => async (req) => {
    const obs = context.active().getValue(OBSERVATION) as Observation | undefined;
    const failed = (e: unknown): never => {
      const code = codeOfError(e);
      if (obs !== undefined) obs.rpcCode = code;
      logRequestFailure(obs?.log ?? log, isServerFault(code), code, e);
      throw e;
    };
    let res: UnaryResponse | StreamResponse;
    try {
      res = await next(req);
    } catch (e) {
      return failed(e);
    }
    if (!res.stream) {
      if (obs !== undefined) obs.rpcCode = "ok";
      return res;
    }
    // A stream ends after this returns: its code is known when its messages run out or fail.
    const messages = res.message;
    return {
      ...res,
      message: (async function* () {
        try {
          yield* messages;
        } catch (e) {
          failed(e);
        }
        if (obs !== undefined) obs.rpcCode = "ok";
      })(),
    };
  };
}

function startAttributes(req: FastifyRequest, route: string | undefined, procedure: string | undefined): Attributes {
  const attributes: Attributes = { "stigmem.request_id": req.id };
  if (procedure !== undefined) {
    const [service, method] = procedure.slice(1).split("/");
    attributes["rpc.system"] = rpcProtocol(req.headers["content-type"]) === "connect" ? "connect_rpc" : "grpc";
    attributes["rpc.service"] = service;
    attributes["rpc.method"] = method;
  } else {
    attributes["http.request.method"] = req.method;
    if (route !== undefined) attributes["http.route"] = route;
  }
  return attributes;
}

function endHttpSpan(span: Span, status: number): void {
  span.setAttribute("http.response.status_code", status);
  // A server span is an error only for 5xx: 4xx are the client's mistakes.
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

function endRpcSpan(span: Span, protocol: string, code: string): void {
  if (protocol === "connect") {
    if (code !== "ok") span.setAttribute("rpc.connect_rpc.error_code", code);
  } else {
    span.setAttribute("rpc.grpc.status_code", grpcStatusNumber(code));
  }
  if (isServerFault(code) || code === "unimplemented") span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
