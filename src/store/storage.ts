/**
 * A node's storage: the one SQLite connection, every statement store over
 * it, the group-commit queue and the view signal. Everything above `store/`
 * reaches the database through this object's stores and its transaction
 * helpers; the connection itself never leaves this folder, so a server
 * database could take SQLite's place behind the same shape.
 *
 * @module
 */
import { AuditLog } from "./audit-log.js";
import { BackgroundCheckpointer } from "./background-checkpointer.js";
import { CardStore } from "./card-store.js";
import { ConflictStore } from "./conflict-store.js";
import { databaseInfo, openDatabase, type Db, type OpenOptions } from "./database.js";
import { FactChain } from "./fact-chain.js";
import { FactStore } from "./fact-store.js";
import { FeedStore } from "./feed-store.js";
import { IdempotencyStore } from "./idempotency-store.js";
import { KeyStore } from "./key-store.js";
import { LexicalIndex } from "./lexical-index.js";
import { NodeMetaStore } from "./node-meta-store.js";
import { PeerStore } from "./peer-store.js";
import { RecallChainStore } from "./recall-chain-store.js";
import { RecallStore } from "./recall-store.js";
import { SubscriptionStore } from "./subscription-store.js";
import { VectorStore } from "./vector-store.js";
import { ViewRowCache } from "./view-row-cache.js";
import { ViewSignal } from "./view-signal.js";
import { WriteQueue } from "./write-queue.js";

export interface StorageOptions extends OpenOptions {
  /** Most rows recall keeps in memory (view-row-cache.ts); 0 keeps none. */
  readonly recallCacheRows?: number;
  /**
   * Copy the write-ahead log into the database file on a worker thread (a
   * serving node); a short-lived CLI leaves that to SQLite.
   */
  readonly backgroundCheckpoints?: boolean;
  /** Told of failures that must not fail a write: a commit listener that threw, a checkpoint that failed. */
  readonly onBackgroundError?: (error: unknown, what: string) => void;
}

export class Storage {
  /** The database file. */
  readonly path: string;
  readonly signal: ViewSignal;
  /** Group commit: every write use case runs its transaction through this queue. */
  readonly writes: WriteQueue;
  readonly meta: NodeMetaStore;
  readonly facts: FactStore;
  readonly conflicts: ConflictStore;
  readonly audit: AuditLog;
  readonly factChain: FactChain;
  readonly idempotency: IdempotencyStore;
  readonly keys: KeyStore;
  /** Recall's in-memory copy of the view, kept exact by the view signal. */
  readonly viewRows: ViewRowCache;
  readonly recall: RecallStore;
  readonly cards: CardStore;
  readonly recallChain: RecallChainStore;
  readonly vectors: VectorStore;
  /** Federation: peers, token nonces, replication cursors (peer-store.ts). */
  readonly peers: PeerStore;
  /** Federation: the commit-ordered feed of facts (feed-store.ts). */
  readonly feed: FeedStore;
  /** Subscriptions, their events and delivery log (subscription-store.ts). */
  readonly subscriptions: SubscriptionStore;
  private readonly checkpointer: BackgroundCheckpointer | null;

  private constructor(
    private readonly db: Db,
    opts: StorageOptions,
  ) {
    const onError = opts.onBackgroundError ?? (() => {});
    this.path = db.name;
    this.signal = new ViewSignal((e) => onError(e, "a listener of committed facts failed"));
    this.viewRows = new ViewRowCache(opts.recallCacheRows);
    const viewRows = this.viewRows;
    this.signal.onChange((change) => (change === null ? viewRows.clear() : viewRows.invalidate(change.entity)));
    this.meta = new NodeMetaStore(db);
    this.facts = new FactStore(db, this.signal);
    this.conflicts = new ConflictStore(db);
    this.audit = new AuditLog(db);
    this.factChain = new FactChain(db);
    this.idempotency = new IdempotencyStore(db);
    this.keys = new KeyStore(db);
    this.recall = new RecallStore(db, this.viewRows, this.signal);
    this.cards = new CardStore(db);
    this.recallChain = new RecallChainStore(db);
    this.vectors = new VectorStore(db);
    this.peers = new PeerStore(db);
    this.feed = new FeedStore(db, this.meta);
    this.subscriptions = new SubscriptionStore(db, this.meta);
    const lexical = new LexicalIndex(db);
    this.writes = new WriteQueue(db, { beforeCommit: () => lexical.catchUp(), signal: this.signal });
    this.checkpointer =
      opts.backgroundCheckpoints === true
        ? new BackgroundCheckpointer(db, (message) => onError(new Error(message), "background WAL checkpoint failed; the writer checkpoints by itself"))
        : null;
  }

  /** Opens (creating and migrating if needed) the database at `dbPath`. */
  static open(dbPath: string, opts: StorageOptions = {}): Storage {
    return new Storage(openDatabase(dbPath, opts), opts);
  }

  /**
   * Runs `work` in a transaction of its own, outside the group commit: for
   * the rare writes that must commit before a reply and are not facts (a
   * key created or revoked, together with its audit entry).
   */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * Takes the write lock and gives it back at once: fails (busy, read-only)
   * exactly where a write would, without writing anything.
   */
  probeWriteLock(): void {
    this.db.exec("BEGIN IMMEDIATE");
    this.db.exec("ROLLBACK");
  }

  /** Versions of the storage engine and of the applied schema, for diagnostics. */
  info(): { sqliteVersion: string; schemaVersion: number } {
    return databaseInfo(this.db);
  }

  get open(): boolean {
    return this.db.open;
  }

  /** Stops the checkpointer and closes the connection (which checkpoints what is left of the log). */
  close(): void {
    this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}
