/**
 * REST JSON (snake_case, as `openapi/stigmem.yaml` describes it) → the SDK's
 * domain types. The Connect mapping (`connect/from-proto.ts`) produces the
 * same objects from protobuf messages.
 *
 * @module
 */
import type { components } from "../../../../gen/openapi/stigmem.js";
import type {
  ApiKey,
  Card,
  ChainProof,
  Conflict,
  ConflictPage,
  Fact,
  FactValue,
  Me,
  NeighborPage,
  NodeInfo,
  RecallResult,
  ScoredFact,
} from "../types.js";

/** The schemas of our REST contract, generated from openapi/stigmem.yaml. */
export type Schemas = components["schemas"];

export function factValue(v: Schemas["FactValue"]): FactValue {
  return { type: v.type, v: v.v, interpretAs: v.interpret_as } as FactValue;
}

export function fact(r: Schemas["FactRecord"]): Fact {
  return {
    id: r.id,
    entity: r.entity,
    relation: r.relation,
    value: factValue(r.value),
    source: r.source,
    timestamp: r.timestamp,
    confidence: r.confidence,
    scope: r.scope,
    cid: r.cid,
    validUntil: r.valid_until,
    hlc: r.hlc,
    originHlc: r.origin_hlc,
    receivedFrom: r.received_from,
    originNodeId: r.origin_node_id,
    originAllowedScopes: r.origin_allowed_scopes ?? [],
    gardenId: r.garden_id,
    contradicted: r.contradicted,
    warnings: r.warnings,
    effectiveConfidence: r.effective_confidence ?? r.confidence,
    sourceTrust: r.source_trust ?? 0,
    quarantineStatus: r.quarantine_status,
    quarantineGardenId: r.quarantine_garden_id,
    derivedFrom: r.derived_from,
    supersedes: r.supersedes,
    state: r.state,
  };
}

function scored(s: Schemas["ScoredFact"]): ScoredFact {
  const b = s.score_breakdown;
  return {
    fact: fact(s.fact),
    score: s.score,
    scoreBreakdown: {
      lexical: b.lexical,
      semantic: b.semantic,
      graph: b.graph,
      sourceTrust: b.source_trust,
      recency: b.recency,
      weightedTotal: b.weighted_total,
    },
    hopDistance: s.hop_distance,
    tokenEstimate: s.token_estimate,
    fromCard: s.from_card,
    sameValueCount: s.same_value_count ?? null,
  };
}

function chainProof(p: Schemas["ChainProof"] | null): ChainProof | null {
  if (p === null) return null;
  const c = p.checkpoint;
  return {
    tenantId: p.tenant_id,
    checkedEntries: p.checked_entries,
    headHash: p.head_hash,
    checkpoint:
      c === null
        ? null
        : { id: c.id, tenantId: c.tenant_id, coveredChainSeq: c.covered_chain_seq, chainHash: c.chain_hash, status: c.status, createdAt: c.created_at },
  };
}

export function recall(r: Schemas["RecallResponse"], integrityDegraded: boolean): RecallResult {
  return {
    recallId: r.recall_id,
    queryHash: r.query_hash,
    facts: r.facts.map(scored),
    content: (r.content ?? []).map(scored),
    instructions: (r.instructions ?? []).map(scored),
    totalScored: r.total_scored,
    tokenBudget: r.token_budget,
    tokensUsed: r.tokens_used,
    truncated: r.truncated,
    chainProof: chainProof(r.chain_proof),
    integrityDegraded,
  };
}

export function card(c: Schemas["MemoryCard"]): Card {
  return {
    entityUri: c.entity_uri,
    scope: c.scope,
    summary: c.summary,
    factHashes: c.fact_hashes,
    avgConfidence: c.avg_confidence,
    refreshedAt: c.refreshed_at,
    isStale: c.is_stale,
    hasContradictions: c.has_contradictions,
  };
}

export function neighbors(p: Schemas["NeighborPage"]): NeighborPage {
  return {
    entity: p.entity,
    depth: p.depth,
    neighbors: p.neighbors.map((n) => ({
      entity: n.entity,
      relation: n.relation,
      hops: n.hops,
      confidence: n.confidence,
      sourceTrust: n.source_trust,
      path: n.path,
    })),
    nextCursor: p.next_cursor,
    totalHint: p.total_hint,
  };
}

export function conflict(c: Schemas["Conflict"]): Conflict {
  return {
    conflictId: c.conflict_id,
    factA: fact(c.fact_a),
    factB: fact(c.fact_b),
    status: c.status,
    resolvedBy: c.resolved_by,
    detectedAt: c.detected_at,
    entity: c.entity,
    relation: c.relation,
    scope: c.scope,
    resolutionNote: c.resolution_note,
    resolver: c.resolver,
    resolvedAt: c.resolved_at,
  };
}

export function conflictPage(p: Schemas["ConflictPage"]): ConflictPage {
  return { conflicts: p.conflicts.map(conflict), cursor: p.cursor, hasMore: p.has_more, total: p.total };
}

export function apiKey(k: Schemas["Key"]): ApiKey {
  return {
    id: k.id,
    entityUri: k.entity_uri,
    permissions: k.permissions,
    allowedScopes: k.allowed_scopes,
    description: k.description,
    createdAt: k.created_at,
    expiresAt: k.expires_at,
    tenantId: k.tenant_id,
  };
}

export function me(w: Omit<Schemas["WhoAmI"], "oidc_sub">): Me {
  return {
    entityUri: w.entity_uri,
    permissions: w.permissions,
    allowedScopes: w.allowed_scopes,
    tenantId: w.tenant_id,
    keyId: w.key_id ?? null,
  };
}

export function nodeInfo(w: Schemas["WellKnown"]): NodeInfo {
  return {
    version: w.version,
    nodeId: w.node_id,
    nodeUrl: w.node_url,
    auth: w.auth,
    federation: w.federation,
    sourceAttestation: w.source_attestation,
    namespaces: w.namespaces,
    spec: w.spec,
    federationPubkey: w.federation_pubkey ?? null,
    federationVersion: w.federation_version ?? null,
  };
}
