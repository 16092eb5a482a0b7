/**
 * The REST /v1 gateway, built from the contract: every operation in
 * `openapi/stigmem.yaml` becomes a route; operations with a handler run it,
 * the others answer 501 `not_implemented` until their feature lands. So the
 * served surface can never drift from the documented one.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../node/app-error.js";
import type { Authenticator } from "../../node/auth/authenticator.js";
import { ANONYMOUS, type Principal } from "../../node/principal.js";
import type { NodeContext } from "../../node/node-context.js";
import type { AdmissionGate, Release } from "../admission-gate.js";
import type { RateLimiter } from "../rate-limiter.js";
import { operationClass } from "../operation-classes.js";
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
  /** Per-key and per-IP rate limits. */
  readonly rates: RateLimiter;
  /** Load shedding. */
  readonly gate: AdmissionGate;
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
// eslint-disable-next-line @typescript-eslint/require-await -- fastify takes an async plugin's promise as its completion (and a throw as its failure)
export async function restPlugin(app: FastifyInstance, opts: RestPluginOptions): Promise<void> {
  // The caller of each request, for auditing refusals in the error handler.
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.setReplySerializer(serializeJson);
  app.setErrorHandler((e, req, reply) => {
    // Fastify marks a body it refused (too large, not JSON, not UTF-8) "Connection:
    // close", and Node then closes while a client may still be uploading: the kernel
    // resets and the client loses the answer. Kept alive, Node reads and drops the
    // rest of the body (bounded by the request timeout) and the answer arrives.
    reply.removeHeader("connection");
    const principal = principals.get(req);
    handleRestError(e, req, reply, principal === undefined ? undefined : { node: opts.context.node, principal });
  });
  useStrictJson(app);
  const known = new Set<string>();
  for (const route of contractRoutes()) {
    const { operationId } = route.operation;
    known.add(operationId);
    const { path, wildcardParam } = toFastifyPath(route.path);
    const open = isOpenOperation(route.operation);
    const peer = isPeerOperation(route.operation);
    const handler = opts.handlers[operationId];
    const limits = operationClass(operationId);
    app.route({
      method: route.method.toUpperCase(),
      url: path,
      config: { operationId },
      bodyLimit: limits.bodyLimit,
      // Who is calling, whether their rate allows it, and when the node can take it,
      // in that order: a refusal costs as little as possible. The handler runs in the
      // same pass of the event loop as the admission (the gate's budget counts on it).
      preHandler: async (req, reply) => {
        if (handler === undefined) return;
        const authorization = req.headers.authorization;
        const origin = { ip: req.ip };
        // A peer operation's Bearer is a peer JWT, which its handler verifies (protocol.md §10), not an API key.
        const principal = peer
          ? ANONYMOUS
          : open
            ? opts.context.auth.authenticateOpen(authorization, origin)
            : opts.context.auth.authenticate(authorization, origin);
        principals.set(req, principal);
        if (limits.dimension !== null) opts.context.rates.take(limits.dimension, principal, req.ip);
        if (limits.shed) await admit(opts.context.gate, reply.raw);
      },
      handler: async (req, reply) => {
        if (wildcardParam !== undefined) {
          const params = req.params as Record<string, string>;
          params[wildcardParam] = params["*"] ?? "";
        }
        if (handler === undefined) {
          if (!open && !peer) opts.context.auth.authenticate(req.headers.authorization, { ip: req.ip });
          throw new AppError("not_implemented", `${operationId} is not implemented by this node yet`, {
            details: { operation_id: operationId },
          });
        }
        const result = await handler(req, reply, { ...opts.context, principal: principals.get(req)! });
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
 * Waits for the gate to admit the request and releases its place when the
 * response closes — also when the client went away while it was queued
 * (the close came first: the place is given back at once).
 */
async function admit(gate: AdmissionGate, res: NodeJS.EventEmitter): Promise<void> {
  let release: Release | undefined;
  let closed = false;
  res.once("close", () => {
    closed = true;
    release?.();
  });
  release = await gate.enter();
  if (closed) release();
}

/**
 * JSON bodies must be UTF-8 (RFC 8259 §8.1). Fastify's own parser decodes
 * them leniently, so bytes such as `\xff` became U+FFFD and were stored, with
 * a CID over the altered text; here they are refused (422 `invalid_utf8`)
 * before parsing. Everything else is fastify's parser, prototype-poisoning
 * checks included.
 */
function useStrictJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => {
    if (!isUtf8(body as Buffer)) {
      done(new AppError("invalid_utf8", "request body holds bytes that are not UTF-8"), undefined);
      return;
    }
    void parseJson(req, (body as Buffer).toString("utf8"), done);
  });
}

/**
 * An operation is open when the contract says credentials are optional:
 * `security: []`, or an alternative that is the empty requirement `{}`.
 */
function isOpenOperation(op: { security?: unknown[] }): boolean {
  if (op.security === undefined) return false;
  return op.security.length === 0 || op.security.some((s) => typeof s === "object" && s !== null && Object.keys(s).length === 0);
}
