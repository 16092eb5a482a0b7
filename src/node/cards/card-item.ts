/**
 * A memory card as a recall item (`prefer_cards`, protocol.md §9): a
 * synthetic FactRecord with id `card:{entity}`, relation
 * `stigmem:card:summary` and source `system:stigmem:materializer`, whose
 * text value is the card summary. It is never stored; its CID is computed
 * like any fact's so clients can still address and verify the text, and
 * `derived_from` names the CIDs of the facts it summarizes.
 *
 * @module
 */
import { computeCid } from "../../core/cid.js";
import { formatHlc } from "../../core/hlc.js";
import type { Scope } from "../../core/scope.js";
import type { FactRecord } from "../facts/fact-record.js";
import type { Card } from "./card-cache.js";

export const CARD_RELATION = "stigmem:card:summary";
export const CARD_SOURCE = "system:stigmem:materializer";

/** The recall item of `card`. */
export function cardFactRecord(card: Card): FactRecord {
  const hlc = formatHlc(card.newestHlc);
  return {
    id: `card:${card.entity}`,
    entity: card.entity,
    relation: CARD_RELATION,
    value: { type: "text", v: card.summary, interpret_as: "content" },
    source: CARD_SOURCE,
    timestamp: card.refreshedAt,
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
    valid_until: null,
    hlc,
    origin_hlc: hlc,
    received_from: null,
    origin_node_id: null,
    origin_allowed_scopes: null,
    garden_id: null,
    contradicted: card.hasContradictions,
    warnings: [],
    // avg_confidence is already trust-weighted; the materializer itself is trusted.
    effective_confidence: card.avgConfidence,
    quarantine_status: null,
    quarantine_garden_id: null,
    derived_from: card.factHashes.map((cid) => ({ cid })),
    source_trust: 1.0,
    attested_key_id: null,
    attested: null,
    sanitizer_warnings: [],
    sanitizer_redacted: false,
    supersedes: [],
    state: "current",
  };
}
