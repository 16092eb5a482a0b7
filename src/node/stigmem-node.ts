/**
 * The composition root of a node: opens its storage, loads its identity,
 * and builds each runtime with exactly what it needs. Use cases never see
 * this class's wiring, only the {@link NodeContext} it implements.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { defaultNodeUrl, type Config } from "../config.js";
import type { Logger } from "../logger.js";
import { Storage } from "../store/storage.js";
import type { ViewSignal } from "../store/view-signal.js";
import type { WriteQueue } from "../store/write-queue.js";
import { KeyRegistry } from "./auth/key-registry.js";
import { CardCache } from "./cards/card-cache.js";
import { Clock } from "./clock.js";
import { FactApplier } from "./facts/apply-fact.js";
import { ExpirySweeper } from "./facts/expiry-sweeper.js";
import { FederationRuntime } from "./federation/federation-runtime.js";
import type { NodeContext, NodeStores } from "./node-context.js";
import { RecallRuntime } from "./recall/recall-runtime.js";
import type { SemanticFactory, SemanticRuntime } from "./recall/semantic-channel.js";
import { SubscriptionRuntime } from "./subscriptions/subscription-runtime.js";

export class StigmemNode implements NodeContext {
  readonly nodeId: string;
  readonly stores: NodeStores;
  readonly writes: WriteQueue;
  readonly signal: ViewSignal;
  readonly clock: Clock;
  readonly applier: FactApplier;
  readonly keys: KeyRegistry;
  readonly recall: RecallRuntime;
  readonly cards: CardCache;
  readonly subscriptions = new SubscriptionRuntime();
  /** Recomputes contradiction verdicts when facts expire. */
  readonly expirySweeper: ExpirySweeper;
  private semanticRuntime: SemanticRuntime | null = null;
  private federationRuntime: FederationRuntime | null = null;
  private boundUrl: string | undefined;

  private constructor(
    readonly config: Config,
    readonly log: Logger,
    private readonly storage: Storage,
  ) {
    // The id is persisted on first start; a configured id must match it,
    // because peers and stored facts already refer to the persisted one.
    const stored = storage.meta.getOrCreate("node_id", () => config.nodeId ?? `stigmem:node:${randomUUID()}`);
    if (config.nodeId !== undefined && config.nodeId !== stored) {
      throw new NodeIdMismatchError(config.nodeId, stored);
    }
    this.nodeId = stored;
    this.stores = {
      facts: storage.facts,
      conflicts: storage.conflicts,
      audit: storage.audit,
      factChain: storage.factChain,
      idempotency: storage.idempotency,
      viewRows: storage.viewRows,
      peers: storage.peers,
      feed: storage.feed,
      subscriptions: storage.subscriptions,
    };
    this.writes = storage.writes;
    this.signal = storage.signal;
    this.clock = new Clock(storage.meta, storage.facts);
    this.writes.addBeforeCommit(() => this.clock.persistIfAdvanced());
    this.applier = new FactApplier({ nodeId: this.nodeId, ...this.stores, clock: this.clock, signal: this.signal });
    this.keys = new KeyRegistry(storage);
    this.cards = new CardCache(storage.cards, storage.recall, this.nodeId, this.stores.audit, this.signal);
    this.expirySweeper = new ExpirySweeper(
      { facts: storage.facts, writes: storage.writes, nodeId: this.nodeId },
      (e) => log.error({ err: e }, "expiry sweep failed"),
    );
    this.recall = new RecallRuntime({ store: storage.recall, chain: storage.recallChain, audit: storage.audit, log });
  }

  /** Opens the database (applying migrations), loads the node's identity and builds its runtimes. */
  static open(config: Config, log: Logger): StigmemNode {
    const storage = Storage.open(config.dbPath, {
      busyTimeoutMs: config.dbBusyTimeoutMs,
      recallCacheRows: config.recallCacheRows,
      backgroundCheckpoints: true,
      onBackgroundError: (err, what) => log.warn({ err }, what),
    });
    try {
      return new StigmemNode(config, log, storage);
    } catch (e) {
      storage.close();
      throw e;
    }
  }

  /**
   * Starts the semantic channel with `factory` (src/embed/ in production) and
   * hands it to recall: one step of start-up, after the port is bound,
   * because the offline embedder derives its vocabulary on a first start.
   * Until then, and when the factory returns null, recall has no semantic signal.
   */
  startSemantic(factory: SemanticFactory): void {
    if (this.semanticRuntime !== null) throw new Error("the semantic channel is already started");
    const { config, log, storage } = this;
    this.semanticRuntime = factory({ config, log, vectors: storage.vectors, writes: storage.writes, signal: storage.signal });
    if (this.semanticRuntime !== null) this.recall.useSemantic(this.semanticRuntime.channel);
  }

  /**
   * Loads the federation identity and checks the feed's epoch (protocol.md
   * §10): a step of start-up when STIGMEM_FEDERATION_ENABLED is on, before
   * the port is bound, so the first request sees the key.
   */
  async startFederation(): Promise<void> {
    if (this.federationRuntime !== null) throw new Error("federation is already started");
    this.federationRuntime = await FederationRuntime.open(this.config, this.storage.feed);
    const { key, keyOrigin, epoch } = this.federationRuntime;
    this.log.info({ fingerprint: key.fingerprint, key: keyOrigin, feed_epoch: epoch.epoch, epoch: epoch.decision }, "federation on");
  }

  get federation(): FederationRuntime | null {
    return this.federationRuntime;
  }

  /** Facts committed and not embedded yet; 0 without an embedder. */
  embeddingBacklog(): number {
    return this.semanticRuntime === null ? 0 : this.storage.vectors.backlog();
  }

  /** Records the address actually bound (port 0 resolves only at listen time). */
  setBoundAddress(host: string, port: number): void {
    this.boundUrl = defaultNodeUrl(host, port);
  }

  get nodeUrl(): string {
    return this.config.nodeUrl ?? this.boundUrl ?? defaultNodeUrl(this.config.host, this.config.port);
  }

  storageInfo(): { sqliteVersion: string; schemaVersion: number } {
    return this.storage.info();
  }

  /** Rows in `facts`, for the metrics gauge. */
  factCount(): number {
    return this.storage.facts.count();
  }

  /** Stops background work (expiry sweeps, embedding), then closes the database. */
  async close(): Promise<void> {
    this.expirySweeper.stop();
    await this.semanticRuntime?.close();
    this.storage.close();
  }
}

/** STIGMEM_NODE_ID disagrees with the id this data folder already has. */
export class NodeIdMismatchError extends Error {
  override readonly name = "NodeIdMismatchError";
  constructor(configured: string, stored: string) {
    super(`STIGMEM_NODE_ID is ${configured} but this data folder belongs to ${stored}`);
  }
}
