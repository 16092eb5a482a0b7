/**
 * What a node with federation on holds beyond its stores (protocol.md §10):
 * its Ed25519 identity (federation/node-key.ts; a file in the data folder
 * or a configured seed, never the database), the feed's epoch with its
 * high-water mark, and a signal for the puller pool that the set of active
 * peers may have changed. Built once at start (the key load is
 * asynchronous) and reached by use cases as `ctx.federation`.
 *
 * @module
 */
import type { Config } from "../../config.js";
import { loadNodeKey, type NodeKey, type NodeKeyOrigin } from "../../federation/node-key.js";
import type { FeedStore } from "../../store/feed-store.js";
import { FeedEpoch } from "./feed-epoch.js";

/**
 * The `federation_version` this node announces: the reference's, which the
 * contract pins. What tells a node like this one from a reference node is
 * `federation_endpoints.pull_stream`, the Connect procedure it serves.
 */
export const FEDERATION_VERSION = "0.5";
/** `federation_endpoints.pull_stream`: the procedure path of the Connect pull stream. */
export const PULL_STREAM_PATH = "/stigmem.v1.FederationService/PullFacts";

export class FederationRuntime {
  private readonly listeners = new Set<() => void>();
  private readonly closing = new AbortController();

  private constructor(
    /** The node's signing identity. */
    readonly key: NodeKey,
    /** Where the key came from (`config`, `file`, `created`), for the start-up log. */
    readonly keyOrigin: NodeKeyOrigin,
    /** The feed's epoch and high-water mark. */
    readonly epoch: FeedEpoch,
  ) {}

  /** Loads (or creates) the key and checks the feed's epoch. */
  static async open(config: Config, feed: FeedStore): Promise<FederationRuntime> {
    const { key, origin } = await loadNodeKey({ dataDir: config.dataDir, seed: config.federationKeySeed });
    return new FederationRuntime(key, origin, FeedEpoch.open(feed, config.dataDir));
  }

  /** Hears that a peer's status changed (approved, revoked…); returns the unsubscribe function. */
  onPeersChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A peer's status changed in this process. */
  peersChanged(): void {
    for (const l of this.listeners) l();
  }

  /** Aborts when the node shuts down: the streams it serves end, so a graceful close does not wait for them. */
  get shutdown(): AbortSignal {
    return this.closing.signal;
  }

  /** Ends the streams this node serves (the first step of its shutdown). */
  close(): void {
    this.closing.abort();
  }
}
