/**
 * REST handlers of the `recall` tag: `POST /v1/recall`,
 * `GET /v1/cards/{entity_uri}` and `GET /v1/graph/neighbors`. JSON and query
 * strings in as drafts, domain results out as the contract's JSON; the
 * protocol headers (`Stigmem-Verify`, `X-Total-Count`, `Stigmem-Integrity`)
 * and recall's `Server-Timing` are read and set here.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import { getCard } from "../../node/cards/get-card.js";
import { QueryParams } from "../../node/query-params.js";
import { getNeighbors } from "../../node/recall/neighbors.js";
import type { RecallDraft } from "../../node/recall/recall-params.js";
import { recall } from "../../node/recall/recall.js";
import { serverTiming } from "../../node/recall/recall-timing.js";
import { isRecord } from "../../node/validation.js";
import { serializeRecallBody } from "./recall-json.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

export const recallHandlers: RestHandlers = {
  recall: async (req, reply, { node, principal }) => {
    const query = new QueryParams({ legacyFormat: (req.query as Record<string, unknown>).legacy_format });
    const legacyFormat = query.bool("legacyFormat");
    query.violations.throwIfAny();
    const verify = req.headers["stigmem-verify"];
    const result = await recall(node, principal, recallDraft(req.body), {
      verifyChain: typeof verify === "string" && verify.trim().toLowerCase() === "full",
    });
    const started = performance.now();
    const bytes = serializeRecallBody(result.answer, legacyFormat);
    void reply.header("X-Total-Count", String(result.answer.totalScored));
    void reply.header("Server-Timing", `${serverTiming(result.timings)}, serialize;dur=${(performance.now() - started).toFixed(3)}`);
    if (result.degraded) void reply.header("Stigmem-Integrity", "degraded");
    // Already JSON: fastify sends a Buffer as it is.
    void reply.type("application/json; charset=utf-8");
    return bytes;
  },
  getCard: (req, reply, { node, principal }): Schemas["MemoryCard"] => {
    const q = req.query as Record<string, unknown>;
    const { card, degraded } = getCard(node, principal, (req.params as { entity_uri: string }).entity_uri, {
      scope: q.scope,
      refresh: q.refresh,
    });
    if (degraded) void reply.header("Stigmem-Integrity", "degraded");
    return {
      entity_uri: card.entityUri,
      scope: card.scope,
      summary: card.summary,
      fact_hashes: [...card.factHashes],
      avg_confidence: card.avgConfidence,
      refreshed_at: card.refreshedAt,
      is_stale: false,
      has_contradictions: card.hasContradictions,
    };
  },
  getNeighbors: (req, _reply, { node, principal }): Schemas["NeighborPage"] => {
    const q = req.query as Record<string, unknown>;
    const page = getNeighbors(node, principal, {
      entity: q.entity,
      scope: q.scope,
      depth: q.depth,
      relationFilter: q.relation_filter,
      minConfidence: q.min_confidence,
      minTrust: q.min_trust,
      pageSize: q.page_size,
      cursor: q.cursor,
    });
    return {
      entity: page.entity,
      depth: page.depth,
      neighbors: page.neighbors.map((n) => ({
        entity: n.entity,
        relation: n.relation,
        hops: n.hops,
        confidence: n.confidence,
        source_trust: n.sourceTrust,
        path: [...n.path],
      })),
      next_cursor: page.nextCursor,
      total_hint: page.totalHint,
    };
  },
};

/** A RecallRequest body as a {@link RecallDraft}; a non-object is handed on for validation to refuse. */
function recallDraft(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const b = body as Partial<Schemas["RecallRequest"]> & Record<string, unknown>;
  const w = b.weights as (Partial<Schemas["RecallWeights"]> & Record<string, unknown>) | null | undefined;
  const draft: RecallDraft = {
    query: b.query,
    scope: b.scope,
    tokenBudget: b.token_budget,
    depth: b.depth,
    weights: isRecord(w)
      ? { lexical: w.lexical, semantic: w.semantic, graph: w.graph, sourceTrust: w.source_trust, recency: w.recency }
      : w,
    minConfidence: b.min_confidence,
    includeNeighbors: b.include_neighbors,
    limit: b.limit,
    asOf: b.as_of,
    entity: b.entity,
    relation: b.relation,
    lambdaMmr: b.lambda_mmr,
    preferCards: b.prefer_cards,
  };
  return draft;
}
