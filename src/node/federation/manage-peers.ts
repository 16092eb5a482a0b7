/**
 * The operator's side of the handshake (protocol.md §10 step 5 and after):
 * approve a verified peer once its key fingerprint was confirmed out of
 * band (optionally narrowing its scopes), reject one still waiting, revoke
 * any (tokens refused at once, replication stops; facts already ingested
 * stay), and list them. Every change, and a failed approval, is audited; a
 * failed approval's entry commits before the error is returned.
 *
 * Key rotation is revoke + register again: the peer keeps its `peer_id`
 * and cursor, and must be approved with its new fingerprint.
 *
 * @module
 */
import { pubkeyFingerprint } from "../../core/federation/ed25519.js";
import { formatTimestamp } from "../../core/timestamp.js";
import type { AuditLog } from "../../store/audit-log.js";
import type { PeerRecord, PeerStore } from "../../store/peer-store.js";
import type { WriteQueue } from "../../store/write-queue.js";
import { AppError } from "../app-error.js";
import { requirePermission, type Principal } from "../principal.js";
import { federationOf } from "./federation-of.js";

/**
 * What managing peers needs: the peer table, the audit log, the write
 * queue, and someone to tell that the active peers changed (the running
 * node's pull workers; nobody, for the offline CLI).
 */
export interface PeerAdminContext {
  readonly stores: { readonly peers: PeerStore; readonly audit: AuditLog };
  readonly writes: WriteQueue;
  readonly federation: { peersChanged(): void } | null;
}

/** A peer as the operator sees it. */
export interface PeerInfo extends PeerRecord {
  /** `sha256:` + hex of the key text: what the operator compares before approving. */
  readonly fingerprint: string;
}

/** An approval. */
export interface ApproveInput {
  readonly fingerprint: string;
  /** Narrow the declared scopes to these; null or empty keeps them all. */
  readonly allowedScopes?: readonly string[] | null;
}

function info(p: PeerRecord): PeerInfo {
  return { ...p, fingerprint: pubkeyFingerprint(p.pubkey) };
}

function found(ctx: PeerAdminContext, peerId: string): PeerRecord {
  const p = ctx.stores.peers.byId(peerId);
  if (p === undefined) throw new AppError("not_found", `no peer ${peerId}`, { details: { peer_id: peerId } });
  return p;
}

/** Every peer, in any status. Needs `federate`. */
export function listPeers(ctx: PeerAdminContext, principal: Principal): PeerInfo[] {
  federationOf(ctx);
  requirePermission(principal, "federate");
  return ctx.stores.peers.list().map(info);
}

/**
 * Activates a peer waiting for approval. Needs `admin:federation`.
 * @throws AppError not_found, peer_not_pending, fingerprint_mismatch
 *   (audited `peer_approval_failed`), validation_error (scopes that widen).
 */
export async function approvePeer(ctx: PeerAdminContext, principal: Principal, peerId: string, input: ApproveInput): Promise<PeerInfo> {
  const fed = federationOf(ctx);
  requirePermission(principal, "admin:federation");
  const { peers, audit } = ctx.stores;
  const outcome = await ctx.writes.submit(() => {
    const p = found(ctx, peerId);
    if (p.status !== "pending_approval") {
      throw new AppError("peer_not_pending", `peer ${peerId} is ${p.status}, not pending approval`, { details: { status: p.status } });
    }
    const expected = pubkeyFingerprint(p.pubkey);
    if (input.fingerprint !== expected) {
      audit.append({
        eventType: "peer_approval_failed",
        actor: principal.entityUri,
        outcome: "denied",
        peerId,
        detail: { node_id: p.nodeId, reason: "fingerprint_mismatch", given: input.fingerprint.slice(0, 100) },
      });
      // Returned, not thrown: the audit entry must commit with this job.
      return "mismatch" as const;
    }
    const narrowed = input.allowedScopes ?? [];
    const widening = narrowed.filter((s) => !p.declaredScopes.includes(s));
    if (widening.length > 0) {
      throw new AppError("validation_error", `allowed_scopes may only narrow the declared scopes (${p.declaredScopes.join(", ")})`, {
        violations: [{ loc: ["body", "allowed_scopes"], msg: `not declared by the peer: ${widening.join(", ")}`, type: "scope_not_declared" }],
      });
    }
    const scopes = narrowed.length === 0 ? p.declaredScopes : p.declaredScopes.filter((s) => narrowed.includes(s));
    peers.activate(peerId, scopes, formatTimestamp(Date.now()));
    audit.append({
      eventType: "peer_approved",
      actor: principal.entityUri,
      outcome: "success",
      peerId,
      detail: { node_id: p.nodeId, fingerprint: expected, allowed_scopes: scopes },
    });
    return "approved" as const;
  });
  if (outcome === "mismatch") {
    throw new AppError("fingerprint_mismatch", "the fingerprint is not the one of the peer's key", { details: { peer_id: peerId } });
  }
  fed.peersChanged();
  return info(found(ctx, peerId));
}

/**
 * Rejects a peer that has not been approved. Needs `admin:federation`.
 * @throws AppError not_found, peer_not_pending.
 */
export async function rejectPeer(ctx: PeerAdminContext, principal: Principal, peerId: string, reason = ""): Promise<PeerInfo> {
  federationOf(ctx);
  requirePermission(principal, "admin:federation");
  await ctx.writes.submit(() => {
    const p = found(ctx, peerId);
    if (p.status !== "pending_approval" && p.status !== "pending_verification") {
      throw new AppError("peer_not_pending", `peer ${peerId} is ${p.status}; revoke an approved peer instead`, { details: { status: p.status } });
    }
    ctx.stores.peers.setStatus(peerId, "rejected", reason === "" ? "rejected by the operator" : reason, formatTimestamp(Date.now()));
    ctx.stores.audit.append({
      eventType: "peer_rejected",
      actor: principal.entityUri,
      outcome: "success",
      peerId,
      detail: { node_id: p.nodeId, reason },
    });
  });
  return info(found(ctx, peerId));
}

/**
 * Revokes a peer in any status (again: a no-op). Needs `admin:federation`.
 * @throws AppError not_found.
 */
export async function revokePeer(ctx: PeerAdminContext, principal: Principal, peerId: string, reason = ""): Promise<PeerInfo & { revokedAt: string }> {
  const fed = federationOf(ctx);
  requirePermission(principal, "admin:federation");
  await ctx.writes.submit(() => {
    const p = found(ctx, peerId);
    if (p.status === "revoked") return;
    ctx.stores.peers.setStatus(peerId, "revoked", reason === "" ? "revoked by the operator" : reason, formatTimestamp(Date.now()));
    ctx.stores.audit.append({
      eventType: "peer_revoked",
      actor: principal.entityUri,
      outcome: "success",
      peerId,
      detail: { node_id: p.nodeId, previous_status: p.status, reason },
    });
  });
  fed.peersChanged();
  const p = info(found(ctx, peerId));
  return { ...p, revokedAt: p.statusChangedAt };
}
