/**
 * Memory cards of a node (protocol.md §9): built from the current view,
 * cached per (entity, scope) in `memory_cards`, rebuilt on read when stale.
 *
 * A cached card is served only while it is known fresh: it was built by
 * this process, the view signal (store/view-signal.ts) has reported no
 * change to its entity and scope since — every writer's projection writes
 * report there, and another connection's commit clears everything — its
 * earliest `valid_until` has not passed, and its format version is current.
 * Freshness is kept in memory, so a write costs no extra database work and
 * a restarted node rebuilds a card on its first read instead of trusting
 * what it cannot vouch for.
 *
 * A card summarizes content facts only: an instruction stays a separate,
 * clearly marked item and never reaches an agent inside card text.
 *
 * The cached card holds what every reader of its scope may see: no garden
 * facts (protocol.md §9). A reader whose policy also reaches gardens gets
 * that card unless the entity has garden facts it may read; then a card
 * built for it alone, never stored.
 *
 * @module
 */
import { and, isNull, not } from "../../core/access/condition.js";
import { buildCard, CARD_FORMAT_VERSION, CARD_MAX_FACTS, type CardFact } from "../../core/recall/card-summary.js";
import type { Scope } from "../../core/scope.js";
import { formatTimestamp } from "../../core/timestamp.js";
import type { AuditLog } from "../../store/audit-log.js";
import type { CardRow, CardStore } from "../../store/card-store.js";
import type { FactRow } from "../../store/fact-store.js";
import type { RecallStore } from "../../store/recall-store.js";
import type { ViewSignal } from "../../store/view-signal.js";
import { sourceTrust } from "../facts/fact.js";
import { verifyMany } from "../facts/read-integrity.js";
import { readsGardens, sharedPolicy, type ReadPolicy } from "../access/read-policy.js";
import { readCondition } from "../access/read-rules.js";

/** A card as served. */
export interface Card {
  entity: string;
  scope: string;
  summary: string;
  /** CIDs of the summarized facts, in line order. */
  factHashes: string[];
  avgConfidence: number;
  hasContradictions: boolean;
  /** When it was built, in the fact timestamp format. */
  refreshedAt: string;
  factCount: number;
  /** Local HLC of the newest summarized fact. */
  newestHlc: { wall: number; counter: number };
  /** A summarized fact failed CID verification and was left out. */
  degraded: boolean;
}

/** Cards remembered as fresh at most; beyond, the memory is dropped and cards rebuild on their next read. */
const MAX_FRESH = 100_000;

export class CardCache {
  private readonly fresh = new Set<string>();

  constructor(
    private readonly rows: CardStore,
    private readonly recall: RecallStore,
    private readonly nodeId: string,
    private readonly audit: AuditLog,
    signal: ViewSignal,
  ) {
    signal.onChange((change) => (change === null ? this.fresh.clear() : this.fresh.delete(key(change.entity, change.scope))));
  }

  /**
   * The card of `entity` in `scope` as `policy` may see it, rebuilt first
   * when stale or when `refresh` is set. The caller has authorized the scope.
   */
  get(entity: string, scope: Scope, policy: ReadPolicy, opts: { refresh?: boolean } = {}): Card {
    const now = Date.now();
    if (readsGardens(policy) && this.hasReadableGardenFacts(entity, scope, policy, now)) {
      return this.build(entity, scope, now, policy, false);
    }
    const k = key(entity, scope);
    if (opts.refresh !== true && this.fresh.has(k)) {
      const row = this.rows.get(entity, scope);
      if (row !== undefined && row.format_version === CARD_FORMAT_VERSION && (row.expires_ms === null || row.expires_ms > now)) {
        return fromRow(row);
      }
    }
    return this.build(entity, scope, now, sharedPolicy(policy.actor, [scope]), true);
  }

  /** Whether `policy` reads any current content fact of `entity` in `scope` that lives in a garden. */
  private hasReadableGardenFacts(entity: string, scope: Scope, policy: ReadPolicy, now: number): boolean {
    const readable = and(
      readCondition(policy, { kind: "current", nowMs: now, includeContradicted: true, contentOnly: true }),
      not(isNull("garden_id")),
    );
    return this.recall.entityRows({ scope, readable, entity }, this.nodeId, 1).length > 0;
  }

  /** Builds the card `policy` sees; a `shared` one (no gardens) is stored and remembered fresh. */
  private build(entity: string, scope: string, now: number, policy: ReadPolicy, shared: boolean): Card {
    // Every value of a contradicted triple is on the card, flagged (§9).
    const readable = readCondition(policy, { kind: "current", nowMs: now, includeContradicted: true, contentOnly: true });
    // Ranked in SQL as the card ranks them; a few spare rows cover any that fail verification.
    const candidates = this.recall.entityRows({ scope, readable, entity }, this.nodeId, CARD_MAX_FACTS * 2);
    const verified = verifyMany(this.audit, candidates, policy.actor);
    const facts = verified.rows.map((r) => cardFact(r, this.nodeId));
    const content = buildCard(entity, scope, facts);
    const shown = new Set(content.factHashes);
    let newest = { wall: 0, counter: 0 };
    for (const f of facts) {
      if (!shown.has(f.cid)) continue;
      if (f.row.hlc_w > newest.wall || (f.row.hlc_w === newest.wall && f.row.hlc_c > newest.counter)) {
        newest = { wall: f.row.hlc_w, counter: f.row.hlc_c };
      }
    }
    const row: CardRow = {
      entity,
      scope,
      format_version: CARD_FORMAT_VERSION,
      summary: content.summary,
      fact_hashes: JSON.stringify(content.factHashes),
      avg_confidence: content.avgConfidence,
      has_contradictions: content.hasContradictions ? 1 : 0,
      fact_count: content.factCount,
      expires_ms: content.expiresMs,
      newest_hlc_w: newest.wall,
      newest_hlc_c: newest.counter,
      refreshed_at: formatTimestamp(now),
    };
    if (!shared) return { ...fromRow(row), degraded: verified.degraded };
    this.rows.put(row);
    // A card built from a degraded read is served but not trusted for the next one.
    if (!verified.degraded) {
      if (this.fresh.size >= MAX_FRESH) this.fresh.clear();
      this.fresh.add(key(entity, scope));
    }
    return { ...fromRow(row), degraded: verified.degraded };
  }
}

function key(entity: string, scope: string): string {
  return `${scope}\u0000${entity}`;
}

function cardFact(row: FactRow, ownNodeId: string): CardFact & { row: FactRow } {
  return {
    row,
    relation: row.relation,
    valueText: row.value_v,
    confidence: row.confidence,
    source: row.source,
    sourceTrust: sourceTrust(row),
    contradicted: row.contradicted === 1,
    cid: row.cid,
    origin_hlc: { wall: row.origin_hlc_w, counter: row.origin_hlc_c },
    origin_node_id: row.origin_node_id ?? ownNodeId,
    validUntilMs: row.valid_until_ms,
  };
}

function fromRow(row: CardRow): Card {
  return {
    entity: row.entity,
    scope: row.scope,
    summary: row.summary,
    factHashes: JSON.parse(row.fact_hashes) as string[],
    avgConfidence: row.avg_confidence,
    hasContradictions: row.has_contradictions === 1,
    refreshedAt: row.refreshed_at,
    factCount: row.fact_count,
    newestHlc: { wall: row.newest_hlc_w, counter: row.newest_hlc_c },
    degraded: false,
  };
}
