/**
 * What each operation of the contract costs the node, in the three ways the
 * server limits it: the rate-limit dimension it counts against, the most
 * bytes its request body may have, and whether load shedding may hold it
 * back. REST operations are named by their operationId, Connect methods by
 * the operation they mirror (common.proto: each RPC mirrors a REST route),
 * so one table serves both transports.
 *
 * Body caps (bytes on the wire, JSON escapes included):
 * - a fact's text is at most 64 KiB of UTF-8 (protocol.md §2), but JSON can
 *   spell one byte as a six-byte `\u00XX` escape and ref clients escape
 *   every non-ASCII character (Python's `ensure_ascii`), so a single-fact
 *   body may take 512 KiB;
 * - a batch holds at most 500 facts and 4 MiB: 500 typical facts are about
 *   150 KiB, 4 MiB still averages 8 KiB per fact, and parsing 4 MiB of JSON
 *   keeps the event loop for about 20 ms. Larger loads are split into
 *   several batches;
 * - everything else (recall, whose query is at most 4 KiB, keys, queries,
 *   gardens, …) 64 KiB.
 *
 * @module
 */
import type { DescMethod } from "@bufbuild/protobuf";
import type { Dimension } from "../config-limits.js";

export type { Dimension } from "../config-limits.js";

export interface OperationClass {
  /** The rate limit the operation counts against; null for discovery, health and docs. */
  readonly dimension: Dimension | null;
  /** Most bytes one request body may have. */
  readonly bodyLimit: number;
  /** Whether load shedding may queue or refuse it; health and metrics must answer under any load. */
  readonly shed: boolean;
}

const KIB = 1024;
/** Body cap of one fact (assert, conflict resolution with a new value). */
export const FACT_BODY_LIMIT = 512 * KIB;
/** Body cap of a batch of facts (`facts:batch`, federation push). */
export const BATCH_BODY_LIMIT = 4 * KIB * KIB;
/** Body cap of every other operation. */
export const DEFAULT_BODY_LIMIT = 64 * KIB;
/** The largest cap of any operation. */
export const MAX_BODY_LIMIT = BATCH_BODY_LIMIT;

/** Operations that are never limited or shed: monitoring must see the node under overload. */
const MONITORING = new Set(["getHealth", "getMetrics"]);
/** Open discovery and documentation: shed like the rest, but not rate limited. */
const DISCOVERY = new Set(["getDoctor", "getDocs", "getOpenApiDocument", "getWellKnown"]);
/** Operations that only read, recall included (`watchFacts` is Connect-only). */
const READS = new Set([
  "whoAmI",
  "listKeys",
  "queryFacts",
  "getFact",
  "verifyFactCid",
  "watchFacts",
  "recall",
  "getCard",
  "getNeighbors",
  "listConflicts",
  "getConflict",
  "lint",
  "getLintJob",
  "listGardens",
  "getGarden",
  "listGardenMembers",
  "listAuditEntries",
  "exportAuditLog",
  "verifyAuditChain",
  "listSubscriptions",
  "getSubscription",
  "listSubscriptionEvents",
  "streamSubscriptionEvents",
  "listPeers",
  "pullFacts",
  "listFederationAudit",
]);
/** Long-lived streams: rate limited as reads, but not held in the admission gate for their whole life. */
const STREAMS = new Set(["streamSubscriptionEvents"]);
/** Operations that issue credentials. */
const TOKENS = new Set(["createKey"]);
const FACT_BODIES = new Set(["assertFact", "resolveConflict"]);
const BATCH_BODIES = new Set(["batchAssertFacts", "pushFacts"]);

/** Connect methods whose name is not their REST operation's with a capital letter. */
const CONNECT_TO_OPERATION: Readonly<Record<string, string>> = {
  GetNodeInfo: "getWellKnown",
  CheckHealth: "getHealth",
};

/** The class of a REST operation; anything not listed above is a write. */
export function operationClass(operationId: string): OperationClass {
  const bodyLimit = BATCH_BODIES.has(operationId)
    ? BATCH_BODY_LIMIT
    : FACT_BODIES.has(operationId)
      ? FACT_BODY_LIMIT
      : DEFAULT_BODY_LIMIT;
  if (MONITORING.has(operationId)) return { dimension: null, bodyLimit, shed: false };
  if (DISCOVERY.has(operationId)) return { dimension: null, bodyLimit, shed: true };
  if (STREAMS.has(operationId)) return { dimension: "read", bodyLimit, shed: false };
  const dimension: Dimension = TOKENS.has(operationId) ? "token" : READS.has(operationId) ? "read" : "write";
  return { dimension, bodyLimit, shed: true };
}

/** The REST operation a Connect method mirrors (or its own name, for Connect-only methods). */
export function connectOperationId(method: DescMethod): string {
  return CONNECT_TO_OPERATION[method.name] ?? method.name.charAt(0).toLowerCase() + method.name.slice(1);
}

/** The class of a Connect method: that of the operation it mirrors. */
export function connectOperationClass(method: DescMethod): OperationClass {
  return operationClass(connectOperationId(method));
}
