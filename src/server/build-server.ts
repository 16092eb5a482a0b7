/**
 * Assembles the fastify application for one node: the one-port HTTP/1.1 +
 * h2c server, request ids and metrics for every request, the REST gateway
 * and the Connect/gRPC/gRPC-Web services, each in its own encapsulated scope.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createContextValues } from "@connectrpc/connect";
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { Authenticator } from "../node/auth/authenticator.js";
import type { StigmemNode } from "../node/stigmem-node.js";
import { authInterceptor, REMOTE_IP } from "../transport/connect/auth-interceptor.js";
import { connectPlugin } from "../transport/connect/connect-plugin.js";
import { limitsInterceptor } from "../transport/connect/limits-interceptor.js";
import { connectRoutes, errorInterceptor } from "../transport/connect/routes.js";
import { REST_HANDLERS } from "../transport/rest/handlers.js";
import { handleRestError } from "../transport/rest/rest-error.js";
import { restPlugin } from "../transport/rest/rest-plugin.js";
import { connectOperationClass, MAX_BODY_LIMIT } from "../transport/operation-classes.js";
import { AdmissionGate } from "./admission-gate.js";
import { registerDocsAssets } from "./docs-page.js";
import { createDualProtocolServer, type DualProtocolServer } from "./dual-protocol-server.js";
import type { Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { RateLimiter } from "./rate-limiter.js";

export interface BuildServerOptions {
  /** Destroy open connections on close instead of letting them finish (tests). */
  forceCloseConnections?: boolean;
  /** How long a graceful close waits for in-flight requests. */
  gracefulCloseMs?: number;
}

/** A request id from the caller is kept if it is short and plain; otherwise we make one. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildServer(
  node: StigmemNode,
  log: Logger,
  opts: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const metrics = new Metrics();
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

  metrics.addGauge({
    name: "stigmem_heap_used_bytes",
    help: "JavaScript heap in use (V8); with the process RSS, tells heap growth from native memory (SQLite's page cache).",
    read: () => process.memoryUsage().heapUsed,
  });
  metrics.addGauge({
    name: "stigmem_open_connections",
    help: "Client connections open right now (STIGMEM_MAX_CONNECTIONS is the limit).",
    read: () => (app.server as unknown as DualProtocolServer).connectionCount(),
  });

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    metrics.observeRequest(route, req.method, reply.statusCode, reply.elapsedTime / 1000);
    req.log.info(
      { req, res: reply, route, ms: Math.round(reply.elapsedTime * 100) / 100 },
      "request completed",
    );
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
    void reply.code(404).send({ detail: { code: "not_found", message: `no route for ${req.method} ${req.url}` } });
  });

  registerDocsAssets(app);
  await app.register(restPlugin, { context: { node, metrics, auth, rates, gate }, handlers: REST_HANDLERS });
  await app.register(connectPlugin, {
    routes: connectRoutes(node),
    // The error interceptor is outermost so authentication and limit refusals are mapped too.
    interceptors: [errorInterceptor(node), authInterceptor(auth), limitsInterceptor(rates, gate)],
    contextValues: (req) => createContextValues().set(REMOTE_IP, req.ip),
    bodyLimit: (method) => connectOperationClass(method).bodyLimit,
    maxBodyLimit: MAX_BODY_LIMIT,
  });
  return app;
}
