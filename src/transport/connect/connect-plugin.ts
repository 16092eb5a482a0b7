/**
 * Mounts the Connect, gRPC and gRPC-Web services on fastify: one route per
 * method, answered by connect-es's own handler. It does what the
 * `@connectrpc/connect-fastify` plugin does, plus two things that plugin has
 * no place for: every request body passes the {@link guardRequest} checks
 * (hostile bytes, per-method byte caps) before connect-es parses it, and a
 * response that could not be completed (the client went away) is logged
 * through the request's logger at debug, not printed with `console.error`.
 *
 * @module
 */
import type { DescMethod } from "@bufbuild/protobuf";
import { createConnectRouter, type ConnectRouter, type ContextValues, type Interceptor } from "@connectrpc/connect";
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ACCEPT_COMPRESSION, guardRequest } from "./request-guard.js";

export interface ConnectPluginOptions {
  /** Registers the services (see routes.ts). */
  routes(router: ConnectRouter): void;
  /** Interceptors of every call, outermost first. */
  interceptors: Interceptor[];
  /** Values every call's context starts with. */
  contextValues(req: FastifyRequest): ContextValues;
  /** Most bytes one request body of `method` may have (compressed and decompressed). */
  bodyLimit(method: DescMethod): number;
  /** The largest of those limits. */
  maxBodyLimit: number;
}

/** Registers one fastify route per Connect method, in the plugin's own scope. */
// eslint-disable-next-line @typescript-eslint/require-await -- fastify takes an async plugin's promise as its completion (and a throw as its failure)
export async function connectPlugin(app: FastifyInstance, opts: ConnectPluginOptions): Promise<void> {
  const handlers = collectHandlers(opts);
  // connect-es reads request bodies itself: fastify must not parse any of them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));
  for (const handler of handlers) {
    const limit = opts.bodyLimit(handler.method);
    app.all(handler.requestPath, async (req, reply) => {
      const uReq = universalRequestFromNodeRequest(req.raw, reply.raw, undefined, opts.contextValues(req));
      try {
        // A request of one message is checked whole before connect-es parses it. A client or
        // bidirectional stream (reflection) must flow message by message: buffering it would
        // wait for the end of a stream the client only ends after our answers.
        const singleMessage = handler.method.methodKind === "unary" || handler.method.methodKind === "server_streaming";
        const uRes = await handler(singleMessage ? guardRequest(uReq, handler.method.input, limit) : uReq);
        // Headers set through fastify (x-request-id) live on the reply until it sends; we write the raw response.
        for (const [key, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) reply.raw.setHeader(key, value);
        }
        await universalResponseToNodeResponse(uRes, reply.raw);
      } catch (e) {
        req.log.debug({ err: e }, "connect response not completed");
      }
    });
  }
}

function collectHandlers(opts: ConnectPluginOptions): ConnectRouter["handlers"] {
  const router = createConnectRouter({
    interceptors: opts.interceptors,
    acceptCompression: [...ACCEPT_COMPRESSION],
    // A backstop behind the guard's per-method caps.
    readMaxBytes: opts.maxBodyLimit,
  });
  opts.routes(router);
  return router.handlers;
}
