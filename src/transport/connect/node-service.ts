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
        nodeId: info.nodeId,
        nodeUrl: info.nodeUrl,
        auth: info.auth,
        federation: info.federation,
        sourceAttestation: info.sourceAttestation,
        namespaces: [...info.namespaces],
        spec: info.spec,
        serverVersion: info.serverVersion,
        federationPubkey: info.federationPubkey,
        federationVersion: info.federationVersion,
        federationEndpoints:
          info.federationEndpoints === undefined
            ? undefined
            : {
                peers: info.federationEndpoints.peers,
                facts: info.federationEndpoints.facts,
                push: info.federationEndpoints.push ?? undefined,
                pullStream: info.federationEndpoints.pullStream,
              },
      });
    },
    checkHealth() {
      return create(CheckHealthResponseSchema, { status: "ok" });
    },
  };
}
