/**
 * Connect NodeService: the discovery document and health, over the same
 * `node/node-info` function the REST routes use.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  CheckHealthResponseSchema,
  GetNodeInfoResponseSchema,
  type NodeService,
} from "../../../gen/proto/stigmem/v1/node_pb.js";
import { describeNode } from "../../node/node-info.js";
import type { NodeContext } from "../../node/node-context.js";

export function nodeService(node: NodeContext): Partial<ServiceImpl<typeof NodeService>> {
  return {
    getNodeInfo() {
      const info = describeNode(node);
      return create(GetNodeInfoResponseSchema, {
        version: info.version,
        nodeId: info.node_id,
        nodeUrl: info.node_url,
        auth: info.auth,
        federation: info.federation,
        sourceAttestation: info.source_attestation,
        namespaces: info.namespaces,
        spec: info.spec,
        serverVersion: info.server_version,
        federationPubkey: info.federation_pubkey,
        federationVersion: info.federation_version,
        federationEndpoints:
          info.federation_endpoints === undefined
            ? undefined
            : {
                peers: info.federation_endpoints.peers,
                facts: info.federation_endpoints.facts,
                push: info.federation_endpoints.push ?? undefined,
                pullStream: info.federation_endpoints.pull_stream,
              },
      });
    },
    checkHealth() {
      return create(CheckHealthResponseSchema, { status: "ok" });
    },
  };
}
