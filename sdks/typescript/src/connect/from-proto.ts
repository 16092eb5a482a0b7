/**
 * Protobuf messages of the Connect contract (`proto/stigmem/v1`) → the SDK's
 * domain types, the same objects `rest/from-rest.ts` builds from REST JSON.
 * Enums become their REST text (`FACT_STATE_SUPERSEDED` → `superseded`, the
 * unspecified zero → null), optional fields absent → null, ScopeList → array.
 *
 * @module
 */
import type { ApiKey as ApiKeyMsg, WhoAmIResponse } from "../../../../gen/proto/stigmem/v1/auth_pb.js";
import type { ScopeList } from "../../../../gen/proto/stigmem/v1/common_pb.js";
import { ConflictStatus, type Conflict as ConflictMsg, type ListConflictsResponse } from "../../../../gen/proto/stigmem/v1/conflicts_pb.js";
import {
  FactState,
  InterpretAs,
  QuarantineStatus,
  ValueType,
  type Fact as FactMsg,
  type FactValue as FactValueMsg,
} from "../../../../gen/proto/stigmem/v1/fact_pb.js";
import type { GetNodeInfoResponse } from "../../../../gen/proto/stigmem/v1/node_pb.js";
import type {
  ChainProof as ChainProofMsg,
  GetNeighborsResponse,
  MemoryCard,
  RecallResponse,
  ScoredFact as ScoredFactMsg,
} from "../../../../gen/proto/stigmem/v1/recall_pb.js";
import type {
  ApiKey,
  Card,
  ChainProof,
  Conflict,
  ConflictPage,
  Fact,
  FactState as FactStateText,
  FactValue,
  Me,
  NeighborPage,
  NodeInfo,
  RecallResult,
  Scope,
  ScoredFact,
} from "../types.js";

/** `ValueType.STRING` → `"string"` (protobuf-es drops the enum prefix); the unspecified zero → null. */
export function enumText<T extends string>(e: Record<number, string>, value: number): T | null {
  if (value === 0) return null;
  const name = e[value];
  return name === undefined ? null : (name.toLowerCase() as T);
}

export function factValue(v: FactValueMsg | undefined): FactValue {
  const type = (v === undefined ? null : enumText(ValueType, v.type)) ?? "null";
  const interpretAs = (v === undefined ? null : enumText<"content" | "instruction">(InterpretAs, v.interpretAs)) ?? "content";
  const x = v?.v;
  const raw = x === undefined || x.case === undefined || x.case === "nullValue" ? null : x.value;
  return { type, v: raw, interpretAs } as FactValue;
}

export function fact(f: FactMsg | undefined): Fact {
  if (f === undefined) throw new Error("the node answered without a fact");
  return {
    id: f.id,
    entity: f.entity,
    relation: f.relation,
    value: factValue(f.value),
    source: f.source,
    timestamp: f.timestamp,
    confidence: f.confidence,
    scope: f.scope as Scope,
    cid: f.cid,
    validUntil: f.validUntil ?? null,
    hlc: f.hlc,
    originHlc: f.originHlc,
    receivedFrom: f.receivedFrom ?? null,
    originNodeId: f.originNodeId ?? null,
    originAllowedScopes: f.originAllowedScopes,
    gardenId: f.gardenId ?? null,
    contradicted: f.contradicted,
    warnings: f.warnings,
    effectiveConfidence: f.effectiveConfidence,
    sourceTrust: f.sourceTrust,
    quarantineStatus: enumText(QuarantineStatus, f.quarantineStatus),
    quarantineGardenId: f.quarantineGardenId ?? null,
    derivedFrom: f.derivedFrom,
    supersedes: f.supersedes,
    state: enumText<FactStateText>(FactState, f.state),
  };
}

function scored(s: ScoredFactMsg): ScoredFact {
  const b = s.scoreBreakdown;
  return {
    fact: fact(s.fact),
    score: s.score,
    scoreBreakdown: {
      lexical: b?.lexical ?? 0,
      semantic: b?.semantic ?? 0,
      graph: b?.graph ?? 0,
      sourceTrust: b?.sourceTrust ?? 0,
      recency: b?.recency ?? 0,
      weightedTotal: b?.weightedTotal ?? 0,
    },
    hopDistance: s.hopDistance,
    tokenEstimate: s.tokenEstimate,
    fromCard: s.fromCard,
    sameValueCount: s.sameValueCount ?? null,
  };
}

function chainProof(p: ChainProofMsg | undefined): ChainProof | null {
  if (p === undefined) return null;
  const c = p.checkpoint;
  return {
    tenantId: p.tenantId,
    checkedEntries: Number(p.checkedEntries),
    headHash: p.headHash ?? null,
    checkpoint:
      c === undefined
        ? null
        : { id: c.id, tenantId: c.tenantId, coveredChainSeq: Number(c.coveredChainSeq), chainHash: c.chainHash, status: c.status, createdAt: c.createdAt },
  };
}

export function recall(r: RecallResponse): RecallResult {
  return {
    recallId: r.recallId,
    queryHash: r.queryHash,
    facts: r.facts.map(scored),
    content: r.content.map(scored),
    instructions: r.instructions.map(scored),
    totalScored: r.totalScored,
    tokenBudget: r.tokenBudget,
    tokensUsed: r.tokensUsed,
    truncated: r.truncated,
    chainProof: chainProof(r.chainProof),
    integrityDegraded: r.integrityDegraded,
  };
}

export function card(c: MemoryCard | undefined): Card {
  if (c === undefined) throw new Error("the node answered without a card");
  return {
    entityUri: c.entityUri,
    scope: c.scope,
    summary: c.summary,
    factHashes: c.factHashes,
    avgConfidence: c.avgConfidence,
    refreshedAt: c.refreshedAt ?? null,
    isStale: c.isStale,
    hasContradictions: c.hasContradictions,
  };
}

export function neighbors(p: GetNeighborsResponse): NeighborPage {
  return {
    entity: p.entity,
    depth: p.depth,
    neighbors: p.neighbors.map((n) => ({
      entity: n.entity,
      relation: n.relation,
      hops: n.hops,
      confidence: n.confidence,
      sourceTrust: n.sourceTrust ?? null,
      path: n.path,
    })),
    nextCursor: p.nextCursor ?? null,
    totalHint: p.totalHint,
  };
}

export function conflict(c: ConflictMsg | undefined): Conflict {
  if (c === undefined) throw new Error("the node answered without a conflict");
  return {
    conflictId: c.conflictId,
    factA: fact(c.factA),
    factB: fact(c.factB),
    status: enumText<"unresolved" | "resolved">(ConflictStatus, c.status) ?? "unresolved",
    resolvedBy: c.resolvedBy ?? null,
    detectedAt: c.detectedAt,
    entity: c.entity,
    relation: c.relation,
    scope: c.scope,
    resolutionNote: c.resolutionNote ?? null,
    resolver: c.resolver ?? null,
    resolvedAt: c.resolvedAt ?? null,
  };
}

export function conflictPage(p: ListConflictsResponse): ConflictPage {
  return { conflicts: p.conflicts.map(conflict), cursor: p.cursor ?? null, hasMore: p.hasMore, total: Number(p.total) };
}

function scopes(s: ScopeList | undefined): string[] | null {
  return s === undefined ? null : s.scopes;
}

export function apiKey(k: ApiKeyMsg | undefined): ApiKey {
  if (k === undefined) throw new Error("the node answered without a key");
  return {
    id: k.id,
    entityUri: k.entityUri,
    permissions: k.permissions,
    allowedScopes: scopes(k.allowedScopes),
    description: k.description ?? null,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt ?? null,
    tenantId: k.tenantId,
  };
}

export function me(w: WhoAmIResponse): Me {
  return {
    entityUri: w.entityUri,
    permissions: w.permissions,
    allowedScopes: scopes(w.allowedScopes),
    tenantId: w.tenantId,
    keyId: w.keyId ?? null,
  };
}

export function nodeInfo(n: GetNodeInfoResponse): NodeInfo {
  return {
    version: n.version,
    nodeId: n.nodeId,
    nodeUrl: n.nodeUrl,
    auth: n.auth,
    federation: n.federation,
    sourceAttestation: n.sourceAttestation,
    namespaces: n.namespaces,
    spec: n.spec,
    federationPubkey: n.federationPubkey ?? null,
    federationVersion: n.federationVersion ?? null,
  };
}
