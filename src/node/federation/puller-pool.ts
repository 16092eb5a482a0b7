/**
 * One pull worker per active peer (protocol.md §10), each in its own error
 * boundary (puller.ts): a poisoned, slow, rate-limiting or dead peer only
 * ever delays its own worker. The pool follows the peer table: a peer
 * approved or revoked in this process is picked up at once
 * (`peersChanged`), one changed by another process (the offline
 * `stigmem peers` CLI) within {@link RECONCILE_MS}. A worker is restarted
 * when what it was started with changes (scopes, URL, key, transport).
 *
 * @module
 */
import { mintPeerToken } from "../../core/federation/peer-token.js";
import type { Logger } from "../../logger.js";
import type { PeerRecord } from "../../store/peer-store.js";
import type { NodeContext } from "../node-context.js";
import { federationOf } from "./federation-of.js";
import type { PullSourceFactory, TokenMinter } from "./pull-source.js";
import { PeerPuller } from "./puller.js";

/** How often the pool re-reads the peer table for changes made by other processes. */
export const RECONCILE_MS = 2_000;

/** What a worker was started with; a change restarts it. */
function identity(p: PeerRecord): string {
  return JSON.stringify([p.nodeId, p.nodeUrl, p.pubkey, p.transport, p.allowedScopes]);
}

export class PullerPool {
  private readonly workers = new Map<string, { puller: PeerPuller; identity: string }>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly sourceFor: PullSourceFactory,
    private readonly log: Logger,
  ) {}

  /** Starts a worker for every active peer and follows the peer table from now on. */
  start(): void {
    const fed = federationOf(this.ctx);
    this.unsubscribe = fed.onPeersChanged(() => this.reconcile());
    this.timer = setInterval(() => this.reconcile(), RECONCILE_MS);
    this.timer.unref();
    this.reconcile();
  }

  /** The workers by peer id, for diagnostics and tests. */
  get pullers(): ReadonlyMap<string, PeerPuller> {
    return new Map([...this.workers].map(([id, w]) => [id, w.puller]));
  }

  /** Starts and stops workers to match the active peers. */
  reconcile(): void {
    if (this.stopped) return;
    let active: PeerRecord[];
    try {
      active = this.ctx.stores.peers.list().filter((p) => p.status === "active" && p.transport !== null);
    } catch (e) {
      this.log.warn({ err: e }, "federation: reading the peer table failed");
      return;
    }
    const wanted = new Map(active.map((p) => [p.peerId, p]));
    for (const [peerId, w] of this.workers) {
      const p = wanted.get(peerId);
      if (p === undefined || identity(p) !== w.identity) {
        this.workers.delete(peerId);
        void w.puller.stop();
      }
    }
    for (const p of active) {
      if (this.workers.has(p.peerId)) continue;
      const puller = new PeerPuller(this.ctx, p, this.sourceFor(p, this.minter(p)), this.log);
      this.workers.set(p.peerId, { puller, identity: identity(p) });
      puller.start();
    }
  }

  /** Stops every worker, waiting for pages being committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    const all = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(all.map((w) => w.puller.stop()));
  }

  /** Tokens for `peer`: issued by us, for it, asking for the scopes it is approved for here. */
  private minter(peer: PeerRecord): TokenMinter {
    const ctx = this.ctx;
    return (ttlMs) =>
      mintPeerToken({
        signer: federationOf(ctx).key,
        iss: ctx.nodeId,
        sub: peer.nodeId,
        scopes: peer.allowedScopes,
        nowMs: Date.now(),
        ttlMs,
      });
  }
}
