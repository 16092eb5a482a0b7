/**
 * REST handlers of the `recall` tag: `POST /v1/recall`,
 * `GET /v1/cards/{entity_uri}` and `GET /v1/graph/neighbors`. JSON in, the
 * node's use case, JSON out; the protocol headers (`Stigmem-Verify`,
 * `X-Total-Count`, `Stigmem-Integrity`) and recall's `Server-Timing` are
 * read and set here.
 *
 * @module
 */
import { getCard } from "../../node/cards/get-card.js";
import { QueryParams } from "../../node/query-params.js";
import { getNeighbors } from "../../node/recall/neighbors.js";
import { recall } from "../../node/recall/recall.js";
import { serverTiming } from "../../node/recall/recall-timing.js";
import { serializeRecallBody } from "./recall-json.js";
import type { RestHandlers } from "./rest-plugin.js";

export const recallHandlers: RestHandlers = {
  recall: async (req, reply, { node, principal }) => {
    const query = new QueryParams(req.query as Record<string, unknown>);
    const legacyFormat = query.bool("legacy_format");
    query.violations.throwIfAny();
    const verify = req.headers["stigmem-verify"];
    const result = await recall(node, principal, req.body, {
      verifyChain: typeof verify === "string" && verify.trim().toLowerCase() === "full",
      legacyFormat,
    });
    const started = performance.now();
    const bytes = serializeRecallBody(result.body);
    void reply.header("X-Total-Count", String(result.body.total_scored));
    void reply.header("Server-Timing", `${serverTiming(result.timings)}, serialize;dur=${(performance.now() - started).toFixed(3)}`);
    if (result.degraded) void reply.header("Stigmem-Integrity", "degraded");
    // Already JSON: fastify sends a Buffer as it is.
    void reply.type("application/json; charset=utf-8");
    return bytes;
  },
  getCard: (req, reply, { node, principal }) => {
    const result = getCard(
      node,
      principal,
      (req.params as { entity_uri: string }).entity_uri,
      req.query as Record<string, unknown>,
    );
    if (result.degraded) void reply.header("Stigmem-Integrity", "degraded");
    return result.card;
  },
  getNeighbors: (req, _reply, { node, principal }) => getNeighbors(node, principal, req.query as Record<string, unknown>),
};
