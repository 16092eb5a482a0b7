/**
 * Registers every Connect service of the contract. Methods a service does
 * not implement yet answer `unimplemented` with reason `not_implemented`.
 *
 * @module
 */
import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { AuditService } from "../../../gen/proto/stigmem/v1/audit_pb.js";
import { AuthService } from "../../../gen/proto/stigmem/v1/auth_pb.js";
import { ConflictService } from "../../../gen/proto/stigmem/v1/conflicts_pb.js";
import { FactService } from "../../../gen/proto/stigmem/v1/facts_pb.js";
import { FederationService } from "../../../gen/proto/stigmem/v1/federation_pb.js";
import { GardenService } from "../../../gen/proto/stigmem/v1/gardens_pb.js";
import { LintService } from "../../../gen/proto/stigmem/v1/lint_pb.js";
import { NodeService } from "../../../gen/proto/stigmem/v1/node_pb.js";
import { RecallService } from "../../../gen/proto/stigmem/v1/recall_pb.js";
import { auditDenial } from "../../node/auth/denial-audit.js";
import type { NodeContext } from "../../node/node-context.js";
import { PRINCIPAL } from "./auth-interceptor.js";
import { authService } from "./auth-service.js";
import { conflictService } from "./conflict-service.js";
import { factService } from "./fact-service.js";
import { federationService } from "./federation-service.js";
import { nodeService } from "./node-service.js";
import { recallService } from "./recall-service.js";
import { toConnectError } from "./to-connect-error.js";

/** Every service descriptor the node serves. */
export const SERVICES = [
  NodeService,
  FactService,
  RecallService,
  ConflictService,
  LintService,
  GardenService,
  AuthService,
  AuditService,
  FederationService,
] as const;

/** The implementation of each service that has one; the factories only close over the node (nothing runs). */
function implementations(node: NodeContext): ReadonlyMap<DescService, object> {
  return new Map<DescService, object>([
    [NodeService, nodeService(node)],
    [AuthService, authService(node)],
    [FactService, factService(node)],
    [ConflictService, conflictService(node)],
    [RecallService, recallService(node)],
    [FederationService, federationService(node)],
  ]);
}

export function connectRoutes(node: NodeContext): (router: ConnectRouter) => void {
  return (router) => {
    const impls = implementations(node);
    // A service without an implementation, and every method an implementation lacks,
    // answers `unimplemented` until its feature lands.
    for (const service of SERVICES) router.service(service, impls.get(service) ?? {});
  };
}

/**
 * Maps every error leaving a unary handler to a ConnectError with ErrorInfo,
 * auditing refusals (`permission_denied`, protocol.md §11) on the way out.
 */
export function errorInterceptor(node: NodeContext): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (e) {
      const operation = `${req.service.typeName}/${req.method.name}`;
      auditDenial(node, req.contextValues.get(PRINCIPAL), e, { transport: "connect", operation });
      throw toConnectError(e);
    }
  };
}
