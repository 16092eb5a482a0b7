/**
 * What the puller (puller.ts) needs of a publisher, whatever its kind: a
 * way to open one connection from a cursor and read its frames in order.
 * Our peers are pulled over the Connect PullFacts stream
 * (transport/connect/federation-pull-client.ts), reference peers over their
 * REST pages (federation/reference-pull-source.ts); the puller does not know
 * which. Failures are reported as {@link PullError}s the puller's state
 * machine understands.
 *
 * @module
 */
import type { TransientKind } from "../../core/federation/puller-state.js";
import type { PeerRecord } from "../../store/peer-store.js";

/** A frame read from a publisher. */
export type PullFrame =
  /** Facts as the peer sent them (REST FactRecord shape), and the cursor to persist with them. */
  | { readonly kind: "page"; readonly facts: readonly unknown[]; readonly cursor: string | null; readonly caughtUp: boolean }
  | { readonly kind: "heartbeat" };

/** One publisher, seen from the puller. */
export interface PullSource {
  /**
   * Opens a connection resuming after `cursor` and yields its frames; the
   * iteration ends when the publisher ends the connection (a stream whose
   * token expired, or a REST run that reached the end of the backlog).
   * The next frame is not read before the puller asked for it, so a page
   * is committed before the next arrives.
   *
   * @throws PullError for every failure it can classify.
   */
  open(cursor: string | null, signal: AbortSignal): AsyncIterable<PullFrame>;
  /** null: a live stream; a number: poll mode, the pause after reaching the end of the backlog. */
  readonly pollIntervalMs: number | null;
}

/** Mints a peer token for the publisher, valid for `ttlMs`. */
export type TokenMinter = (ttlMs: number) => Promise<string>;

/** Builds the source of `peer` (the composition root picks Connect or REST by the peer's transport). */
export type PullSourceFactory = (peer: PeerRecord, mintToken: TokenMinter) => PullSource;

/** What went wrong, in the terms of core/federation/puller-state.ts. */
export type PullFailure =
  | { readonly kind: "transient"; readonly transient: TransientKind; readonly retryAfterMs?: number }
  | { readonly kind: "permanent"; readonly code: string }
  | { readonly kind: "must_refetch" };

/** A classified failure of a pull connection. */
export class PullError extends Error {
  override readonly name = "PullError" as const;
  constructor(
    readonly failure: PullFailure,
    message: string,
  ) {
    super(message);
  }
}
