/**
 * REST handlers of the `recall` tag: `POST /v1/recall`,
 * `GET /v1/cards/{entity_uri}` and `GET /v1/graph/neighbors`. JSON in, the
 * node's use case, JSON out; the protocol headers (`Stigmem-Verify`,
 * `X-Total-Count`, `Stigmem-Integrity`) are read and set here.
 *
 * @module
 */
import { AppError } from "../../node/app-error.js";
import { getCard } from "../../node/cards/get-card.js";
import { getNeighbors } from "../../node/recall/neighbors.js";
import { recall } from "../../node/recall/recall.js";
import type { RestHandlers } from "./rest-plugin.js";

export const recallHandlers: RestHandlers = {
  recall: async (req, reply, { node, principal }) => {
    const query = req.query as Record<string, unknown>;
    const verify = req.headers["stigmem-verify"];
    const result = await recall(node, principal, req.body, {
      verifyChain: typeof verify === "string" && verify.trim().toLowerCase() === "full",
      legacyFormat: queryBool(query.legacy_format, "legacy_format"),
    });
    void reply.header("X-Total-Count", String(result.body.total_scored));
    if (result.degraded) void reply.header("Stigmem-Integrity", "degraded");
    return result.body;
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

/** A boolean query parameter as FastAPI reads it (absent = false). */
function queryBool(x: unknown, name: string): boolean {
  if (x === undefined || x === "") return false;
  if (typeof x === "string" && /^(true|1|yes|on)$/i.test(x)) return true;
  if (typeof x === "string" && /^(false|0|no|off)$/i.test(x)) return false;
  throw new AppError("validation_error", `query.${name}: Input should be a valid boolean`, {
    violations: [{ loc: ["query", name], msg: "Input should be a valid boolean", type: "bool_parsing" }],
  });
}
