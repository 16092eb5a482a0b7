/**
 * The federation slice of the audit log (protocol.md §11: `/v1/federation/audit`
 * lists the entries that carry a `peer_id`), newest first, keyset-paged by
 * sequence. Needs `federate`. A peer may be named by its `peer_id` or its
 * `node_id`.
 *
 * @module
 */
import { decodeCursor, encodeCursor, filterHash } from "../../core/cursor.js";
import { isCoreError } from "../../core/errors.js";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../../core/limits.js";
import type { AuditEntry } from "../../store/audit-log.js";

/** An audit entry concerning a peer, as the application hands it out (the audit log's record shape). */
export type FederationAuditEntry = AuditEntry;
import { AppError } from "../app-error.js";
import type { NodeContext } from "../node-context.js";
import { requirePermission, type Principal } from "../principal.js";
import { federationOf } from "./federation-of.js";

/** A listing request. */
export interface FederationAuditQuery {
  readonly peerId?: string | undefined;
  readonly eventType?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** One page. */
export interface FederationAuditPage {
  readonly entries: AuditEntry[];
  readonly cursor: string | null;
  readonly hasMore: boolean;
}

/** @throws AppError federation_disabled, permission_denied, invalid_cursor, validation_error (limit). */
export function listFederationAudit(ctx: NodeContext, principal: Principal, q: FederationAuditQuery): FederationAuditPage {
  federationOf(ctx);
  requirePermission(principal, "federate");
  const limit = q.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError("validation_error", `limit: must be 1..${MAX_LIMIT}`, {
      violations: [{ loc: ["query", "limit"], msg: `Input should be between 1 and ${MAX_LIMIT}`, type: "less_than_equal" }],
    });
  }
  const peerId = q.peerId === undefined || q.peerId === "" ? undefined : (ctx.stores.peers.byNodeId(q.peerId)?.peerId ?? q.peerId);
  const eventType = q.eventType === "" ? undefined : q.eventType;
  const fh = filterHash({ peer_id: peerId ?? null, event_type: eventType ?? null });
  let beforeSeq: number | undefined;
  if (q.cursor !== undefined && q.cursor !== "") {
    try {
      beforeSeq = decodeCursor(q.cursor, fh).wall;
    } catch (e) {
      if (isCoreError(e)) throw new AppError("invalid_cursor", e.message);
      throw e;
    }
  }
  const rows = ctx.stores.audit.listPeerEntries({ peerId, eventType, beforeSeq, limit: limit + 1 });
  const hasMore = rows.length > limit;
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return {
    entries,
    hasMore,
    cursor: hasMore && last !== undefined ? encodeCursor({ order: "desc", wall: last.seq, counter: 0, id: "" }, fh) : null,
  };
}
