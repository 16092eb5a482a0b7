/**
 * Authenticates every Connect/gRPC call before its handler runs and puts the
 * caller into the call's context values. NodeService is open (discovery and
 * health); FederationService's PullFacts and PushFacts carry a peer JWT,
 * which their handler verifies (protocol.md §10); every other call needs
 * an API key when auth is on.
 *
 * @module
 */
import { createContextKey, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { FederationService } from "../../../gen/proto/stigmem/v1/federation_pb.js";
import { NodeService } from "../../../gen/proto/stigmem/v1/node_pb.js";
import type { Authenticator } from "../../node/auth/authenticator.js";
import { ANONYMOUS, type Principal } from "../../node/principal.js";

/** The authenticated caller of the current call. */
export const PRINCIPAL = createContextKey<Principal>(ANONYMOUS, { description: "stigmem principal" });

/** The peer address of the current call, set by the fastify plugin. */
export const REMOTE_IP = createContextKey<string>("", { description: "remote address" });

/** Procedures whose Bearer is a peer JWT, not an API key. */
const PEER_METHODS: ReadonlySet<string> = new Set(["PullFacts", "PushFacts"]);

export function authInterceptor(auth: Authenticator): Interceptor {
  return (next) => async (req) => {
    if (req.service.typeName === FederationService.typeName && PEER_METHODS.has(req.method.name)) return next(req);
    const header = req.header.get("authorization") ?? undefined;
    const origin = { ip: req.contextValues.get(REMOTE_IP) };
    const principal =
      req.service.typeName === NodeService.typeName
        ? auth.authenticateOpen(header, origin)
        : auth.authenticate(header, origin);
    req.contextValues.set(PRINCIPAL, principal);
    return next(req);
  };
}

/** The caller of the call a handler is serving. */
export function principalOf(ctx: HandlerContext): Principal {
  return ctx.values.get(PRINCIPAL);
}
