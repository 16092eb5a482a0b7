/**
 * SQL for facts and their projections. Knows tables and indexes, nothing of
 * requests, principals or wire shapes: callers pass plain values and get
 * plain rows back. Every statement is prepared once.
 *
 * @module
 */
import type { Condition } from "../core/access/condition.js";
import { renderSql } from "../core/access/condition-sql.js";
import { HISTORY_COLUMNS } from "./access-columns.js";
import type { Db } from "./database.js";
import type { FactRow } from "./fact-row.js";
import { ViewSignal } from "./view-signal.js";

export type { FactRow } from "./fact-row.js";

/** A chain head with its liveness (confidence > 0 and not overruled; expiry aside). */
export interface HeadRow extends FactRow {
  head_live: number;
}

/** Whether a head counts in its triple's current view at `nowMs`. */
export function isLiveAt(h: HeadRow, nowMs: number): boolean {
  return h.head_live === 1 && (h.valid_until_ms === null || h.valid_until_ms > nowMs);
}

/** Columns of a new row; the store assigns `rowid`. */
export type NewFact = Omit<FactRow, "rowid" | "is_head" | "overruled" | "contradicted">;

/** The selected columns plus projections, shared by every read. */
export const FACT_COLUMNS = `f.*,
  (h.head_rowid IS NOT NULL) AS is_head,
  (o.fact_rowid IS NOT NULL) AS overruled,
  (h.live = 1 AND t.contradicted IS 1) AS contradicted`;

/**
 * Joins that provide the projection columns of {@link FACT_COLUMNS}. A
 * triple has a `fact_triples` row only while it is contradicted or a live
 * head will expire (see {@link FactStore.setTriple}): no row means not contradicted.
 */
export const FACT_JOINS = `
  LEFT JOIN fact_heads h ON h.head_rowid = f.rowid
  LEFT JOIN fact_overruled o ON o.fact_rowid = f.rowid
  LEFT JOIN fact_triples t ON t.entity = f.entity AND t.relation = f.relation AND t.scope = f.scope`;

/**
 * WHERE clause finding `f` by the CID in `@cid` (well-formed, `sha256:` + 64
 * hex) through the compact index of migration 008: its digest's first 8 bytes
 * narrow to the row, the full comparison confirms it.
 */
export const CID_MATCH = "unhex(substr(f.cid, 8, 16)) = unhex(substr(@cid, 8, 16)) AND f.cid = @cid";

export class FactStore {
  private readonly stmts;
  private readonly cache = new Map<string, ReturnType<Db["prepare"]>>();

  /**
   * @param signal told the entity and scope of every projection write
   *   (chain head, liveness, triple verdict), inside the write: the caches
   *   of the view listen to it (view-signal.ts).
   */
  constructor(
    private readonly db: Db,
    private readonly signal: ViewSignal = new ViewSignal(),
  ) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO facts (id, entity, relation, value_type, value_v, interpret_as, source,
          confidence, scope, garden_id, valid_until, valid_until_ms, timestamp, hlc_w, hlc_c, origin_hlc_w,
          origin_hlc_c, origin_node_id, received_from, actor, cid, supersedes, write_mode, derived_from, quarantine)
        VALUES (@id, @entity, @relation, @value_type, @value_v, @interpret_as, @source, @confidence, @scope,
          @garden_id, @valid_until, @valid_until_ms, @timestamp, @hlc_w, @hlc_c, @origin_hlc_w, @origin_hlc_c,
          @origin_node_id, @received_from, @actor, @cid, @supersedes, @write_mode, @derived_from, @quarantine)`),
      // Every head of a triple in one lookup: the writer needs its own chain's
      // head and the other chains' live heads, and a triple has few chains.
      // `hh` is the head row itself, so the projection needs no second join of it.
      tripleHeads: db.prepare<[string, string, string], HeadRow>(
        `SELECT f.*, 1 AS is_head, (o.fact_rowid IS NOT NULL) AS overruled,
           (hh.live = 1 AND t.contradicted IS 1) AS contradicted, hh.live AS head_live
         FROM fact_heads hh JOIN facts f ON f.rowid = hh.head_rowid
         LEFT JOIN fact_overruled o ON o.fact_rowid = f.rowid
         LEFT JOIN fact_triples t ON t.entity = hh.entity AND t.relation = hh.relation AND t.scope = hh.scope
         WHERE hh.entity = ? AND hh.relation = ? AND hh.scope = ?`,
      ),
      upsertHead: db.prepare(`INSERT INTO fact_heads (entity, relation, scope, source, head_rowid, hlc_w, hlc_c, live, value_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (entity, relation, scope, source) DO UPDATE SET head_rowid = excluded.head_rowid,
          hlc_w = excluded.hlc_w, hlc_c = excluded.hlc_c, live = excluded.live, value_key = excluded.value_key`),
      setLive: db.prepare("UPDATE fact_heads SET live = ? WHERE head_rowid = ?"),
      upsertTriple: db.prepare(`INSERT INTO fact_triples (entity, relation, scope, contradicted, winner_key, next_expiry_ms)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entity, relation, scope)
        DO UPDATE SET contradicted = excluded.contradicted, winner_key = excluded.winner_key,
          next_expiry_ms = excluded.next_expiry_ms`),
      deleteTriple: db.prepare("DELETE FROM fact_triples WHERE entity = ? AND relation = ? AND scope = ?"),
      expiredTriples: db.prepare<[number, number], { entity: string; relation: string; scope: string }>(
        "SELECT entity, relation, scope FROM fact_triples WHERE next_expiry_ms <= ? ORDER BY next_expiry_ms LIMIT ?",
      ),
      insertEdge: db.prepare("INSERT INTO fact_edges (fact_rowid, src, dst, relation, scope) VALUES (?, ?, ?, ?, ?)"),
      overrule: db.prepare(
        "INSERT OR IGNORE INTO fact_overruled (fact_rowid, conflict_id, resolution_fact_id) VALUES (?, ?, ?)",
      ),
      byId: db.prepare<[string], FactRow>(`SELECT ${FACT_COLUMNS} FROM facts f ${FACT_JOINS} WHERE f.id = ?`),
      byRowid: db.prepare<[number], FactRow>(`SELECT ${FACT_COLUMNS} FROM facts f ${FACT_JOINS} WHERE f.rowid = ?`),
      maxHlc: db.prepare<[], { w: number; c: number }>(
        "SELECT hlc_w AS w, hlc_c AS c FROM facts ORDER BY hlc_w DESC, hlc_c DESC LIMIT 1",
      ),
      count: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM facts"),
    };
  }

  /** Inserts the row's columns (extra properties, such as projections, are ignored); returns its rowid. */
  insert(row: NewFact): number {
    return Number(this.stmts.insert.run(row).lastInsertRowid);
  }

  /** Every chain head of the triple (entity, relation, scope), live or not. */
  tripleHeads(entity: string, relation: string, scope: string): HeadRow[] {
    return this.stmts.tripleHeads.all(entity, relation, scope);
  }

  /** Heads of a triple that are live (confidence > 0, not overruled) and unexpired at `nowMs`. */
  liveHeads(entity: string, relation: string, scope: string, nowMs: number): HeadRow[] {
    return this.tripleHeads(entity, relation, scope).filter((h) => isLiveAt(h, nowMs));
  }

  setHead(head: {
    entity: string;
    relation: string;
    scope: string;
    source: string;
    head_rowid: number;
    hlc_w: number;
    hlc_c: number;
    live: boolean;
    value_key: string;
  }): void {
    const { entity, relation, scope, source, head_rowid, hlc_w, hlc_c, live, value_key } = head;
    this.stmts.upsertHead.run(entity, relation, scope, source, head_rowid, hlc_w, hlc_c, live ? 1 : 0, value_key);
    this.signal.changed(entity, scope);
  }

  /** Marks a head dead (overruled) without moving it. */
  markHeadDead(head: Pick<FactRow, "rowid" | "entity" | "scope">): void {
    this.stmts.setLive.run(0, head.rowid);
    this.signal.changed(head.entity, head.scope);
  }

  /**
   * Stores a triple's verdict; `nextExpiryMs` is when its first live head
   * expires (null: none does). A triple neither contradicted nor expiring
   * needs no row (readers take a missing one as uncontradicted), so it has
   * none: most writes then touch no page of `fact_triples`.
   */
  setTriple(
    entity: string,
    relation: string,
    scope: string,
    contradicted: boolean,
    winnerKey: string | null,
    nextExpiryMs: number | null,
  ): void {
    if (!contradicted && nextExpiryMs === null) this.stmts.deleteTriple.run(entity, relation, scope);
    else this.stmts.upsertTriple.run(entity, relation, scope, contradicted ? 1 : 0, winnerKey, nextExpiryMs);
    this.signal.changed(entity, scope);
  }

  /** Triples whose verdict went stale because a live head expired at or before `nowMs`. */
  expiredTriples(nowMs: number, limit: number): { entity: string; relation: string; scope: string }[] {
    return this.stmts.expiredTriples.all(nowMs, limit);
  }

  insertEdge(factRowid: number, src: string, dst: string, relation: string, scope: string): void {
    this.stmts.insertEdge.run(factRowid, src, dst, relation, scope);
  }

  overrule(factRowid: number, conflictId: string, resolutionFactId: string): void {
    this.stmts.overrule.run(factRowid, conflictId, resolutionFactId);
  }

  byId(id: string): FactRow | undefined {
    return this.stmts.byId.get(id);
  }

  byRowid(rowid: number): FactRow | undefined {
    return this.stmts.byRowid.get(rowid);
  }

  /**
   * The fact with this id, if `readable` (a read-rules condition) selects it;
   * an unreadable fact is indistinguishable from a missing one.
   */
  readableById(id: string, readable: Condition): FactRow | undefined {
    const params: Record<string, unknown> = { id };
    const where = renderSql(readable, HISTORY_COLUMNS, params);
    return this.get<FactRow>(`SELECT ${FACT_COLUMNS} FROM facts f ${FACT_JOINS} WHERE f.id = @id AND ${where}`, params);
  }

  /** The newest fact with this CID (well-formed) that `readable` selects. */
  newestReadableByCid(cid: string, readable: Condition): FactRow | undefined {
    const params: Record<string, unknown> = { cid };
    const where = renderSql(readable, HISTORY_COLUMNS, params);
    return this.get<FactRow>(
      `SELECT ${FACT_COLUMNS} FROM facts f ${FACT_JOINS} WHERE ${CID_MATCH} AND ${where}
       ORDER BY f.hlc_w DESC, f.hlc_c DESC LIMIT 1`,
      params,
    );
  }

  /** The greatest local HLC stored, to resume the clock after a restart. */
  maxHlc(): { w: number; c: number } | undefined {
    return this.stmts.maxHlc.get();
  }

  count(): number {
    return this.stmts.count.get()!.n;
  }

  /** Runs a dynamic read (built by fact-query.ts); statements are cached by their SQL text. */
  all<T>(sql: string, params: Record<string, unknown>): T[] {
    return this.prepared(sql).all(params) as T[];
  }

  get<T>(sql: string, params: Record<string, unknown>): T | undefined {
    return this.prepared(sql).get(params) as T | undefined;
  }

  private prepared(sql: string): ReturnType<Db["prepare"]> {
    let stmt = this.cache.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }
}
