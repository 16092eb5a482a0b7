/**
 * The running node as the application layer sees it: configuration, the
 * open database and the node's persisted identity. Transports receive one
 * of these and call the use-case functions in `node/` with it.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { defaultNodeUrl, type Config } from "../config.js";
import { openDatabase, type Db } from "../store/database.js";
import { AuditLog } from "../store/audit-log.js";
import { BackgroundCheckpointer } from "../store/background-checkpointer.js";
import { ConflictStore } from "../store/conflict-store.js";
import { FactChain } from "../store/fact-chain.js";
import { FactStore } from "../store/fact-store.js";
import { IdempotencyStore } from "../store/idempotency-store.js";
import { LexicalIndex } from "../store/lexical-index.js";
import { NodeMetaStore } from "../store/node-meta-store.js";
import { ViewRowCache } from "../store/view-row-cache.js";
import { Clock } from "./clock.js";
import { FactEvents } from "./fact-events.js";
import { ExpirySweeper } from "./facts/expiry-sweeper.js";
import { WriteQueue } from "./write-queue.js";
import type { SemanticChannel } from "./recall/semantic-channel.js";
import { KeyRegistry } from "./auth/key-registry.js";
import type { Logger } from "../logger.js";

/** The stores of one node, each owning its statements. */
export interface NodeStores {
  readonly meta: NodeMetaStore;
  readonly facts: FactStore;
  readonly conflicts: ConflictStore;
  readonly audit: AuditLog;
  readonly factChain: FactChain;
  readonly idempotency: IdempotencyStore;
  /** Recall's in-memory copy of the view, kept exact by `facts`' writes. */
  readonly viewRows: ViewRowCache;
}

export class StigmemNode {
  readonly db: Db;
  readonly nodeId: string;
  readonly stores: NodeStores;
  readonly clock: Clock;
  /** Group commit: every write use case runs its transaction through this queue. */
  readonly writes: WriteQueue;
  /** Committed fact writes, for side effects that follow a commit. */
  readonly factEvents: FactEvents;
  /** Recomputes contradiction verdicts when facts expire. */
  readonly expirySweeper: ExpirySweeper;
  /** Semantic search for recall; null when no embedder is configured. Set at start-up by `src/embed/`. */
  semantic: SemanticChannel | null = null;
  /** API keys, their audit and the authentication cache (protocol.md §8). */
  readonly keys: KeyRegistry;
  private boundUrl: string | undefined;
  private readonly checkpointer: BackgroundCheckpointer;

  private constructor(
    readonly config: Config,
    readonly log: Logger,
    db: Db,
  ) {
    this.db = db;
    const meta = new NodeMetaStore(db);
    // The id is persisted on first start; a configured id must match it,
    // because peers and stored facts already refer to the persisted one.
    const stored = meta.getOrCreate("node_id", () => config.nodeId ?? `stigmem:node:${randomUUID()}`);
    if (config.nodeId !== undefined && config.nodeId !== stored) {
      db.close();
      throw new NodeIdMismatchError(config.nodeId, stored);
    }
    this.nodeId = stored;
    const viewRows = new ViewRowCache(config.recallCacheRows);
    const facts = new FactStore(db, (entity) => viewRows.invalidate(entity));
    this.stores = {
      meta,
      facts,
      conflicts: new ConflictStore(db),
      audit: new AuditLog(db),
      factChain: new FactChain(db),
      idempotency: new IdempotencyStore(db),
      viewRows,
    };
    this.clock = new Clock(meta, facts);
    this.factEvents = new FactEvents(log);
    const lexical = new LexicalIndex(db);
    this.writes = new WriteQueue(db, {
      beforeCommit: () => {
        lexical.catchUp();
        this.clock.persistIfAdvanced();
      },
    });
    this.expirySweeper = new ExpirySweeper(this);
    this.keys = new KeyRegistry(db, this.stores.audit);
    this.checkpointer = new BackgroundCheckpointer(db, (message) =>
      log.warn({ err: message }, "background WAL checkpoint failed; the writer checkpoints by itself"),
    );
  }

  /** Opens the database (applying migrations) and loads the node's identity. */
  static open(config: Config, log: Logger): StigmemNode {
    return new StigmemNode(config, log, openDatabase(config.dbPath, { busyTimeoutMs: config.dbBusyTimeoutMs }));
  }

  /** Records the address actually bound (port 0 resolves only at listen time). */
  setBoundAddress(host: string, port: number): void {
    this.boundUrl = defaultNodeUrl(host, port);
  }

  /** The URL clients and peers use: configured, else derived from the bound address. */
  get nodeUrl(): string {
    return this.config.nodeUrl ?? this.boundUrl ?? defaultNodeUrl(this.config.host, this.config.port);
  }

  close(): void {
    this.expirySweeper.stop();
    this.checkpointer.close();
    if (this.db.open) this.db.close();
  }
}

/** STIGMEM_NODE_ID disagrees with the id this data folder already has. */
export class NodeIdMismatchError extends Error {
  override readonly name = "NodeIdMismatchError";
  constructor(configured: string, stored: string) {
    super(`STIGMEM_NODE_ID is ${configured} but this data folder belongs to ${stored}`);
  }
}
