/**
 * The memory-card cache table (migration 006). Plain rows in and out; when
 * a card is stale is the card service's business, not the store's.
 *
 * @module
 */
import type { Db } from "./database.js";

/** One cached card. */
export interface CardRow {
  entity: string;
  scope: string;
  format_version: number;
  summary: string;
  /** JSON array of CIDs. */
  fact_hashes: string;
  avg_confidence: number;
  has_contradictions: number;
  fact_count: number;
  expires_ms: number | null;
  /** Local HLC of the newest fact on the card (0/0 when empty). */
  newest_hlc_w: number;
  newest_hlc_c: number;
  refreshed_at: string;
}

export class CardStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string, string], CardRow>("SELECT * FROM memory_cards WHERE entity = ? AND scope = ?"),
      put: db.prepare(`INSERT INTO memory_cards (entity, scope, format_version, summary, fact_hashes, avg_confidence,
          has_contradictions, fact_count, expires_ms, newest_hlc_w, newest_hlc_c, refreshed_at)
        VALUES (@entity, @scope, @format_version, @summary, @fact_hashes, @avg_confidence, @has_contradictions,
          @fact_count, @expires_ms, @newest_hlc_w, @newest_hlc_c, @refreshed_at)
        ON CONFLICT (entity, scope) DO UPDATE SET format_version = excluded.format_version,
          summary = excluded.summary, fact_hashes = excluded.fact_hashes, avg_confidence = excluded.avg_confidence,
          has_contradictions = excluded.has_contradictions, fact_count = excluded.fact_count,
          expires_ms = excluded.expires_ms, newest_hlc_w = excluded.newest_hlc_w,
          newest_hlc_c = excluded.newest_hlc_c, refreshed_at = excluded.refreshed_at`),
    };
  }

  get(entity: string, scope: string): CardRow | undefined {
    return this.stmts.get.get(entity, scope);
  }

  put(row: CardRow): void {
    this.stmts.put.run(row);
  }
}
