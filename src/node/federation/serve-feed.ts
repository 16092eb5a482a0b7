/**
 * The pull server (protocol.md §10 "Pull server", "PullFacts"): what one
 * authenticated peer is sent from this node's commit-ordered feed.
 *
 * - Scopes: `peer.allowed_scopes ∩ token.scopes`, never `local`, `team`
 *   only when opted in (core/federation/served-scopes.ts). None → 403
 *   `no_permitted_scopes`; asking for another → 403 `scope_not_permitted`,
 *   audited `scope_violation`.
 * - Rows: the read rules' feed condition for the peer's policy
 *   (node/access/read-rules.ts `feedCondition`): served scopes, originated
 *   here, no `stigmem:` relation, not derived, not quarantined, no garden
 *   the peer is not a member of (so none), and for a reference peer no
 *   instructions.
 * - Cursor: opaque `(epoch, position, scope set)`; another scope set starts
 *   over, another epoch is `must_refetch` (a Connect puller resets; a
 *   reference puller cannot, so REST serves it from the start instead).
 * - Live: after the backlog, each commit (the view signal's `onCommit`)
 *   wakes the stream, which waits {@link BATCH_MS} for the commits that
 *   follow and sends what the peer may see; idle, a heartbeat every
 *   {@link HEARTBEAT_MS}. It ends when the token expires or the peer is no
 *   longer active.
 *
 * Before a page leaves, the feed's high-water mark is raised to its
 * position (feed-epoch.ts), so a restore of an older database is noticed.
 *
 * @module
 */
import { encodeFeedCursor, resumeFeed } from "../../core/federation/feed-cursor.js";
import { servedScopes } from "../../core/federation/served-scopes.js";
import { SCOPES, type Scope } from "../../core/scope.js";
import { peerPolicy } from "../access/read-policy.js";
import { feedCondition } from "../access/read-rules.js";
import { AppError } from "../app-error.js";
import { toFact, type Fact } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";
import type { PeerCaller } from "./authenticate-peer.js";
import { federationOf } from "./federation-of.js";

/** Live commits are sent at most this long after the first of a batch. */
export const BATCH_MS = 10;
/** An idle live stream sends a heartbeat this often. */
export const HEARTBEAT_MS = 15_000;
/** Page size when the request names none (§2: pull 100). */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page a peer may ask for (§2). */
export const MAX_PAGE_SIZE = 500;

/** What a peer asks for. */
export interface FeedRequest {
  /** The cursor it persisted; null or empty for the start. */
  readonly cursor: string | null | undefined;
  /** Scopes wanted; empty means every served scope. */
  readonly scopes: readonly string[];
  /** What to do with a cursor of another epoch: fail (`must_refetch`) or serve from the start. */
  readonly onOtherEpoch: "must_refetch" | "restart";
}

/** One page of the feed, ready to send. */
export interface FeedBatch {
  /**
   * The facts, in feed order. Without projections (the stream) their view
   * state is not read: a receiver keeps only what the fact itself says.
   */
  readonly facts: readonly Fact[];
  /** The cursor to send with it (after the last position it covers). */
  readonly cursor: string;
  /** Nothing more is committed that the peer may see (at the time of the read). */
  readonly caughtUp: boolean;
}

/** A frame of the live stream. */
export type FeedFrame = { readonly kind: "page"; readonly page: FeedBatch } | { readonly kind: "heartbeat" };

/** An open feed for one peer: its position moves as pages are read. */
export class FeedSession {
  private position: number;

  constructor(
    private readonly ctx: NodeContext,
    readonly caller: PeerCaller,
    /** The scopes served in this session (sorted, narrowest first). */
    readonly scopes: readonly Scope[],
    /** The peer is a reference node: its quirks apply (no instructions; REST shape). */
    readonly reference: boolean,
    after: number,
    /** The request's cursor was of another epoch and the session starts over (REST). */
    readonly restarted: boolean,
  ) {
    this.position = after;
  }

  /**
   * Reads the next page of at most `limit` rows; resolves once the
   * high-water mark covers it. `projections: false` skips the view state
   * (head, overruled, contradicted) that only a full FactRecord shows.
   */
  async next(limit: number, opts: { readonly projections?: boolean } = {}): Promise<FeedBatch> {
    const { feed } = this.ctx.stores;
    const fed = federationOf(this.ctx);
    const where = feedCondition(peerPolicy(this.caller.peer.nodeId, this.scopes), { reference: this.reference });
    const head = feed.headPosition();
    const page = feed.read({ after: this.position, upto: head, where, limit, projections: opts.projections !== false });
    await fed.epoch.served(page.position, head);
    this.position = page.position;
    const now = Date.now();
    return {
      facts: page.rows.map((r) => toFact(r, now)),
      cursor: encodeFeedCursor({ epoch: fed.epoch.epoch, position: page.position, scopes: this.scopes }),
      caughtUp: !page.more,
    };
  }

  /**
   * The stream: backlog pages, then (with `follow`) live pages and
   * heartbeats until `signal` aborts, the token expires or the peer stops
   * being active.
   */
  async *frames(opts: {
    readonly pageSize: number;
    readonly follow: boolean;
    readonly signal: AbortSignal;
    /** See {@link next}. */
    readonly projections?: boolean;
    /** Longest silence of a live stream; {@link HEARTBEAT_MS} by default. */
    readonly heartbeatMs?: number;
  }): AsyncGenerator<FeedFrame> {
    const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
    // Listening before the backlog is read: a commit during it is not missed.
    const wake = new Waker();
    const off = opts.follow ? this.ctx.signal.onCommit(() => wake.fire()) : () => {};
    const onAbort = (): void => wake.release();
    // The caller hanging up, or this node shutting down, ends the stream.
    const signal = AbortSignal.any([opts.signal, federationOf(this.ctx).shutdown]);
    signal.addEventListener("abort", onAbort);
    try {
      for (;;) {
        const page = await this.next(opts.pageSize, opts);
        yield { kind: "page", page };
        if (page.caughtUp) break;
      }
      if (!opts.follow) return;
      const expiresAt = this.caller.claims.exp;
      // A heartbeat goes out whenever nothing was sent for heartbeatMs, also while commits the peer
      // is not sent (other scopes) keep waking the stream.
      let lastSent = Date.now();
      for (;;) {
        const now = Date.now();
        if (expiresAt <= now || signal.aborted) return;
        const woke = await wake.wait(Math.max(0, Math.min(lastSent + heartbeatMs - now, expiresAt - now)));
        if (signal.aborted || Date.now() >= expiresAt) return;
        const peer = this.ctx.stores.peers.byId(this.caller.peer.peerId);
        if (peer?.status !== "active") throw new AppError("peer_not_approved", "the peer is no longer active on this node");
        if (woke) {
          // Let the commits that follow the first join its batch; the read below includes them all.
          await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
          if (signal.aborted) return;
          wake.clear();
          for (;;) {
            const page = await this.next(opts.pageSize, opts);
            if (page.facts.length > 0 || !page.caughtUp) {
              yield { kind: "page", page };
              lastSent = Date.now();
            }
            if (page.caughtUp) break;
          }
        }
        if (Date.now() - lastSent >= heartbeatMs) {
          yield { kind: "heartbeat" };
          lastSent = Date.now();
        }
      }
    } finally {
      off();
      signal.removeEventListener("abort", onAbort);
      wake.release();
    }
  }
}

/** A latch the view signal sets: `wait` resolves true once it is set (clearing it), false after a timeout. */
class Waker {
  private pending = false;
  private waiter: (() => void) | undefined;

  fire(): void {
    this.pending = true;
    this.release();
  }

  async wait(ms: number): Promise<boolean> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, ms);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const was = this.pending;
    this.pending = false;
    return was;
  }

  /** Forgets commits seen so far: the read that follows includes them. */
  clear(): void {
    this.pending = false;
  }

  /** Ends a pending wait now (as a timeout). */
  release(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/**
 * Opens the feed for an authenticated peer.
 * @throws AppError no_permitted_scopes, scope_not_permitted (audited
 *   `scope_violation`), invalid_cursor, must_refetch (with `onOtherEpoch: "must_refetch"`).
 */
export async function openFeed(ctx: NodeContext, caller: PeerCaller, req: FeedRequest): Promise<FeedSession> {
  const fed = federationOf(ctx);
  const served = servedScopes(caller.peer.allowedScopes, caller.claims.scopes, { allowTeam: ctx.config.federationAllowTeam });
  if (served.length === 0) {
    throw new AppError("no_permitted_scopes", "no scope is served to this peer: its approved scopes and its token's share none");
  }
  const asked = [...new Set(req.scopes)];
  const refused = asked.filter((s) => !(served as readonly string[]).includes(s));
  if (refused.length > 0) {
    await ctx.writes.submit(() =>
      ctx.stores.audit.append({
        eventType: "scope_violation",
        actor: caller.peer.nodeId,
        outcome: "denied",
        peerId: caller.peer.peerId,
        scope: refused[0]!,
        detail: { requested: asked, served, direction: "pull" },
      }),
    );
    throw new AppError("scope_not_permitted", `scope ${refused.join(", ")} is not permitted for this peer`, {
      details: { scope: refused[0]! },
    });
  }
  const scopes = asked.length === 0 ? served : SCOPES.filter((s) => asked.includes(s));
  const resume = resumeFeed(req.cursor, { epoch: fed.epoch.epoch, scopes, head: ctx.stores.feed.headPosition() });
  if (!resume.ok) throw new AppError("invalid_cursor", resume.message);
  const reference = caller.peer.transport === "rest";
  if (resume.value.kind === "must_refetch") {
    if (req.onOtherEpoch === "must_refetch") {
      throw new AppError("must_refetch", "the cursor belongs to another log epoch of this node: pull again from the start", {
        details: { epoch: fed.epoch.epoch },
      });
    }
    return new FeedSession(ctx, caller, scopes, reference, 0, true);
  }
  return new FeedSession(ctx, caller, scopes, reference, resume.value.after, resume.value.restarted);
}
