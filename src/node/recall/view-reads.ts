/**
 * Reading ranked rowids against the caller's view, best first, in chunks
 * (protocol.md §9: nothing outside the view is ever a candidate). Shared by
 * the lexical and semantic channels, whose hits come from indexes that do
 * not know the view.
 *
 * @module
 */
import type { ScoringRow } from "../../store/recall-rows.js";
import type { ViewFilter } from "../../store/view-filter.js";
import type { NodeContext } from "../node-context.js";

/**
 * Rows read at once when `missing` more are wanted: a quarter more
 * (at least 16) for the few that fail the view (expiry, confidence,
 * garden), divided by the share of rows the view is expected to keep; the
 * rest are read only if needed.
 */
export function readAhead(missing: number, share = 1): number {
  return Math.ceil((missing + Math.max(16, missing >> 2)) / Math.min(1, Math.max(share, 0.01)));
}

/**
 * The first `limit` of `ordered` (best first) that are in the view, with
 * their rows, and how many of `ordered` it took to find them (all of them
 * when fewer pass). Read in chunks straight from the view, with no
 * separate live-head pass: a row outside the scope or superseded costs one
 * index probe in the same statement, while the pass cost ~2 µs for every
 * hit. `share` is the fraction expected to pass, which sizes the chunks.
 */
export function firstInView<T>(
  node: NodeContext,
  ordered: readonly T[],
  rowidOf: (item: T) => number,
  limit: number,
  view: ViewFilter,
  share: number,
): { rows: { item: T; row: ScoringRow }[]; examined: number } {
  const recall = node.recall.store;
  const rows: { item: T; row: ScoringRow }[] = [];
  let examined = 0;
  while (examined < ordered.length && rows.length < limit) {
    const chunk = ordered.slice(examined, examined + readAhead(limit - rows.length, share));
    const read = new Map(recall.viewRows(chunk.map(rowidOf), view).map((r) => [r.rowid, r]));
    for (const item of chunk) {
      if (rows.length >= limit) break;
      examined++;
      const row = read.get(rowidOf(item));
      if (row !== undefined) rows.push({ item, row });
    }
  }
  return { rows, examined };
}
