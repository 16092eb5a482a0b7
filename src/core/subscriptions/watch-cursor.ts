/**
 * @module core/subscriptions/watch-cursor
 *
 * The cursor of a fact watcher (`FactService.WatchFacts`, the SSE streams):
 * a position in this node's commit-ordered feed (protocol.md §10 "The
 * feed"), in the feed cursor's own format (core/federation/feed-cursor.ts),
 * so a watcher and a federation peer resume by the same rule: rows after a
 * position, in commit order, never an HLC.
 *
 * The cursor's 8-byte hash slot holds a hash of the watcher's filters
 * instead of a served scope set: a cursor resumed under other filters is
 * refused (`invalid_cursor`) rather than silently skipping or repeating what
 * the other filters would have matched. A cursor of another log epoch (the
 * database was replaced) or past the log's end cannot be continued either.
 */
import { decodeFeedCursor, encodeFeedCursor, scopeSetHash } from "../federation/feed-cursor.js";
import { failed, passed, type Checked } from "../federation/check-result.js";

/** What a watcher matches; absent fields match everything. */
export interface WatchFilter {
  readonly entity?: string | undefined;
  readonly relation?: string | undefined;
  readonly relationPrefix?: string | undefined;
  readonly scope?: string | undefined;
}

/**
 * One text naming the filter: each field labelled, NUL-separated (no URI,
 * relation or scope the node accepts contains NUL), so distinct filters give
 * distinct texts.
 */
export function watchFilterKey(f: WatchFilter): string {
  return ["watch", `e=${f.entity ?? ""}`, `r=${f.relation ?? ""}`, `p=${f.relationPrefix ?? ""}`, `s=${f.scope ?? ""}`].join("\u0000");
}

/**
 * The cursor after `position` in log `epoch` for a watcher with `filter`.
 *
 * @example
 * encodeWatchCursor({ epoch: "0b8f6c1e-3d2a-4f5b-9c7d-1e2f3a4b5c6d", position: 42, filter: { scope: "company" } }).length; // 44
 */
export function encodeWatchCursor(c: { readonly epoch: string; readonly position: number; readonly filter: WatchFilter }): string {
  return encodeFeedCursor({ epoch: c.epoch, position: c.position, scopes: [watchFilterKey(c.filter)] });
}

/**
 * The position a watcher resumes after, or `invalid_cursor` when the text is
 * not a cursor this node issued, was issued under other filters, belongs to
 * another log epoch, or lies past the log's end (`head`).
 */
export function resumeWatch(
  text: string,
  log: { readonly epoch: string; readonly head: number; readonly filter: WatchFilter },
): Checked<number, "invalid_cursor"> {
  const c = decodeFeedCursor(text);
  if (!c.ok) return c;
  if (c.value.scopeHash !== scopeSetHash([watchFilterKey(log.filter)])) {
    return failed("invalid_cursor", "the cursor was issued for other filters", "cursor");
  }
  if (c.value.epoch !== log.epoch || c.value.position > log.head) {
    return failed("invalid_cursor", "the cursor belongs to another log of this node (it was restored or re-created): watch again without a cursor", "cursor");
  }
  return passed(c.value.position);
}
