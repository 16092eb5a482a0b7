/**
 * The rule table of reading: which stored facts a {@link ReadPolicy} sees in
 * a view, as ONE condition tree (core/access/condition.ts). The database
 * reads it rendered as SQL, recall's in-memory copy as a JavaScript
 * predicate; nothing else decides readability.
 *
 * Access (who):
 * - scope: one the key may read (protocol.md §8);
 * - garden: none, or a garden the reader may read (admin: all; members:
 *   theirs — none until membership exists);
 * - quarantine: never (pending and rejected facts are invisible until a
 *   moderator role exists, protocol.md §6).
 *
 * Feed (what a federation peer is sent), protocol.md §10: the access rules
 * for the peer's policy (served scopes, gardens it is a member of, never
 * quarantined), and only facts that originated here (no relaying), that are
 * not node-local system facts (`stigmem:` relations) and not derived; to a
 * reference peer, no instructions either (its ingest wedges on them).
 *
 * Watch (what a watcher or subscriber is told of as it commits): the access
 * rules for the watcher's policy, over every committed fact in any state (a
 * superseded or retracted fact is news too), narrowed by its filters.
 *
 * View (what), protocol.md §6:
 * - `current`: live chain heads (confidence > 0, not overruled), unexpired
 *   unless `includeExpired`, and of a contradicted triple only the winner's
 *   value unless `includeContradicted`;
 * - `history`: every stored fact, in any state;
 * - either: at least `minConfidence`, and `contentOnly` leaves instructions out.
 *
 * @module
 */
import {
  and,
  atLeast,
  eq,
  greater,
  isNull,
  isSet,
  not,
  oneOf,
  or,
  startsWith,
  TRUE,
  type Condition,
} from "../../core/access/condition.js";
import type { WatchFilter } from "../../core/subscriptions/watch-cursor.js";
import type { ReadPolicy } from "./read-policy.js";

export interface ViewOptions {
  readonly kind: "current" | "history";
  /** The instant expiry is judged at. */
  readonly nowMs: number;
  /** `current` only: keep heads whose `valid_until` has passed. */
  readonly includeExpired?: boolean;
  /** `current` only: keep the losing values of a contradicted triple. */
  readonly includeContradicted?: boolean;
  /** Leave out facts below this confidence (0: none). */
  readonly minConfidence?: number;
  /** Leave out `interpret_as: instruction` facts (a card never summarizes one). */
  readonly contentOnly?: boolean;
}

/** Who may see a fact at all, in any view. */
export function accessCondition(policy: ReadPolicy): Condition {
  return and(
    policy.scopes === null ? TRUE : oneOf("scope", policy.scopes),
    policy.gardens === "all" ? TRUE : or(isNull("garden_id"), oneOf("garden_id", policy.gardens)),
    isNull("quarantine"),
  );
}

/** What `policy` reads in the view `view`: the access rules and the view's own. */
export function readCondition(policy: ReadPolicy, view: ViewOptions): Condition {
  const minConfidence = view.minConfidence ?? 0;
  return and(
    accessCondition(policy),
    view.kind === "current" ? isSet("head_live") : TRUE,
    view.kind === "current" && view.includeExpired !== true
      ? or(isNull("valid_until_ms"), greater("valid_until_ms", view.nowMs))
      : TRUE,
    view.kind === "current" && view.includeContradicted !== true ? isSet("winner") : TRUE,
    minConfidence > 0 ? atLeast("confidence", minConfidence) : TRUE,
    view.contentOnly === true ? eq("interpret_as", "content") : TRUE,
  );
}

/** How the feed is served to one peer. */
export interface FeedOptions {
  /** The peer is a reference node (it serves no pull stream): it cannot ingest instructions without wedging. */
  readonly reference: boolean;
}

/** What a peer with `policy` (read-policy.ts `peerPolicy`) is sent from this node's feed. */
export function feedCondition(policy: ReadPolicy, feed: FeedOptions): Condition {
  return and(
    accessCondition(policy),
    isNull("received_from"),
    not(startsWith("relation", "stigmem:")),
    isNull("derived_from"),
    feed.reference ? eq("interpret_as", "content") : TRUE,
  );
}

/**
 * Which committed facts a watcher with `policy` is told of: the access rules
 * (so never a quarantined fact, nor a scope or garden it may not read) and
 * its filters, over facts in any state.
 */
export function watchCondition(policy: ReadPolicy, filters: WatchFilter): Condition {
  return and(
    accessCondition(policy),
    filters.entity === undefined ? TRUE : eq("entity", filters.entity),
    filters.relation === undefined ? TRUE : eq("relation", filters.relation),
    filters.relationPrefix === undefined ? TRUE : startsWith("relation", filters.relationPrefix),
    filters.scope === undefined ? TRUE : eq("scope", filters.scope),
  );
}
