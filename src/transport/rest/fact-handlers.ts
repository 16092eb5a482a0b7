/**
 * REST handlers of the `facts` tag. JSON in, the node's use case, JSON out;
 * protocol headers (`Stigmem-Deduplicated`, `X-Total-Count`,
 * `Stigmem-Integrity`) are set here.
 *
 * @module
 */
import { assertFact } from "../../node/facts/assert-fact.js";
import { batchAssert } from "../../node/facts/batch-assert.js";
import { getFact, verifyFactCid } from "../../node/facts/get-fact.js";
import { queryFactsUseCase } from "../../node/facts/query-facts.js";
import type { RestHandlers } from "./rest-plugin.js";

export const factHandlers: RestHandlers = {
  assertFact: async (req, reply, { node, principal }) => {
    const result = await assertFact(node, principal, req.body);
    // Deduplicated writes still answer 201 with the existing record (protocol.md §4).
    if (result.deduplicated) void reply.header("Stigmem-Deduplicated", "true");
    void reply.code(201);
    return result.fact;
  },
  batchAssertFacts: (req, _reply, { node, principal }) => batchAssert(node, principal, req.body),
  queryFacts: (req, reply, { node, principal }) => {
    const result = queryFactsUseCase(node, principal, req.query as Record<string, unknown>);
    void reply.header("X-Total-Count", String(result.total));
    if (result.degraded) void reply.header("Stigmem-Integrity", "degraded");
    const { degraded: _degraded, ...body } = result;
    return body;
  },
  getFact: (req, _reply, { node, principal }) =>
    getFact(node, principal, (req.params as { fact_id: string }).fact_id),
  verifyFactCid: (req, _reply, { node, principal }) =>
    verifyFactCid(node, principal, (req.params as { fact_id: string }).fact_id, req.body),
};
