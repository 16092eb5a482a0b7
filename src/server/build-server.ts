/**
 * Assembles the fastify application for one node: the one-port HTTP/1.1 +
 * h2c server, request ids and metrics for every request, the REST gateway,
 * the Connect/gRPC/gRPC-Web services and MCP at `/mcp`, each in its own
 * encapsulated scope.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createContextValues } from "@connectrpc/connect";
import { trace, type Tracer } from "@opentelemetry/api";
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { AppError } from "../node/app-error.js";
import { Authenticator } from "../node/auth/authenticator.js";
import type { StigmemNode } from "../node/stigmem-node.js";
import { authInterceptor, REMOTE_IP } from "../transport/connect/auth-interceptor.js";
import { connectPlugin } from "../transport/connect/connect-plugin.js";
import { limitsInterceptor } from "../transport/connect/limits-interceptor.js";
import { reflectionRoutes } from "../transport/connect/reflection-service.js";
import { connectRoutes, errorInterceptor, SERVICES } from "../transport/connect/routes.js";
import { REST_HANDLERS } from "../transport/rest/handlers.js";
import { handleRestError } from "../transport/rest/rest-error.js";
import { restPlugin } from "../transport/rest/rest-plugin.js";
import { registerDocsAssets } from "../transport/rest/docs-page.js";
import { connectOperationClass, MAX_BODY_LIMIT } from "../transport/operation-classes.js";
import { AdmissionGate } from "../transport/admission-gate.js";
import { RateLimiter } from "../transport/rate-limiter.js";
import { createMcpBackend } from "../transport/mcp/mcp-backend.js";
import { mcpHttpPlugin } from "../transport/mcp/mcp-http-plugin.js";
import { createDualProtocolServer, type DualProtocolServer } from "./dual-protocol-server.js";
import { inProcessFetch } from "./in-process-fetch.js";
import type { Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { observeRequests, observeRpcs } from "./request-observer.js";
import { rpcPathsOf } from "./rpc-outcome.js";
import { TRACER_NAME } from "./tracing.js";

export interface BuildServerOptions {
  /** Destroy open connections on close instead of letting them finish (tests). */
  forceCloseConnections?: boolean;
  /** How long a graceful close waits for in-flight requests. */
  gracefulCloseMs?: number;
  /** Where request metrics go; the node's start-up adds its gauges to the same one. */
  metrics?: Metrics;
  /** Tracer for the request spans; the API's global one when absent. */
  tracer?: Tracer;
}

/** A reflection request names a symbol or a file: a few hundred bytes. */
const REFLECTION_BODY_LIMIT = 64 * 1024;

/** A request id from the caller is kept if it is short and plain; otherwise we make one. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildServer(
  node: StigmemNode,
  log: Logger,
  opts: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const metrics = opts.metrics ?? new Metrics();
  metrics.addGauge({
    name: "stigmem_facts_total",
    help: "Facts stored on this node, every state included.",
    read: () => node.stores.facts.count(),
  });
  metrics.addGauge({
    name: "stigmem_recall_cached_rows",
    help: "Rows recall keeps in memory (scoring rows and served rows; STIGMEM_RECALL_CACHE_ROWS is the limit).",
    read: () => node.stores.viewRows.size,
  });
  // Typed loosely on purpose: fastify's types tie `http2: true` to Http2Server
  // requests, but our factory serves both protocols through the compat API.
  const options = {
    loggerInstance: log,
    http2: true,
    serverFactory: (handler: Parameters<typeof createDualProtocolServer>[0]) =>
      createDualProtocolServer(handler, { ...node.config.limits, gracefulCloseMs: opts.gracefulCloseMs ?? 10_000 }),
    forceCloseConnections: opts.forceCloseConnections === true ? true : "idle",
    // Each route has its own cap (transport/operation-classes.ts); this covers the rest.
    bodyLimit: MAX_BODY_LIMIT,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
    },
    // One line per request, written by our onResponse hook with route and timing.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 4096 },
  };
  const app = Fastify(options as unknown as FastifyServerOptions) as unknown as FastifyInstance;

  observeRequests(app, { metrics, tracer: opts.tracer ?? trace.getTracer(TRACER_NAME), rpcPaths: rpcPathsOf(SERVICES) });
  metrics.addGauge({
    name: "stigmem_open_connections",
    help: "Client connections open right now (STIGMEM_MAX_CONNECTIONS is the limit).",
    read: () => (app.server as unknown as DualProtocolServer).connectionCount(),
  });

  const auth = new Authenticator(node);
  const rates = new RateLimiter(node.config.limits.rateLimits);
  const gate = new AdmissionGate(node.config.limits);
  metrics.addGauge({
    name: "stigmem_admitted_requests",
    help: "Requests admitted by load shedding and not finished (STIGMEM_MAX_IN_FLIGHT is the limit).",
    read: () => gate.active,
  });
  metrics.addGauge({
    name: "stigmem_queued_requests",
    help: "Requests waiting to be admitted (STIGMEM_MAX_QUEUED is the limit; beyond, 503 overloaded).",
    read: () => gate.queued,
  });
  // Unknown /v1 routes authenticate first: an anonymous caller learns nothing
  // about which routes exist (the ref answers 401 here too).
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith("/v1/")) {
      try {
        auth.authenticate(req.headers.authorization, { ip: req.ip });
      } catch (e) {
        handleRestError(e, req, reply);
        return;
      }
    }
    handleRestError(new AppError("not_found", `no route for ${req.method} ${req.url}`), req, reply);
  });

  registerDocsAssets(app);
  await app.register(restPlugin, { context: { node, metrics, auth, rates, gate }, handlers: REST_HANDLERS });
  await app.register(connectPlugin, {
    routes: connectRoutes(node),
    // The observer is outermost to see the code clients get; the error interceptor comes
    // next so authentication and limit refusals are mapped too.
    interceptors: [observeRpcs(log), errorInterceptor(node), authInterceptor(auth), limitsInterceptor(rates, gate)],
    contextValues: (req) => createContextValues().set(REMOTE_IP, req.ip),
    bodyLimit: (method) => connectOperationClass(method).bodyLimit,
    maxBodyLimit: MAX_BODY_LIMIT,
  });
  // gRPC server reflection, in its own scope: open to all, outside the auth interceptor.
  await app.register(connectPlugin, {
    routes: reflectionRoutes(SERVICES),
    interceptors: [errorInterceptor(node)],
    contextValues: () => createContextValues(),
    bodyLimit: () => REFLECTION_BODY_LIMIT,
    maxBodyLimit: REFLECTION_BODY_LIMIT,
  });
  // MCP over streamable HTTP: its tools call the REST gateway above in process, as the caller.
  await app.register(mcpHttpPlugin, {
    auth,
    backendFor: (req) => createMcpBackend({ baseUrl: "http://in-process", transport: "rest", fetch: inProcessFetch(app, req) }),
  });
  return app;
}
