/**
 * What the use cases of `node/` see of a running node: its identity and
 * settings, its stores, the group-commit queue and the view signal, and
 * the runtimes of its features as named fields. It is built once by the
 * composition root (stigmem-node.ts); a use case takes it as its first
 * argument and reaches nothing else, so what each one depends on is on the
 * page.
 *
 * @module
 */
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { AuditLog } from "../store/audit-log.js";
import type { ConflictStore } from "../store/conflict-store.js";
import type { FactChain } from "../store/fact-chain.js";
import type { FactStore } from "../store/fact-store.js";
import type { FeedStore } from "../store/feed-store.js";
import type { IdempotencyStore } from "../store/idempotency-store.js";
import type { PeerStore } from "../store/peer-store.js";
import type { SubscriptionStore } from "../store/subscription-store.js";
import type { ViewRowCache } from "../store/view-row-cache.js";
import type { ViewSignal } from "../store/view-signal.js";
import type { WriteQueue } from "../store/write-queue.js";
import type { KeyRegistry } from "./auth/key-registry.js";
import type { CardCache } from "./cards/card-cache.js";
import type { Clock } from "./clock.js";
import type { FactApplier } from "./facts/apply-fact.js";
import type { FederationRuntime } from "./federation/federation-runtime.js";
import type { RecallRuntime } from "./recall/recall-runtime.js";
import type { SubscriptionRuntime } from "./subscriptions/subscription-runtime.js";

/** The statement stores the use cases write and read through. */
export interface NodeStores {
  readonly facts: FactStore;
  readonly conflicts: ConflictStore;
  readonly audit: AuditLog;
  readonly factChain: FactChain;
  readonly idempotency: IdempotencyStore;
  /** Recall's in-memory copy of the view (rows already checked against their CID). */
  readonly viewRows: ViewRowCache;
  /** Federation peers, token nonces, replication cursors. */
  readonly peers: PeerStore;
  /** The commit-ordered feed peers pull. */
  readonly feed: FeedStore;
  /** Subscriptions, their webhook events and delivery log. */
  readonly subscriptions: SubscriptionStore;
}

export interface NodeContext {
  readonly nodeId: string;
  /** The URL clients and peers use: configured, else derived from the bound address. */
  readonly nodeUrl: string;
  readonly config: Config;
  readonly log: Logger;
  readonly stores: NodeStores;
  /** Group commit: every write use case runs its transaction through this queue. */
  readonly writes: WriteQueue;
  /** The one "view changed" signal, and the facts of each commit. */
  readonly signal: ViewSignal;
  readonly clock: Clock;
  /** The one write step of facts (facts/apply-fact.ts). */
  readonly applier: FactApplier;
  /** API keys, their audit and the authentication cache (protocol.md §8). */
  readonly keys: KeyRegistry;
  readonly recall: RecallRuntime;
  readonly cards: CardCache;
  /** Identity and feed epoch of federation; null while federation is off (or not started yet). */
  readonly federation: FederationRuntime | null;
  /** Live watchers and webhook delivery. */
  readonly subscriptions: SubscriptionRuntime;
  /** Versions of the storage engine and schema, for diagnostics. */
  storageInfo(): { sqliteVersion: string; schemaVersion: number };
}
