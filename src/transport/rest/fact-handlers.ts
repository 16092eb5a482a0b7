/**
 * REST handlers of the `facts` tag: JSON and query strings in, drafts to the
 * node's use cases, their domain results back out as the contract's JSON;
 * protocol headers (`Stigmem-Deduplicated`, `X-Total-Count`,
 * `Stigmem-Integrity`) are set here.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import { assertFact } from "../../node/facts/assert-fact.js";
import { batchAssert, type BatchResult } from "../../node/facts/batch-assert.js";
import { getFact, verifyFactCid } from "../../node/facts/get-fact.js";
import { queryFactsUseCase, type FactQueryDraft } from "../../node/facts/query-facts.js";
import { isRecord } from "../../node/validation.js";
import { assertDraftJson, factJson } from "./fact-json.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

export const factHandlers: RestHandlers = {
  assertFact: async (req, reply, { node, principal }): Promise<Schemas["FactRecord"]> => {
    const result = await assertFact(node, principal, assertDraftJson(req.body) as object);
    // Deduplicated writes still answer 201 with the existing record (protocol.md §4).
    if (result.deduplicated) void reply.header("Stigmem-Deduplicated", "true");
    void reply.code(201);
    return factJson(result.fact);
  },
  batchAssertFacts: async (req, _reply, { node, principal }): Promise<Schemas["BatchAssertResponse"]> => {
    const body = req.body;
    const b = (isRecord(body) ? body : {}) as Partial<Schemas["BatchAssertRequest"]> & Record<string, unknown>;
    const result = await batchAssert(
      node,
      principal,
      isRecord(body)
        ? { facts: Array.isArray(b.facts) ? b.facts.map(assertDraftJson) : b.facts, atomic: b.atomic, idempotencyKey: b.idempotency_key }
        : (body as object),
    );
    return batchJson(result);
  },
  queryFacts: (req, reply, { node, principal }): Schemas["FactPage"] => {
    const result = queryFactsUseCase(node, principal, factQueryDraft(req.query as Record<string, unknown>));
    void reply.header("X-Total-Count", String(result.total));
    if (result.degraded) void reply.header("Stigmem-Integrity", "degraded");
    return { facts: result.facts.map(factJson), total: result.total, cursor: result.cursor, tombstone_notices: [] };
  },
  getFact: (req, _reply, { node, principal }): Schemas["FactRecord"] => {
    return factJson(getFact(node, principal, (req.params as { fact_id: string }).fact_id));
  },
  verifyFactCid: (req, _reply, { node, principal }): Schemas["CidVerification"] => {
    const body = req.body;
    const claimed = isRecord(body) && typeof body.cid === "string" ? body.cid : undefined;
    const r = verifyFactCid(node, principal, (req.params as { fact_id: string }).fact_id, claimed);
    return { cid_valid: r.cidValid, computed_cid: r.computedCid, stored_cid: r.storedCid, mismatch_reason: r.mismatchReason };
  },
};

/** The `GET /v1/facts` query as a listing draft (values stay strings; the use case parses them). */
function factQueryDraft(q: Record<string, unknown>): FactQueryDraft {
  return {
    entity: q.entity,
    relation: q.relation,
    source: q.source,
    scope: q.scope,
    gardenId: q.garden_id,
    minConfidence: q.min_confidence,
    includeContradicted: q.include_contradicted,
    includeExpired: q.include_expired,
    includeSuperseded: q.include_superseded,
    after: q.after,
    asOf: q.as_of,
    order: q.order,
    cursor: q.cursor,
    limit: q.limit,
  };
}

function batchJson(r: BatchResult): Schemas["BatchAssertResponse"] {
  return {
    accepted: r.accepted,
    rejected: r.rejected,
    results: r.results.map((i) => ({
      index: i.index,
      status: i.status,
      fact_id: i.factId,
      cid: i.cid,
      deduplicated: i.deduplicated,
      error: i.error,
      error_message: i.errorMessage,
    })),
  };
}
