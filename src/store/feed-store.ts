/**
 * The federation feed (protocol.md §10 "The feed"): every fact this node
 * commits, local or ingested, in commit order. A fact's position is its
 * `facts.rowid`, assigned by the INSERT inside its write transaction:
 *
 * - one connection writes (the group commit), and SQLite serializes the
 *   writers of other processes, so a transaction's rowids are all greater
 *   than those of every transaction committed before it;
 * - facts are never deleted (triggers), so a new rowid is always
 *   `max(rowid) + 1` and a position is never reused while the log lives;
 * - rows of a rolled-back transaction or savepoint never become visible,
 *   and their rowids are taken again by the next insert: no gaps a reader
 *   could pass.
 *
 * So a reader that served everything up to position P can never later find
 * a row below P it did not see: commit order is feed order, at no cost to
 * the write path. The log's epoch (node_meta `feed_epoch`) names this
 * continuity; node/federation/feed-epoch.ts changes it when the database
 * was replaced by an older copy.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import type { Condition } from "../core/access/condition.js";
import { renderSql } from "../core/access/condition-sql.js";
import { HISTORY_COLUMNS } from "./access-columns.js";
import type { Db } from "./database.js";
import { FACT_COLUMNS, FACT_JOINS, type FactRow } from "./fact-store.js";
import type { NodeMetaStore } from "./node-meta-store.js";

const EPOCH_KEY = "feed_epoch";

/** One read of the feed. */
export interface FeedRead {
  /** Serve rows with a position greater than this. */
  readonly after: number;
  /** ...and at most this (the head when the read began, so a page never runs past a snapshot). */
  readonly upto: number;
  /** Which rows the reader is sent (node/access/read-rules.ts `feedCondition`). */
  readonly where: Condition;
  readonly limit: number;
  /**
   * Also read the projections (chain head, overruled, contradicted) a full
   * FactRecord shows; false leaves them 0, for readers that send only what
   * ingest needs (the Connect stream), which saves three joins per row.
   */
  readonly projections?: boolean;
}

/** A page of the feed. */
export interface FeedPage {
  readonly rows: FactRow[];
  /**
   * The position the page covers up to: the last row's when the page is
   * full, else `upto` (rows the reader may not see are passed over, so a
   * peer served little does not re-scan what it was not sent).
   */
  readonly position: number;
  /** Rows may remain between `position` and `upto`. */
  readonly more: boolean;
}

export class FeedStore {
  private readonly head;
  private readonly statements = new Map<string, ReturnType<Db["prepare"]>>();

  constructor(
    private readonly db: Db,
    private readonly meta: NodeMetaStore,
  ) {
    this.head = db.prepare<[], number>("SELECT coalesce(max(rowid), 0) AS head FROM facts").pluck();
  }

  /** The position of the last committed fact (0 for an empty log). */
  headPosition(): number {
    return this.head.get()!;
  }

  /** The log's epoch, created on first use. */
  epoch(): string {
    return this.meta.getOrCreate(EPOCH_KEY, () => randomUUID());
  }

  /** Starts a new epoch: every cursor of the old one gets `must_refetch`. Returns it. */
  rotateEpoch(): string {
    const epoch = randomUUID();
    this.meta.set(EPOCH_KEY, epoch);
    return epoch;
  }

  /** Reads one page of the feed, in position order. */
  read(r: FeedRead): FeedPage {
    if (r.upto <= r.after) return { rows: [], position: r.after, more: false };
    const params: Record<string, unknown> = { after: r.after, upto: r.upto, limit: r.limit };
    const where = renderSql(r.where, HISTORY_COLUMNS, params);
    const from = r.projections === false ? "f.*, 0 AS is_head, 0 AS overruled, 0 AS contradicted FROM facts f" : `${FACT_COLUMNS} FROM facts f ${FACT_JOINS}`;
    const sql = `SELECT ${from}
      WHERE f.rowid > @after AND f.rowid <= @upto AND ${where} ORDER BY f.rowid LIMIT @limit`;
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    const rows = stmt.all(params) as FactRow[];
    const full = rows.length >= r.limit;
    const position = full ? rows[rows.length - 1]!.rowid : r.upto;
    return { rows, position, more: full && position < r.upto };
  }
}
