/**
 * Connect RecallService over the same `node/recall` and `node/cards` use
 * cases as REST. Requests are mapped to the REST shape (proto3 zero values
 * meaning "default") so both transports validate identically.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  ChainProofSchema,
  GetCardResponseSchema,
  GetNeighborsResponseSchema,
  RecallResponseSchema,
  type RecallService,
  type RecallWeights,
  type ScoredFact,
  ScoredFactSchema,
} from "../../../gen/proto/stigmem/v1/recall_pb.js";
import { getCard } from "../../node/cards/get-card.js";
import { getNeighbors } from "../../node/recall/neighbors.js";
import { recall, type ScoredFact as CoreScoredFact } from "../../node/recall/recall.js";
import { serverTiming } from "../../node/recall/recall-timing.js";
import type { NodeContext } from "../../node/node-context.js";
import { principalOf } from "./auth-interceptor.js";
import { toProtoFact } from "./fact-mapping.js";

export function recallService(node: NodeContext): Partial<ServiceImpl<typeof RecallService>> {
  return {
    async recall(req, ctx) {
      const result = await recall(
        node,
        principalOf(ctx),
        {
          query: req.query,
          scope: req.scope === "" ? undefined : req.scope,
          token_budget: req.tokenBudget === 0 ? undefined : req.tokenBudget,
          depth: req.depth === 0 ? undefined : req.depth,
          weights: req.weights === undefined ? undefined : fromProtoWeights(req.weights),
          min_confidence: req.minConfidence,
          include_neighbors: req.includeNeighbors,
          limit: req.limit === 0 ? undefined : req.limit,
          as_of: req.asOf,
          entity: req.entity,
          relation: req.relation,
          lambda_mmr: req.lambdaMmr,
          prefer_cards: req.preferCards,
        },
        { verifyChain: req.verifyChain },
      );
      ctx.responseHeader.set("server-timing", serverTiming(result.timings));
      const b = result.body;
      return create(RecallResponseSchema, {
        recallId: b.recall_id,
        queryHash: b.query_hash,
        facts: b.facts.map(toProtoScored),
        content: (b.content ?? []).map(toProtoScored),
        instructions: (b.instructions ?? []).map(toProtoScored),
        totalScored: b.total_scored,
        tokenBudget: b.token_budget,
        tokensUsed: b.tokens_used,
        truncated: b.truncated,
        tombstoneNotices: [],
        chainProof:
          b.chain_proof === null
            ? undefined
            : create(ChainProofSchema, {
                tenantId: b.chain_proof.tenant_id,
                checkedEntries: BigInt(b.chain_proof.checked_entries),
                headHash: b.chain_proof.head_hash ?? undefined,
              }),
        integrityDegraded: result.degraded,
      });
    },
    getCard(req, ctx) {
      // MemoryCard has no integrity flag; a degraded card simply lacks the failing fact.
      const { card } = getCard(node, principalOf(ctx), req.entityUri, {
        scope: req.scope === "" ? undefined : req.scope,
        refresh: req.refresh,
      });
      return create(GetCardResponseSchema, {
        card: {
          entityUri: card.entity_uri,
          scope: card.scope,
          summary: card.summary,
          factHashes: card.fact_hashes,
          avgConfidence: card.avg_confidence,
          refreshedAt: card.refreshed_at ?? undefined,
          isStale: card.is_stale,
          hasContradictions: card.has_contradictions,
        },
      });
    },
    getNeighbors(req, ctx) {
      const page = getNeighbors(node, principalOf(ctx), {
        entity: req.entity,
        scope: req.scope,
        depth: req.depth === 0 ? undefined : req.depth,
        relation_filter: req.relationFilter,
        min_confidence: req.minConfidence,
        min_trust: req.minTrust,
        page_size: req.pageSize === 0 ? undefined : req.pageSize,
        cursor: req.cursor,
      });
      return create(GetNeighborsResponseSchema, {
        entity: page.entity,
        depth: page.depth,
        neighbors: page.neighbors.map((n) => ({
          entity: n.entity,
          relation: n.relation,
          hops: n.hops,
          confidence: n.confidence,
          sourceTrust: n.source_trust ?? undefined,
          path: n.path,
        })),
        nextCursor: page.next_cursor ?? undefined,
        totalHint: page.total_hint,
      });
    },
  };
}

/** Absent weights take their defaults. */
function fromProtoWeights(w: RecallWeights): Record<string, number | undefined> {
  return { lexical: w.lexical, semantic: w.semantic, graph: w.graph, source_trust: w.sourceTrust, recency: w.recency };
}

function toProtoScored(s: CoreScoredFact): ScoredFact {
  return create(ScoredFactSchema, {
    fact: toProtoFact(s.fact),
    score: s.score,
    scoreBreakdown: {
      lexical: s.score_breakdown.lexical,
      semantic: s.score_breakdown.semantic,
      graph: s.score_breakdown.graph,
      sourceTrust: s.score_breakdown.source_trust,
      recency: s.score_breakdown.recency,
      weightedTotal: s.score_breakdown.weighted_total,
    },
    hopDistance: s.hop_distance,
    tokenEstimate: s.token_estimate,
    fromCard: s.from_card,
  });
}

