/**
 * REST handlers of the `node` tag: discovery, health, docs, metrics.
 *
 * @module
 */
import { requireOperationsAccess } from "../../node/access/operations-access.js";
import { describeNode, doctor } from "../../node/node-info.js";
import { DOCS_HTML } from "./docs-page.js";
import { openApiJson } from "./openapi-document.js";
import type { RestHandlers } from "./rest-plugin.js";

export const nodeHandlers: RestHandlers = {
  getWellKnown: (_req, _reply, { node }) => describeNode(node),
  getHealth: () => ({ status: "ok" }),
  getDoctor: (req, _reply, { node, principal }) => {
    requireOperationsAccess(principal, req.socket.remoteAddress ?? "");
    return doctor(node);
  },
  getOpenApiDocument: (_req, reply) => reply.type("application/json; charset=utf-8").send(openApiJson()),
  getDocs: (_req, reply) => reply.type("text/html; charset=utf-8").send(DOCS_HTML),
  getMetrics: async (req, reply, { metrics, principal }) => {
    requireOperationsAccess(principal, req.socket.remoteAddress ?? "");
    return reply.type(metrics.contentType).send(await metrics.render());
  },
};
