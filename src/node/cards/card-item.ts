/**
 * A memory card as a recall item (`prefer_cards`, protocol.md §9): a
 * synthetic fact with id `card:{entity}`, relation `stigmem:card:summary`
 * and source `system:stigmem:materializer`, whose text value is the card
 * summary. It is never stored; its CID is computed like any fact's so
 * clients can still address and verify the text, and `derivedFrom` names
 * the CIDs of the facts it summarizes.
 *
 * @module
 */
import { computeCid } from "../../core/cid.js";
import type { Scope } from "../../core/scope.js";
import type { Fact } from "../facts/fact.js";
import type { Card } from "./card-cache.js";

export const CARD_RELATION = "stigmem:card:summary";
export const CARD_SOURCE = "system:stigmem:materializer";

/** The recall item of `card`. */
export function cardFact(card: Card): Fact {
  return {
    id: `card:${card.entity}`,
    entity: card.entity,
    relation: CARD_RELATION,
    value: { type: "text", text: card.summary, interpretAs: "content" },
    source: CARD_SOURCE,
    timestamp: card.refreshedAt,
    // avg_confidence is already trust-weighted; the materializer itself is trusted.
    confidence: card.avgConfidence,
    scope: card.scope,
    cid: computeCid({
      entity: card.entity,
      relation: CARD_RELATION,
      value_type: "text",
      value_v: card.summary,
      source: CARD_SOURCE,
      confidence: card.avgConfidence,
      scope: card.scope as Scope,
    }),
    validUntil: null,
    hlc: card.newestHlc,
    originHlc: card.newestHlc,
    receivedFrom: null,
    originNodeId: null,
    gardenId: null,
    contradicted: card.hasContradictions,
    warnings: [],
    sourceTrust: 1.0,
    quarantine: null,
    derivedFrom: card.factHashes.map((cid) => ({ cid })),
    supersedes: [],
    state: "current",
  };
}
