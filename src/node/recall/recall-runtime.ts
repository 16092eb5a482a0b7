/**
 * What recall keeps per node, in one place: its statement store (with the
 * in-memory copy of the view), the document-frequency memo, the share of
 * full-text hits each scope's view kept, the fact-chain verifier behind
 * `Stigmem-Verify: full`, what it learned of the store's relations and
 * names, the embedder's word vectors, and the semantic channel once the
 * embedder runs.
 * The node's composition root builds it; nothing is created on first use
 * behind the node's back.
 *
 * @module
 */
import type { Logger } from "../../logger.js";
import type { FactRow } from "../../store/fact-row.js";
import type { AuditLog } from "../../store/audit-log.js";
import type { RecallChainStore } from "../../store/recall-chain-store.js";
import type { RecallStore } from "../../store/recall-store.js";
import { factState, toFact, type Fact } from "../facts/fact.js";
import { FactChainVerifier } from "./chain-proof.js";
import type { SemanticChannel } from "./semantic-channel.js";
import { StoreVocabulary } from "./store-vocabulary.js";
import { TokenStats } from "./token-stats.js";
import { WordVectors } from "./word-vectors.js";

/** Who recall's own reads of the shared view (relation profiles) are made as. */
const RECALL_ACTOR = "system:stigmem:recall";

export interface RecallRuntimeDeps {
  readonly store: RecallStore;
  readonly chain: RecallChainStore;
  readonly audit: AuditLog;
  readonly log: Logger;
}

export class RecallRuntime {
  readonly store: RecallStore;
  readonly tokenStats: TokenStats;
  /** Scope → share of full-text hits its view kept last time (lexical-channel.ts sizes its window by it). */
  readonly ftsShares = new Map<string, number>();
  readonly chain: FactChainVerifier;
  /** What recall learned of the store's relations and entity names. */
  readonly vocabulary: StoreVocabulary;
  /** The embedder's vectors of single words (relation matching). */
  readonly words = new WordVectors();
  readonly log: Logger;
  private channel: SemanticChannel | null = null;
  /**
   * The fact of each served row, built once while the row is kept (the view
   * copy keeps served rows): a row in the view is current whenever it is
   * served, and the same object lets the REST transport reuse its bytes.
   */
  private readonly facts = new WeakMap<FactRow, Fact>();

  constructor(deps: RecallRuntimeDeps) {
    this.store = deps.store;
    this.tokenStats = new TokenStats(deps.store);
    this.chain = new FactChainVerifier(deps.chain, deps.audit);
    this.vocabulary = new StoreVocabulary(deps.store, RECALL_ACTOR);
    this.log = deps.log;
  }

  /** The semantic channel; null when no embedder is configured, could not start, or has not started yet. */
  get semantic(): SemanticChannel | null {
    return this.channel;
  }

  /** The fact of a served row at `nowMs`, the same object as last time while its state is the same. */
  factOf(row: FactRow, nowMs: number): Fact {
    const known = this.facts.get(row);
    if (known !== undefined && known.state === factState(row, nowMs)) return known;
    const fact = toFact(row, nowMs);
    this.facts.set(row, fact);
    return fact;
  }

  /** Hands recall the node's semantic channel, once, at start-up (StigmemNode.startSemantic). */
  useSemantic(channel: SemanticChannel): void {
    this.channel = channel;
  }
}
