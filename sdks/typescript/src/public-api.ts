/**
 * What both entries (Node and browser) export besides `createClient`, listed
 * by name so the public surface is reviewed, not inferred.
 *
 * @module
 */
export type {
  CardsApi,
  ClientOptions,
  ConflictsApi,
  FactsApi,
  GraphApi,
  KeysApi,
  NodeApi,
  StigmemClient,
} from "./client/stigmem-client.js";
export {
  AuthError,
  ConflictError,
  createStigmemError,
  InternalError,
  isStigmemError,
  NotFoundError,
  NotImplementedError,
  PermissionError,
  RateLimitError,
  StigmemError,
  UnavailableError,
  ValidationError,
} from "./errors.js";
export type { ErrorKind, FieldIssue, StigmemErrorInit } from "./errors.js";
export { value } from "./values.js";
export { entityUri, normalizeEntityUri } from "./entity-uri.js";
export { computeFactCid, factValueV, verifyChainProof, verifyFactCid } from "./verify/index.js";
export type { ChainFact, ChainProofVerification, CidFields, CidVerification } from "./verify/index.js";
export type {
  ApiKey,
  AssertInput,
  AssertResult,
  BatchItem,
  BatchOptions,
  BatchResult,
  Card,
  ChainCheckpoint,
  ChainProof,
  CidCheck,
  Conflict,
  ConflictListOptions,
  ConflictPage,
  ConflictStatus,
  CreatedKey,
  CreateKeyInput,
  Fact,
  FactPage,
  FactQuery,
  FactEvent,
  FactState,
  FactValue,
  FactWatch,
  InterpretAs,
  Me,
  Neighbor,
  NeighborPage,
  NeighborsOptions,
  NodeInfo,
  RecallOptions,
  RecallResult,
  RecallWeights,
  Resolution,
  ResolveResult,
  RetractInput,
  Scope,
  ScoreBreakdown,
  ScoredFact,
  TransportKind,
  ValueInput,
  ValueType,
  WatchOptions,
} from "./types.js";
