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
import type { Authenticator } from "../../node/auth/authenticator.js";
import { ANONYMOUS, type Principal } from "../../node/principal.js";
import type { NodeContext } from "../../node/node-context.js";
import { toFastifyPath } from "./fastify-path.js";
import { contractRoutes } from "./openapi-document.js";
import { serializeJson } from "./json-serializer.js";
import { handleRestError } from "./rest-error.js";

/** The node's metrics as `GET /metrics` serves them (the server owns the registry). */
export interface MetricsExposition {
  /** Media type of the exposition (Prometheus text format). */
  readonly contentType: string;
  /** The exposition, collected at scrape time. */
  render(): Promise<string>;
}

/** What the gateway shares with every handler. */
export interface RestContext {
  readonly node: NodeContext;
  readonly metrics: MetricsExposition;
  readonly auth: Authenticator;
}

/** A handler's view of one request: the shared context plus the authenticated caller. */
export interface RestRequestContext extends RestContext {
  /** Who is calling; `ANONYMOUS` on open routes without a usable key. */
  readonly principal: Principal;
}

/**
 * A REST operation handler. A returned value is sent as JSON with status
 * 200 unless the handler set another; returning `reply` means it already
 * answered (streams, non-JSON bodies).
 */
export type RestHandler = (req: FastifyRequest, reply: FastifyReply, ctx: RestRequestContext) => unknown;

/** Handlers keyed by the contract's operationId. */
export type RestHandlers = Readonly<Record<string, RestHandler>>;

export interface RestPluginOptions {
  context: RestContext;
  handlers: RestHandlers;
}

/** Registers one fastify route per contract operation, in an encapsulated scope with the REST error handler. */
export async function restPlugin(app: FastifyInstance, opts: RestPluginOptions): Promise<void> {
  // The caller of each request, for auditing refusals in the error handler.
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.setReplySerializer(serializeJson);
  app.setErrorHandler((e, req, reply) => {
    const principal = principals.get(req);
    handleRestError(e, req, reply, principal === undefined ? undefined : { node: opts.context.node, principal });
  });
  const known = new Set<string>();
  for (const route of contractRoutes()) {
    const { operationId } = route.operation;
    known.add(operationId);
    const { path, wildcardParam } = toFastifyPath(route.path);
    const open = isOpenOperation(route.operation);
    const peer = isPeerOperation(route.operation);
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
          if (!open) opts.context.auth.authenticate(req.headers.authorization, { ip: req.ip });
          throw new AppError("not_implemented", `${operationId} is not implemented by this node yet`, {
            details: { operation_id: operationId },
          });
        }
        const authorization = req.headers.authorization;
        const origin = { ip: req.ip };
        // A peer operation's Bearer is a peer JWT, which its handler verifies (protocol.md §10), not an API key.
        const principal = peer
          ? ANONYMOUS
          : open
            ? opts.context.auth.authenticateOpen(authorization, origin)
            : opts.context.auth.authenticate(authorization, origin);
        principals.set(req, principal);
        const result = await handler(req, reply, { ...opts.context, principal });
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

/** A peer operation authenticates only with the contract's `peerJwt` scheme. */
function isPeerOperation(op: { security?: unknown[] }): boolean {
  return (
    op.security !== undefined &&
    op.security.length > 0 &&
    op.security.every((s) => typeof s === "object" && s !== null && Object.keys(s).length === 1 && "peerJwt" in s)
  );
}

/**
 * An operation is open when the contract says credentials are optional:
 * `security: []`, or an alternative that is the empty requirement `{}`.
 */
function isOpenOperation(op: { security?: unknown[] }): boolean {
  if (op.security === undefined) return false;
  return op.security.length === 0 || op.security.some((s) => typeof s === "object" && s !== null && Object.keys(s).length === 0);
}
