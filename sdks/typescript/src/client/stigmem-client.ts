/**
 * The one facade every transport implements: the same calls, arguments and
 * domain results over REST, Connect, gRPC and gRPC-Web, so switching the
 * wire is one option of `createClient`.
 *
 * @module
 */
import type {
  ApiKey,
  AssertInput,
  AssertResult,
  BatchOptions,
  BatchResult,
  Card,
  CidCheck,
  Conflict,
  ConflictListOptions,
  ConflictPage,
  CreatedKey,
  CreateKeyInput,
  Fact,
  FactPage,
  FactQuery,
  FactWatch,
  Me,
  NeighborPage,
  NeighborsOptions,
  NodeInfo,
  RecallOptions,
  RecallResult,
  Resolution,
  ResolveResult,
  RetractInput,
  Scope,
  TransportKind,
  WatchOptions,
} from "../types.js";

/** Facts: write, read, list, verify (protocol.md §2, §4, §6). */
export interface FactsApi {
  /** Writes a fact (201 also when deduplicated against the chain head). */
  assert(input: AssertInput): Promise<AssertResult>;
  /** Writes up to 500 facts; each item is accepted or rejected on its own unless `atomic`. */
  batch(facts: AssertInput[], opts?: BatchOptions): Promise<BatchResult>;
  /** One fact by id or CID, in any state. */
  get(idOrCid: string): Promise<Fact>;
  /** One page of facts; pass `cursor` back for the next. */
  query(query?: FactQuery): Promise<FactPage>;
  /** Every fact matching `query`, page after page. */
  list(query?: Omit<FactQuery, "cursor">): AsyncIterable<Fact>;
  /** The node recomputes the fact's CID and compares it with the stored one. */
  verifyCid(id: string): Promise<CidCheck>;
  /** Ends a chain: a confidence-0 fact from the same source (protocol.md §6). */
  retract(input: RetractInput): Promise<AssertResult>;
  /**
   * Facts as they are committed (local writes and federation), matching the
   * filters and readable by the key, each once and in the node's feed order.
   * After a dropped connection it reconnects after the last cursor it
   * yielded, so nothing is lost or repeated. Connect, gRPC and gRPC-Web only:
   * over REST, iterating throws `NotImplementedError` (REST streams a
   * subscription's events as SSE, `GET /v1/subscriptions/{id}/stream`).
   */
  watch(opts?: WatchOptions): FactWatch;
}

export interface CardsApi {
  /** The memory card of an entity (404 when it has no live facts). */
  get(entityUri: string, opts?: { scope?: Scope; refresh?: boolean }): Promise<Card>;
}

export interface GraphApi {
  /** Entities linked to `entity` by `ref` facts, up to `depth` hops. */
  neighbors(entity: string, opts: NeighborsOptions): Promise<NeighborPage>;
}

export interface ConflictsApi {
  list(opts?: ConflictListOptions): Promise<ConflictPage>;
  get(conflictId: string): Promise<Conflict>;
  resolve(conflictId: string, resolution: Resolution): Promise<ResolveResult>;
}

export interface KeysApi {
  /** Needs `admin`; the returned `rawKey` is shown once. */
  create(input: CreateKeyInput): Promise<CreatedKey>;
  /** The caller's own keys, or every key for an admin. */
  list(): Promise<ApiKey[]>;
  revoke(keyId: string): Promise<void>;
}

export interface NodeApi {
  /** The discovery document (`/.well-known/stigmem`, `NodeService/GetNodeInfo`). */
  info(): Promise<NodeInfo>;
  health(): Promise<{ status: string }>;
}

/** A client of one node over one transport. */
export interface StigmemClient {
  readonly transport: TransportKind;
  readonly facts: FactsApi;
  readonly cards: CardsApi;
  readonly graph: GraphApi;
  readonly conflicts: ConflictsApi;
  readonly keys: KeysApi;
  readonly node: NodeApi;
  /** The facts most relevant to `query` within a token budget (protocol.md §9). */
  recall(query: string, opts?: RecallOptions): Promise<RecallResult>;
  /** Who the key belongs to, with its permissions and scopes. */
  me(): Promise<Me>;
}

/** Options every transport shares. */
export interface ClientOptions {
  /** The node's URL, e.g. `http://127.0.0.1:8765`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Default `connect`. */
  transport?: TransportKind;
  /** Per-call timeout in milliseconds. */
  timeoutMs?: number;
  /** Replaces `fetch` for REST and the browser transports. */
  fetch?: typeof globalThis.fetch;
}
