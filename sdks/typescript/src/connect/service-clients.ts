/**
 * Typed Connect clients of every service in the contract, over one
 * transport: the low-level layer under the facade, for callers who want the
 * protobuf messages themselves (and the methods the facade does not wrap).
 *
 * @module
 */
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { AuditService } from "../../../../gen/proto/stigmem/v1/audit_pb.js";
import { AuthService } from "../../../../gen/proto/stigmem/v1/auth_pb.js";
import { ConflictService } from "../../../../gen/proto/stigmem/v1/conflicts_pb.js";
import { FactService } from "../../../../gen/proto/stigmem/v1/facts_pb.js";
import { FederationService } from "../../../../gen/proto/stigmem/v1/federation_pb.js";
import { GardenService } from "../../../../gen/proto/stigmem/v1/gardens_pb.js";
import { LintService } from "../../../../gen/proto/stigmem/v1/lint_pb.js";
import { NodeService } from "../../../../gen/proto/stigmem/v1/node_pb.js";
import { RecallService } from "../../../../gen/proto/stigmem/v1/recall_pb.js";

/** One Connect client per service of `stigmem.v1`. */
export interface ServiceClients {
  readonly node: Client<typeof NodeService>;
  readonly facts: Client<typeof FactService>;
  readonly recall: Client<typeof RecallService>;
  readonly conflicts: Client<typeof ConflictService>;
  readonly auth: Client<typeof AuthService>;
  readonly lint: Client<typeof LintService>;
  readonly gardens: Client<typeof GardenService>;
  readonly audit: Client<typeof AuditService>;
  readonly federation: Client<typeof FederationService>;
}

/**
 * Creates the clients over `transport`.
 *
 * @example
 * const rpc = createServiceClients(createGrpcTransport({ baseUrl }));
 * const { nodeId } = await rpc.node.getNodeInfo({});
 */
export function createServiceClients(transport: Transport): ServiceClients {
  return {
    node: createClient(NodeService, transport),
    facts: createClient(FactService, transport),
    recall: createClient(RecallService, transport),
    conflicts: createClient(ConflictService, transport),
    auth: createClient(AuthService, transport),
    lint: createClient(LintService, transport),
    gardens: createClient(GardenService, transport),
    audit: createClient(AuditService, transport),
    federation: createClient(FederationService, transport),
  };
}

export { AuditService, AuthService, ConflictService, FactService, FederationService, GardenService, LintService, NodeService, RecallService };
