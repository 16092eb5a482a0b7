/**
 * Where replication with each peer stands, for `stigmem peers status` and
 * `stigmem doctor` (protocol.md §10): the peer's status, how we pull it,
 * the persisted cursor, counts of facts accepted, already held and
 * rejected, the last error, and the lag — how long ago the puller last
 * knew it was caught up (a live stream says so with every heartbeat, a
 * reference peer with every poll that reaches the end), so an idle peer
 * shows no lag and an unreachable one a growing one.
 *
 * @module
 */
import { pubkeyFingerprint } from "../../core/federation/ed25519.js";
import type { PeerRecord, PeerStore, ReplicationState } from "../../store/peer-store.js";

/** One peer's replication, as reported. */
export interface PeerStatusReport {
  readonly peer: PeerRecord;
  readonly fingerprint: string;
  /** Null when nothing was ever pulled from it. */
  readonly replication: ReplicationState | null;
  /** `now − caught_up_ms`; null when never caught up. */
  readonly lagMs: number | null;
  /** The last attempt failed (after the last page committed). */
  readonly failing: boolean;
}

/** A report per peer, in registration order. */
export function peerStatuses(peers: PeerStore, nowMs: number): PeerStatusReport[] {
  const states = new Map(peers.replications().map((r) => [r.peerId, r]));
  return peers.list().map((peer) => {
    const r = states.get(peer.peerId) ?? null;
    return {
      peer,
      fingerprint: pubkeyFingerprint(peer.pubkey),
      replication: r,
      lagMs: r?.caughtUpMs == null ? null : Math.max(0, nowMs - r.caughtUpMs),
      failing: r !== null && r.lastErrorMs !== null && (r.lastPageMs === null || r.lastErrorMs >= r.lastPageMs),
    };
  });
}
