/**
 * The REST /v1 gateway, built from the contract: every operation in
 * `openapi/stigmem.yaml` becomes a route; operations with a handler run it,
 * the others answer 501 `not_implemented` until their feature lands. So the
 * served surface can never drift from the documented one.
 *
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../node/app-error.js";
import type { StigmemNode } from "../../node/stigmem-node.js";
import type { Metrics } from "../../server/metrics.js";
import { toFastifyPath } from "./fastify-path.js";
import { contractRoutes } from "./openapi-document.js";
import { handleRestError } from "./rest-error.js";

/** What every REST handler can reach. */
export interface RestContext {
  readonly node: StigmemNode;
  readonly metrics: Metrics;
}

/**
 * A REST operation handler. A returned value is sent as JSON with status
 * 200 unless the handler set another; returning `reply` means it already
 * answered (streams, non-JSON bodies).
 */
export type RestHandler = (req: FastifyRequest, reply: FastifyReply, ctx: RestContext) => unknown;

/** Handlers keyed by the contract's operationId. */
export type RestHandlers = Readonly<Record<string, RestHandler>>;

export interface RestPluginOptions {
  context: RestContext;
  handlers: RestHandlers;
}

/** Registers one fastify route per contract operation, in an encapsulated scope with the REST error handler. */
export async function restPlugin(app: FastifyInstance, opts: RestPluginOptions): Promise<void> {
  app.setErrorHandler(handleRestError);
  const known = new Set<string>();
  for (const route of contractRoutes()) {
    const { operationId } = route.operation;
    known.add(operationId);
    const { path, wildcardParam } = toFastifyPath(route.path);
    const handler = opts.handlers[operationId];
    app.route({
      method: route.method.toUpperCase() as "GET",
      url: path,
      config: { operationId },
      handler: async (req, reply) => {
        if (wildcardParam !== undefined) {
          const params = req.params as Record<string, string>;
          params[wildcardParam] = params["*"] ?? "";
        }
        if (handler === undefined) {
          throw new AppError("not_implemented", `${operationId} is not implemented by this node yet`, {
            details: { operation_id: operationId },
          });
        }
        const result = await handler(req, reply, opts.context);
        if (result === reply || reply.sent) return reply;
        return result;
      },
    });
  }
  // A handler for an operation the contract does not have is a programming error.
  for (const id of Object.keys(opts.handlers)) {
    if (!known.has(id)) throw new Error(`REST handler ${id} has no operation in openapi/stigmem.yaml`);
  }
}
