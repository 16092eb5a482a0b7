/**
 * SQL of federation state (migration 011): the peer table, the nonces of
 * accepted peer tokens, the inbound replication cursors with their
 * counters, and the id aliases of deduplicated ingests. Plain values in,
 * plain rows out; the rules (who may register, what a status change means)
 * live in `node/federation/`.
 *
 * @module
 */
import type { Db } from "./database.js";

/** Where a peer stands (protocol.md §10 handshake). */
export type PeerStatus = "pending_verification" | "pending_approval" | "active" | "rejected" | "revoked";

/** How a peer is pulled: our PullFacts stream, or the reference's REST paging. */
export type PeerTransport = "connect" | "rest";

/** Every status, in lifecycle order. */
export const PEER_STATUSES: readonly PeerStatus[] = ["pending_verification", "pending_approval", "active", "rejected", "revoked"];

/** A stored peer. */
export interface PeerRecord {
  readonly peerId: string;
  readonly nodeId: string;
  readonly nodeUrl: string;
  /** Its Ed25519 public key, base64url without padding. */
  readonly pubkey: string;
  /** The scopes its declaration listed. */
  readonly declaredScopes: readonly string[];
  /** The scopes replicated with it: the declared ones, possibly narrowed at approval. */
  readonly allowedScopes: readonly string[];
  readonly signedAt: string;
  readonly declarationSig: string;
  readonly status: PeerStatus;
  /** Why it was rejected or revoked, or what verification found. */
  readonly statusReason: string | null;
  /** How we pull from it, from its discovery document: the Connect stream, or a reference node's REST pages. Null until verified. */
  readonly transport: PeerTransport | null;
  readonly trust: number;
  readonly registeredAt: string;
  readonly establishedAt: string | null;
  readonly statusChangedAt: string;
}

/** What a registration stores. */
export type NewPeer = Omit<PeerRecord, "trust" | "establishedAt" | "transport" | "statusReason">;

/** The inbound replication state of one peer. */
export interface ReplicationState {
  readonly peerId: string;
  readonly cursor: string | null;
  readonly updatedMs: number;
  readonly pages: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly lastPageMs: number | null;
  /** When the puller last reached the end of the peer's backlog. */
  readonly caughtUpMs: number | null;
  readonly lastError: string | null;
  readonly lastErrorMs: number | null;
}

/** What one committed page adds to the replication state. */
export interface PageCommit {
  readonly cursor: string | null;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly caughtUp: boolean;
}

interface PeerDbRow {
  peer_id: string;
  node_id: string;
  node_url: string;
  pubkey: string;
  declared_scopes: string;
  allowed_scopes: string;
  signed_at: string;
  declaration_sig: string;
  status: PeerStatus;
  status_reason: string | null;
  transport: PeerTransport | null;
  trust: number;
  registered_at: string;
  established_at: string | null;
  status_changed_at: string;
}

interface CursorDbRow {
  peer_id: string;
  cursor: string | null;
  updated_ms: number;
  pages: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  last_page_ms: number | null;
  caught_up_ms: number | null;
  last_error: string | null;
  last_error_ms: number | null;
}

function toPeer(r: PeerDbRow): PeerRecord {
  return {
    peerId: r.peer_id,
    nodeId: r.node_id,
    nodeUrl: r.node_url,
    pubkey: r.pubkey,
    declaredScopes: JSON.parse(r.declared_scopes) as string[],
    allowedScopes: JSON.parse(r.allowed_scopes) as string[],
    signedAt: r.signed_at,
    declarationSig: r.declaration_sig,
    status: r.status,
    statusReason: r.status_reason,
    transport: r.transport,
    trust: r.trust,
    registeredAt: r.registered_at,
    establishedAt: r.established_at,
    statusChangedAt: r.status_changed_at,
  };
}

function toState(r: CursorDbRow): ReplicationState {
  return {
    peerId: r.peer_id,
    cursor: r.cursor,
    updatedMs: r.updated_ms,
    pages: r.pages,
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    lastPageMs: r.last_page_ms,
    caughtUpMs: r.caught_up_ms,
    lastError: r.last_error,
    lastErrorMs: r.last_error_ms,
  };
}

/** How many expired nonces one consume deletes, so pruning never costs a request more than a few rows. */
const NONCE_PRUNE_BATCH = 64;

export class PeerStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byId: db.prepare<[string], PeerDbRow>("SELECT * FROM peers WHERE peer_id = ?"),
      byNodeId: db.prepare<[string], PeerDbRow>("SELECT * FROM peers WHERE node_id = ?"),
      list: db.prepare<[], PeerDbRow>("SELECT * FROM peers ORDER BY registered_at, peer_id"),
      // A rejected or revoked peer registering again keeps its peer_id and its cursor (§10 step 2).
      upsert: db.prepare(`INSERT INTO peers (peer_id, node_id, node_url, pubkey, declared_scopes, allowed_scopes, signed_at,
          declaration_sig, status, registered_at, status_changed_at)
        VALUES (@peerId, @nodeId, @nodeUrl, @pubkey, @declaredScopes, @allowedScopes, @signedAt, @declarationSig, @status,
          @registeredAt, @statusChangedAt)
        ON CONFLICT (node_id) DO UPDATE SET node_url = excluded.node_url, pubkey = excluded.pubkey,
          declared_scopes = excluded.declared_scopes, allowed_scopes = excluded.allowed_scopes,
          signed_at = excluded.signed_at, declaration_sig = excluded.declaration_sig, status = excluded.status,
          status_reason = NULL, transport = NULL, registered_at = excluded.registered_at,
          established_at = NULL, status_changed_at = excluded.status_changed_at`),
      setVerified: db.prepare(
        `UPDATE peers SET status = ?, status_reason = ?, transport = ?, status_changed_at = ? WHERE peer_id = ?`,
      ),
      setStatus: db.prepare(`UPDATE peers SET status = ?, status_reason = ?, status_changed_at = ? WHERE peer_id = ?`),
      activate: db.prepare(
        `UPDATE peers SET status = 'active', status_reason = NULL, allowed_scopes = ?, established_at = ?, status_changed_at = ?
         WHERE peer_id = ?`,
      ),
      pruneNonces: db.prepare(
        `DELETE FROM peer_nonces WHERE nonce IN (SELECT nonce FROM peer_nonces WHERE retain_until_ms < ? LIMIT ${NONCE_PRUNE_BATCH})`,
      ),
      insertNonce: db.prepare("INSERT OR IGNORE INTO peer_nonces (nonce, peer_node_id, retain_until_ms) VALUES (?, ?, ?)"),
      cursor: db.prepare<[string], CursorDbRow>("SELECT * FROM replication_cursors WHERE peer_id = ? AND direction = 'inbound'"),
      cursors: db.prepare<[], CursorDbRow>("SELECT * FROM replication_cursors WHERE direction = 'inbound'"),
      commitPage: db.prepare(`INSERT INTO replication_cursors (peer_id, direction, cursor, updated_ms, pages, accepted, duplicates,
          rejected, last_page_ms, caught_up_ms, last_error, last_error_ms)
        VALUES (@peerId, 'inbound', @cursor, @now, 1, @accepted, @duplicates, @rejected, @now, @caughtUpMs, NULL, NULL)
        ON CONFLICT (peer_id, direction) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms,
          pages = pages + 1, accepted = accepted + excluded.accepted, duplicates = duplicates + excluded.duplicates,
          rejected = rejected + excluded.rejected, last_page_ms = excluded.last_page_ms,
          caught_up_ms = coalesce(excluded.caught_up_ms, caught_up_ms), last_error = NULL, last_error_ms = NULL`),
      resetCursor: db.prepare(`INSERT INTO replication_cursors (peer_id, direction, cursor, updated_ms) VALUES (?, 'inbound', NULL, ?)
        ON CONFLICT (peer_id, direction) DO UPDATE SET cursor = NULL, updated_ms = excluded.updated_ms, caught_up_ms = NULL`),
      recordError: db.prepare(`INSERT INTO replication_cursors (peer_id, direction, cursor, updated_ms, last_error, last_error_ms)
        VALUES (?, 'inbound', NULL, ?, ?, ?)
        ON CONFLICT (peer_id, direction) DO UPDATE SET last_error = excluded.last_error, last_error_ms = excluded.last_error_ms`),
      caughtUp: db.prepare("UPDATE replication_cursors SET caught_up_ms = ? WHERE peer_id = ? AND direction = 'inbound'"),
      aliasInsert: db.prepare("INSERT OR IGNORE INTO fact_aliases (id, fact_rowid, peer_id) VALUES (?, ?, ?)"),
      aliasGet: db.prepare<[string], { fact_rowid: number }>("SELECT fact_rowid FROM fact_aliases WHERE id = ?"),
    };
  }

  byId(peerId: string): PeerRecord | undefined {
    const r = this.s.byId.get(peerId);
    return r === undefined ? undefined : toPeer(r);
  }

  byNodeId(nodeId: string): PeerRecord | undefined {
    const r = this.s.byNodeId.get(nodeId);
    return r === undefined ? undefined : toPeer(r);
  }

  list(): PeerRecord[] {
    return this.s.list.all().map(toPeer);
  }

  /**
   * Records a registration; a peer already known by `nodeId` is replaced in
   * place (its `peer_id` kept). Returns the stored record.
   */
  register(p: NewPeer): PeerRecord {
    this.s.upsert.run({
      ...p,
      declaredScopes: JSON.stringify(p.declaredScopes),
      allowedScopes: JSON.stringify(p.allowedScopes),
    });
    return this.byNodeId(p.nodeId)!;
  }

  /** The outcome of the discovery check: `pending_approval` or `rejected`, and how the document says to pull. */
  setVerified(peerId: string, status: PeerStatus, reason: string | null, transport: PeerTransport | null, at: string): void {
    this.s.setVerified.run(status, reason, transport, at, peerId);
  }

  setStatus(peerId: string, status: PeerStatus, reason: string | null, at: string): void {
    this.s.setStatus.run(status, reason, at, peerId);
  }

  /** Approval: active, with the scopes replicated from now on. */
  activate(peerId: string, allowedScopes: readonly string[], at: string): void {
    this.s.activate.run(JSON.stringify(allowedScopes), at, at, peerId);
  }

  /**
   * Records a token nonce until `retainUntilMs`; false when it was recorded
   * before (a replay). Atomic: of two uses of one nonce, exactly one wins.
   * Drops a few nonces whose retention ended on the way.
   */
  consumeNonce(nonce: string, peerNodeId: string, retainUntilMs: number, nowMs: number): boolean {
    this.s.pruneNonces.run(nowMs);
    return this.s.insertNonce.run(nonce, peerNodeId, retainUntilMs).changes === 1;
  }

  /** The inbound replication state of `peerId`, if it ever started. */
  replication(peerId: string): ReplicationState | undefined {
    const r = this.s.cursor.get(peerId);
    return r === undefined ? undefined : toState(r);
  }

  replications(): ReplicationState[] {
    return this.s.cursors.all().map(toState);
  }

  /** Moves the inbound cursor with the page just ingested; call in the page's transaction. */
  commitPage(peerId: string, page: PageCommit, nowMs: number): void {
    this.s.commitPage.run({
      peerId,
      cursor: page.cursor,
      now: nowMs,
      accepted: page.accepted,
      duplicates: page.duplicates,
      rejected: page.rejected,
      caughtUpMs: page.caughtUp ? nowMs : null,
    });
  }

  /** Back to the start of the peer's feed (it answered `must_refetch`). */
  resetCursor(peerId: string, nowMs: number): void {
    this.s.resetCursor.run(peerId, nowMs);
  }

  /** Notes that the puller is still caught up (a live stream's heartbeat): the lag `peers status` shows stays small. */
  markCaughtUp(peerId: string, nowMs: number): void {
    this.s.caughtUp.run(nowMs, peerId);
  }

  /** Notes a failed attempt; the next committed page clears it. */
  recordError(peerId: string, error: string, nowMs: number): void {
    this.s.recordError.run(peerId, nowMs, error, nowMs);
  }

  /** Records that a peer's fact `id` deduplicated against the stored fact `factRowid`. */
  addAlias(id: string, factRowid: number, peerId: string): void {
    this.s.aliasInsert.run(id, factRowid, peerId);
  }

  /** Whether `id` was recorded as an alias. */
  hasAlias(id: string): boolean {
    return this.s.aliasGet.get(id) !== undefined;
  }
}
