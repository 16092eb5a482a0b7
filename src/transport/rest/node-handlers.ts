/**
 * REST handlers of the `node` tag: discovery, health, docs, metrics.
 *
 * @module
 */
import { isLoopbackHost } from "../../config.js";
import { describeNode, doctor } from "../../node/node-info.js";
import { requirePermission } from "../../node/principal.js";
import { DOCS_HTML } from "../../server/docs-page.js";
import { openApiJson } from "./openapi-document.js";
import type { RestHandlers } from "./rest-plugin.js";

export const nodeHandlers: RestHandlers = {
  getWellKnown: (_req, _reply, { node }) => describeNode(node),
  getHealth: () => ({ status: "ok" }),
  getDoctor: (_req, _reply, { node }) => doctor(node),
  getOpenApiDocument: (_req, reply) => reply.type("application/json; charset=utf-8").send(openApiJson()),
  getDocs: (_req, reply) => reply.type("text/html; charset=utf-8").send(DOCS_HTML),
  getMetrics: async (req, reply, { metrics, principal }) => {
    // Open to local scrapers; from elsewhere the caller needs `admin` (protocol.md §7).
    if (!isLoopbackHost(req.ip)) requirePermission(principal, "admin");
    return reply.type(metrics.contentType).send(await metrics.render());
  },
};
