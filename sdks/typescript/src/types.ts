/**
 * The SDK's domain types: one camelCase shape per result, the same whichever
 * transport carried it (REST JSON and Connect messages both map onto these),
 * so code written against the facade never depends on the wire.
 *
 * @module
 */

/** Where a fact may travel (protocol.md §2). */
export type Scope = "local" | "team" | "company" | "public";
/** The seven value types (protocol.md §2). */
export type ValueType = "string" | "text" | "datetime" | "ref" | "number" | "boolean" | "null";
/** Whether a value is content or an instruction for agents (needs `instruction:write`). */
export type InterpretAs = "content" | "instruction";
/** Where a fact stands in its chain (protocol.md §6). */
export type FactState = "current" | "superseded" | "retracted" | "overruled" | "expired";
/** Which wire the client speaks. */
export type TransportKind = "rest" | "connect" | "grpc" | "grpc-web";

/** A value as written: `interpretAs` defaults to `content`. */
export type ValueInput =
  | { type: "string" | "text" | "datetime" | "ref"; v: string; interpretAs?: InterpretAs }
  | { type: "number"; v: number; interpretAs?: InterpretAs }
  | { type: "boolean"; v: boolean; interpretAs?: InterpretAs }
  | { type: "null"; v?: null; interpretAs?: InterpretAs };

/** A value as read back: numbers as numbers, booleans as booleans, null as `v: null`. */
export type FactValue =
  | { type: "string" | "text" | "datetime" | "ref"; v: string; interpretAs: InterpretAs }
  | { type: "number"; v: number; interpretAs: InterpretAs }
  | { type: "boolean"; v: boolean; interpretAs: InterpretAs }
  | { type: "null"; v: null; interpretAs: InterpretAs };

/** An immutable, content-addressed fact (protocol.md §2). */
export interface Fact {
  readonly id: string;
  readonly entity: string;
  readonly relation: string;
  readonly value: FactValue;
  readonly source: string;
  /** `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, the origin's time for federated facts. */
  readonly timestamp: string;
  readonly confidence: number;
  readonly scope: Scope;
  /** `sha256:` + 64 hex: see `computeFactCid`. */
  readonly cid: string;
  readonly validUntil: string | null;
  /** Local hybrid logical clock, `{wall_ms}.{counter}`; order by the integer pair, never as text. */
  readonly hlc: string;
  readonly originHlc: string;
  readonly receivedFrom: string | null;
  readonly originNodeId: string | null;
  readonly originAllowedScopes: readonly string[];
  readonly gardenId: string | null;
  /** Another current value exists for the same (entity, relation, scope). */
  readonly contradicted: boolean;
  readonly warnings: readonly string[];
  readonly effectiveConfidence: number;
  readonly sourceTrust: number;
  readonly quarantineStatus: "pending" | "promoted" | "rejected" | null;
  readonly quarantineGardenId: string | null;
  readonly derivedFrom: readonly Readonly<Record<string, unknown>>[];
  /** Ids of the facts this one replaced in its chain. */
  readonly supersedes: readonly string[];
  readonly state: FactState | null;
}

/** What `facts.assert` takes. Entity and source are normalized by the node (protocol.md §3). */
export interface AssertInput {
  entity: string;
  relation: string;
  value: ValueInput;
  source: string;
  /** 0..1, default 1; 0 retracts the chain. */
  confidence?: number;
  /** Default `local`. */
  scope?: Scope;
  /** RFC 3339 instant after which the fact is expired. */
  validUntil?: string;
  gardenId?: string;
  writeMode?: string;
  derivedFrom?: Record<string, unknown>[];
}

/** What `facts.retract` takes: the chain to end, as a confidence-0 fact from the same source. */
export interface RetractInput {
  entity: string;
  relation: string;
  source: string;
  scope: Scope;
  /** Stored as the retraction's value; default the string `retracted`. */
  value?: ValueInput;
}

export interface AssertResult {
  readonly fact: Fact;
  /** The chain head already had this CID: nothing new was stored. */
  readonly deduplicated: boolean;
}

export interface BatchOptions {
  /** One failure writes nothing; the other items report `batch_aborted`. */
  atomic?: boolean;
  /** Replays within 24 h return the first answer; another body with the same key is a ConflictError. */
  idempotencyKey?: string;
}

export interface BatchItem {
  readonly index: number;
  readonly status: "accepted" | "rejected";
  readonly factId: string | null;
  readonly cid: string | null;
  readonly deduplicated: boolean;
  /** Stable error code of a rejected item. */
  readonly error: string | null;
  readonly errorMessage: string | null;
}

export interface BatchResult {
  readonly accepted: number;
  readonly rejected: number;
  readonly results: readonly BatchItem[];
}

/** Filters of `facts.query`; all optional. */
export interface FactQuery {
  entity?: string;
  relation?: string;
  source?: string;
  scope?: Scope;
  gardenId?: string;
  minConfidence?: number;
  includeContradicted?: boolean;
  includeExpired?: boolean;
  /** All history, each fact with its `state`. */
  includeSuperseded?: boolean;
  /** RFC 3339: only facts whose timestamp is later. */
  after?: string;
  /** Time travel; not available on this node yet (NotImplementedError). */
  asOf?: string;
  order?: "asc" | "desc";
  cursor?: string;
  /** 1..500, default 50. */
  limit?: number;
}

export interface FactPage {
  readonly facts: readonly Fact[];
  /** All matching facts, not just this page. */
  readonly total: number;
  /** Pass to the next query; null on the last page. */
  readonly cursor: string | null;
  /** A fact failed its CID check on read and was left out. */
  readonly integrityDegraded: boolean;
}

export interface CidCheck {
  readonly cidValid: boolean;
  readonly computedCid: string;
  readonly storedCid: string | null;
  readonly mismatchReason: string | null;
}

export interface RecallWeights {
  lexical?: number;
  semantic?: number;
  graph?: number;
  sourceTrust?: number;
  recency?: number;
}

export interface RecallOptions {
  /** Default `local`. */
  scope?: Scope;
  tokenBudget?: number;
  depth?: number;
  weights?: RecallWeights;
  minConfidence?: number;
  includeNeighbors?: boolean;
  limit?: number;
  entity?: string;
  relation?: string;
  lambdaMmr?: number;
  preferCards?: boolean;
  /** Re-derive the whole fact chain on the node and return its head (`chainProof`). */
  verifyChain?: boolean;
}

export interface ScoreBreakdown {
  readonly lexical: number;
  readonly semantic: number;
  readonly graph: number;
  readonly sourceTrust: number;
  readonly recency: number;
  readonly weightedTotal: number;
}

export interface ScoredFact {
  readonly fact: Fact;
  readonly score: number;
  readonly scoreBreakdown: ScoreBreakdown;
  readonly hopDistance: number;
  readonly tokenEstimate: number;
  readonly fromCard: boolean;
  /**
   * For a question listing a relation ("who is on call?"): how many recalled
   * candidates share this fact's relation and value (≥ 2), on the first fact of
   * each such value; null otherwise.
   */
  readonly sameValueCount: number | null;
}

/** The node's statement about its fact chain (protocol.md §11); check it with `verifyChainProof`. */
export interface ChainProof {
  readonly tenantId: string;
  readonly checkedEntries: number;
  readonly headHash: string | null;
  readonly checkpoint: ChainCheckpoint | null;
}

/** A transparency-log checkpoint of the chain (none are issued by this node yet). */
export interface ChainCheckpoint {
  readonly id: string;
  readonly tenantId: string;
  readonly coveredChainSeq: number;
  readonly chainHash: string;
  readonly status: string;
  readonly createdAt: string;
}

export interface RecallResult {
  readonly recallId: string;
  readonly queryHash: string;
  readonly facts: readonly ScoredFact[];
  readonly content: readonly ScoredFact[];
  readonly instructions: readonly ScoredFact[];
  readonly totalScored: number;
  readonly tokenBudget: number;
  readonly tokensUsed: number;
  readonly truncated: boolean;
  readonly chainProof: ChainProof | null;
  readonly integrityDegraded: boolean;
}

export interface Card {
  readonly entityUri: string;
  readonly scope: string;
  readonly summary: string;
  /** CIDs of the facts summarized. */
  readonly factHashes: readonly string[];
  readonly avgConfidence: number;
  readonly refreshedAt: string | null;
  readonly isStale: boolean;
  readonly hasContradictions: boolean;
}

export interface NeighborsOptions {
  scope: Scope;
  depth?: number;
  relationFilter?: string;
  minConfidence?: number;
  minTrust?: number;
  pageSize?: number;
  cursor?: string;
}

export interface Neighbor {
  readonly entity: string;
  readonly relation: string;
  readonly hops: number;
  readonly confidence: number;
  readonly sourceTrust: number | null;
  readonly path: readonly string[];
}

export interface NeighborPage {
  readonly entity: string;
  readonly depth: number;
  readonly neighbors: readonly Neighbor[];
  readonly nextCursor: string | null;
  readonly totalHint: number;
}

export type ConflictStatus = "unresolved" | "resolved";

export interface Conflict {
  readonly conflictId: string;
  readonly factA: Fact;
  readonly factB: Fact;
  readonly status: ConflictStatus;
  readonly resolvedBy: string | null;
  readonly detectedAt: string;
  readonly entity: string;
  readonly relation: string;
  readonly scope: string;
  readonly resolutionNote: string | null;
  readonly resolver: string | null;
  readonly resolvedAt: string | null;
}

export interface ConflictListOptions {
  /** Default `unresolved`. */
  status?: ConflictStatus;
  cursor?: string;
  limit?: number;
}

export interface ConflictPage {
  readonly conflicts: readonly Conflict[];
  readonly cursor: string | null;
  readonly hasMore: boolean;
  readonly total: number;
}

/** Keep one of the two facts, or write a new value; the note is kept on the conflict. */
export type Resolution =
  | { winningFactId: string; newValue?: undefined; note?: string }
  | { newValue: ValueInput; winningFactId?: undefined; note?: string };

export interface ResolveResult {
  readonly resolutionFactId: string;
  readonly conflictStatus: "resolved";
}

export interface ApiKey {
  readonly id: string;
  readonly entityUri: string;
  readonly permissions: readonly string[];
  /** null: every scope. */
  readonly allowedScopes: readonly string[] | null;
  readonly description: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly tenantId: string;
}

export interface CreateKeyInput {
  entityUri: string;
  /** Default `["read", "write"]`. */
  permissions?: string[];
  allowedScopes?: Scope[];
  description?: string;
  expiresAt?: string;
  /** Bring your own secret (32–256 visible ASCII characters); otherwise the node makes one. */
  rawKey?: string;
}

export interface CreatedKey {
  readonly key: ApiKey;
  /** The secret, when the node generated it; shown once. */
  readonly rawKey: string | null;
}

export interface Me {
  readonly entityUri: string;
  readonly permissions: readonly string[];
  readonly allowedScopes: readonly string[] | null;
  readonly tenantId: string;
  readonly keyId: string | null;
}

export interface NodeInfo {
  readonly version: string;
  readonly nodeId: string;
  readonly nodeUrl: string;
  readonly auth: string;
  readonly federation: string;
  readonly sourceAttestation: string;
  readonly namespaces: readonly string[];
  readonly spec: string;
  readonly federationPubkey: string | null;
  readonly federationVersion: string | null;
}

/** Filters and resume point of `facts.watch`; all optional. */
export interface WatchOptions {
  /** Only facts about this entity (normalized by the node). */
  readonly entity?: string;
  /** Only facts with exactly this relation. */
  readonly relation?: string;
  /** Only facts whose relation starts with this text, e.g. `memory:`. */
  readonly relationPrefix?: string;
  /** Only facts in this scope (the key must allow it). */
  readonly scope?: Scope;
  /** Resume right after this cursor (a `FactEvent.cursor` persisted earlier); absent starts live. */
  readonly cursor?: string;
  /** Ends the watch; the iterator then finishes quietly. */
  readonly signal?: AbortSignal;
  /** Failures in a row without progress after which the last error is thrown (default 10). */
  readonly maxAttempts?: number;
  /** Called before each reconnect, e.g. to log it. */
  readonly onReconnect?: (info: { attempt: number; delayMs: number; cursor: string | undefined; error: Error }) => void;
}

/** One committed fact delivered to a watcher. */
export interface FactEvent {
  readonly type: "asserted" | "retracted";
  readonly fact: Fact;
  /** Where this event is in the node's feed: pass it as `WatchOptions.cursor` to resume after it. */
  readonly cursor: string;
}

/** The async iterable `facts.watch` returns. */
export interface FactWatch extends AsyncIterable<FactEvent> {
  /** The cursor of the last event yielded: persist it to resume after a restart. */
  readonly lastCursor: string | undefined;
}
