/**
 * Connect RecallService over the same `node/recall` and `node/cards` use
 * cases as REST. Requests become the same drafts (proto3 zero values meaning
 * "default") so both transports validate identically.
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
import { recall, type ScoredFact as DomainScoredFact } from "../../node/recall/recall.js";
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
          tokenBudget: req.tokenBudget === 0 ? undefined : req.tokenBudget,
          depth: req.depth === 0 ? undefined : req.depth,
          weights: req.weights === undefined ? undefined : fromProtoWeights(req.weights),
          minConfidence: req.minConfidence,
          includeNeighbors: req.includeNeighbors,
          limit: req.limit === 0 ? undefined : req.limit,
          asOf: req.asOf,
          entity: req.entity,
          relation: req.relation,
          lambdaMmr: req.lambdaMmr,
          preferCards: req.preferCards,
        },
        { verifyChain: req.verifyChain },
      );
      ctx.responseHeader.set("server-timing", serverTiming(result.timings));
      const a = result.answer;
      const facts = a.facts.map(toProtoScored);
      return create(RecallResponseSchema, {
        recallId: a.recallId,
        queryHash: a.queryHash,
        facts,
        content: facts.filter((_, i) => a.facts[i]!.fact.value.interpretAs !== "instruction"),
        instructions: facts.filter((_, i) => a.facts[i]!.fact.value.interpretAs === "instruction"),
        totalScored: a.totalScored,
        tokenBudget: a.tokenBudget,
        tokensUsed: a.tokensUsed,
        truncated: a.truncated,
        tombstoneNotices: [],
        chainProof:
          a.chainProof === null
            ? undefined
            : create(ChainProofSchema, {
                tenantId: a.chainProof.tenantId,
                checkedEntries: BigInt(a.chainProof.checkedEntries),
                headHash: a.chainProof.headHash ?? undefined,
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
          entityUri: card.entityUri,
          scope: card.scope,
          summary: card.summary,
          factHashes: [...card.factHashes],
          avgConfidence: card.avgConfidence,
          refreshedAt: card.refreshedAt,
          isStale: false,
          hasContradictions: card.hasContradictions,
        },
      });
    },
    getNeighbors(req, ctx) {
      const page = getNeighbors(node, principalOf(ctx), {
        entity: req.entity,
        scope: req.scope,
        depth: req.depth === 0 ? undefined : req.depth,
        relationFilter: req.relationFilter,
        minConfidence: req.minConfidence,
        minTrust: req.minTrust,
        pageSize: req.pageSize === 0 ? undefined : req.pageSize,
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
          sourceTrust: n.sourceTrust ?? undefined,
          path: [...n.path],
        })),
        nextCursor: page.nextCursor ?? undefined,
        totalHint: page.totalHint,
      });
    },
  };
}

/** Absent weights take their defaults. */
function fromProtoWeights(w: RecallWeights): Record<string, number | undefined> {
  return { lexical: w.lexical, semantic: w.semantic, graph: w.graph, sourceTrust: w.sourceTrust, recency: w.recency };
}

function toProtoScored(s: DomainScoredFact): ScoredFact {
  return create(ScoredFactSchema, {
    fact: toProtoFact(s.fact),
    score: s.score,
    scoreBreakdown: { ...s.breakdown },
    hopDistance: s.hopDistance,
    tokenEstimate: s.tokenEstimate,
    fromCard: s.fromCard,
    sameValueCount: s.sameValueCount,
  });
}
