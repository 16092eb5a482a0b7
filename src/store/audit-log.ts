/**
 * Appends to and verifies the hash-chained audit log (protocol.md §11).
 *
 * `entry_hash = H(entry without entry_hash)`, where H is the canonical-JSON
 * SHA-256 of core/content-hash, `prev_hash` is the previous entry's hash
 * (null for the first). Appends run inside the caller's transaction, so a
 * security-relevant write and its audit entry commit together or not at all.
 *
 * @module
 */
import { contentHash } from "../core/content-hash.js";
import { pyFloat } from "../core/py-float-value.js";
import { formatTimestamp } from "../core/timestamp.js";
import { newUuidV7 } from "../core/uuid-v7.js";
import type { Db } from "./database.js";

export type AuditOutcome = "success" | "denied" | "rejected" | "error";

/** What a caller records; the log adds seq, id, ts, tenant and the hashes. */
export interface AuditEvent {
  readonly eventType: string;
  readonly actor: string | null;
  readonly outcome: AuditOutcome;
  readonly scope?: string | null;
  readonly factId?: string | null;
  readonly peerId?: string | null;
  /** Free-form JSON details; never secrets. */
  readonly detail?: Record<string, unknown>;
}

/** One stored entry, field names as on the wire. */
export interface AuditEntry {
  seq: number;
  id: string;
  ts: string;
  event_type: string;
  actor: string | null;
  tenant_id: string;
  scope: string | null;
  fact_id: string | null;
  peer_id: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
  prev_hash: string | null;
  entry_hash: string;
}

export interface AuditVerification {
  valid: boolean;
  checked_entries: number;
  head_hash: string | null;
  first_bad_seq: number | null;
}

interface Row extends Omit<AuditEntry, "detail"> {
  detail: string;
}

const TENANT = "default";

export class AuditLog {
  private readonly headStmt;
  private readonly insertStmt;
  private readonly allStmt;
  private readonly peerStmts = new Map<string, ReturnType<Db["prepare"]>>();

  constructor(private readonly db: Db) {
    this.headStmt = db.prepare<[], { seq: number; entry_hash: string }>(
      "SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    );
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (seq, id, ts, event_type, actor, tenant_id, scope, fact_id, peer_id, outcome, detail, prev_hash, entry_hash)
       VALUES (@seq, @id, @ts, @event_type, @actor, @tenant_id, @scope, @fact_id, @peer_id, @outcome, @detail, @prev_hash, @entry_hash)`,
    );
    this.allStmt = db.prepare<[], Row>("SELECT * FROM audit_log ORDER BY seq");
  }

  /** Appends one entry, chained to the current head. Call inside the write's transaction. */
  append(event: AuditEvent, now: number = Date.now()): AuditEntry {
    const head = this.headStmt.get();
    const body: Omit<AuditEntry, "entry_hash"> = {
      seq: (head?.seq ?? 0) + 1,
      // Time-ordered (the format is ours, §11): the id index grows at its end, not at a random page.
      id: newUuidV7(now),
      ts: formatTimestamp(now),
      event_type: event.eventType,
      actor: event.actor,
      tenant_id: TENANT,
      scope: event.scope ?? null,
      fact_id: event.factId ?? null,
      peer_id: event.peerId ?? null,
      outcome: event.outcome,
      detail: event.detail ?? {},
      prev_hash: head?.entry_hash ?? null,
    };
    const entry: AuditEntry = { ...body, entry_hash: hashEntry(body) };
    this.insertStmt.run({ ...entry, detail: JSON.stringify(entry.detail) });
    return entry;
  }

  /** Appends in a transaction of its own (for rejections recorded before an error is returned). */
  appendNow(event: AuditEvent): AuditEntry {
    return this.db.transaction(() => this.append(event))();
  }

  /**
   * Entries about a federation peer (those with a `peer_id`), newest first,
   * optionally of one peer and one event type, before sequence `beforeSeq`.
   */
  listPeerEntries(q: { peerId?: string; eventType?: string; beforeSeq?: number; limit: number }): AuditEntry[] {
    const where = ["peer_id IS NOT NULL"];
    const params: Record<string, unknown> = { limit: q.limit };
    for (const [key, column, op] of [
      ["peerId", "peer_id", "="],
      ["eventType", "event_type", "="],
      ["beforeSeq", "seq", "<"],
    ] as const) {
      if (q[key] === undefined) continue;
      where.push(`${column} ${op} @${key}`);
      params[key] = q[key];
    }
    const sql = `SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY seq DESC LIMIT @limit`;
    let stmt = this.peerStmts.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.peerStmts.set(sql, stmt);
    }
    return (stmt.all(params) as Row[]).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  /** Re-hashes the whole chain; reports the first entry that does not verify. */
  verify(): AuditVerification {
    let prev: string | null = null;
    let checked = 0;
    for (const row of this.allStmt.iterate()) {
      const { entry_hash, ...rest } = row;
      const body = { ...rest, detail: JSON.parse(row.detail) as Record<string, unknown> };
      if (row.prev_hash !== prev || hashEntry(body) !== entry_hash) {
        return { valid: false, checked_entries: checked, head_hash: prev, first_bad_seq: row.seq };
      }
      prev = entry_hash;
      checked++;
    }
    return { valid: true, checked_entries: checked, head_hash: prev, first_bad_seq: null };
  }
}

/** H(entry − entry_hash). Non-integral numbers hash as Python floats, integers as digits. */
function hashEntry(body: Omit<AuditEntry, "entry_hash">): string {
  return contentHash(toHashable(body));
}

function toHashable(v: unknown): unknown {
  if (typeof v === "number") return Number.isInteger(v) ? v : pyFloat(v);
  if (Array.isArray(v)) return v.map(toHashable);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toHashable(x)]));
  }
  return v;
}
