/**
 * Authenticates a peer's request or stream (protocol.md §10 "Peer JWT"):
 * the Bearer value is verified by core/federation/peer-token.ts in the §10
 * order against the peer table (the key pinned at registration, the status
 * at this moment: a revoked peer is refused at once) and the persisted
 * nonce table, whose insert commits before the request goes on, so a
 * replay is refused even across a restart. Every refusal is audited
 * `rejected_token` (a replay also `replay_attempt`) before the 401 leaves.
 *
 * @module
 */
import { verifyPeerToken, type PeerTokenClaims } from "../../core/federation/peer-token.js";
import type { PeerRecord } from "../../store/peer-store.js";
import { AppError } from "../app-error.js";
import type { NodeContext } from "../node-context.js";
import { federationOf } from "./federation-of.js";

/** An authenticated peer call. */
export interface PeerCaller {
  readonly peer: PeerRecord;
  readonly claims: PeerTokenClaims;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Verifies the `Authorization` header of a peer call to `operation`.
 * @throws AppError federation_disabled; auth_required (no Bearer token);
 *   a §10 token code (401), audited.
 */
export async function authenticatePeer(
  ctx: NodeContext,
  authorization: string | undefined,
  operation: string,
  nowMs = Date.now(),
): Promise<PeerCaller> {
  federationOf(ctx);
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token === undefined) {
    throw new AppError("auth_required", "this operation needs a peer token: send Authorization: Bearer <jwt>");
  }
  const { peers, audit } = ctx.stores;
  const result = await verifyPeerToken(token, {
    nowMs,
    localNodeId: ctx.nodeId,
    lookupPeer: (iss) => {
      const p = peers.byNodeId(iss);
      return p === undefined ? undefined : { ...p, publicKey: p.pubkey };
    },
    consumeNonce: (nonce, retainUntilMs, peer) => ctx.writes.submit(() => peers.consumeNonce(nonce, peer.nodeId, retainUntilMs, nowMs)),
  });
  if (result.ok) return { peer: result.peer, claims: result.claims };

  await ctx.writes.submit(() => {
    const detail = { code: result.code, reason: result.message, iss: result.iss?.slice(0, 256) ?? null, operation };
    const peerId = result.peer?.peerId ?? null;
    audit.append({ eventType: "rejected_token", actor: result.iss?.slice(0, 256) ?? null, outcome: "denied", peerId, detail }, nowMs);
    if (result.code === "nonce_already_seen") {
      audit.append({ eventType: "replay_attempt", actor: result.iss ?? null, outcome: "denied", peerId, detail }, nowMs);
    }
  });
  throw new AppError(result.code, `peer token refused: ${result.message}`);
}
