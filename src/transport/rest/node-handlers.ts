/**
 * REST handlers of the `node` tag: discovery, health, docs, metrics.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import { requireOperationsAccess } from "../../node/access/operations-access.js";
import { describeNode, doctor } from "../../node/node-info.js";
import { DOCS_HTML } from "./docs-page.js";
import { openApiJson } from "./openapi-document.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

export const nodeHandlers: RestHandlers = {
  getWellKnown: (_req, _reply, { node }): Schemas["WellKnown"] => {
    const info = describeNode(node);
    return {
      version: info.version,
      node_id: info.nodeId,
      node_url: info.nodeUrl,
      auth: info.auth,
      federation: info.federation,
      source_attestation: info.sourceAttestation,
      namespaces: [...info.namespaces],
      spec: info.spec,
      // The reference reports whether any CORS origin is configured, as a boolean.
      cors: { dev_localhost: false, configured: false },
      server_version: info.serverVersion,
      ...(info.federationEndpoints === undefined
        ? {}
        : {
            federation_pubkey: info.federationPubkey,
            federation_version: info.federationVersion as "0.5",
            federation_endpoints: {
              peers: info.federationEndpoints.peers,
              facts: info.federationEndpoints.facts,
              push: info.federationEndpoints.push,
              pull_stream: info.federationEndpoints.pullStream,
            },
          }),
    };
  },
  getHealth: () => ({ status: "ok" }),
  getDoctor: (req, _reply, { node, principal }) => {
    requireOperationsAccess(principal, req.socket.remoteAddress ?? "");
    const report = doctor(node);
    return {
      status: "ok",
      memory_garden_acl_filtering: true,
      node_id: report.nodeId,
      versions: { ...report.versions },
      constants: { ...report.constants },
    } satisfies Schemas["DoctorReport"];
  },
  getOpenApiDocument: (_req, reply) => reply.type("application/json; charset=utf-8").send(openApiJson()),
  getDocs: (_req, reply) => reply.type("text/html; charset=utf-8").send(DOCS_HTML),
  getMetrics: async (req, reply, { metrics, principal }) => {
    requireOperationsAccess(principal, req.socket.remoteAddress ?? "");
    return reply.type(metrics.contentType).send(await metrics.render());
  },
};
