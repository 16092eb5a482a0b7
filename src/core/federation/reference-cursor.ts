/**
 * @module core/federation/reference-cursor
 *
 * The cursor we send back to a reference peer's `GET /v1/federation/facts`
 * (protocol.md §10 "Pull client"). The reference pages by `hlc > cursor`
 * compared as TEXT, over unpadded HLCs (`1795268267955.10` sorts before
 * `1795268267955.9`), and answers the last row's HLC as its cursor, so
 * resuming from its cursor can skip rows that share the last millisecond.
 *
 * Workaround: resume from `"{last_wall}"`, the wall digits alone. That text
 * sorts before every `"{last_wall}.{counter}"`, so the whole last
 * millisecond is fetched again (ingest deduplicates by id) and a row that
 * commits later in that millisecond (`.10` after `.9`) is not skipped.
 *
 * The exception: a FULL page (`has_more`) within one wall. Asking for
 * `"{wall}"` again would return that same page forever, so then we take the
 * server's cursor and accept its text order for that millisecond, the one
 * case where rows can still be skipped (only when more rows than a page
 * share one millisecond). A page within one wall that is not full is the end
 * of the backlog: we keep `"{wall}"`, so the next poll re-reads that
 * millisecond (§10 says "a whole page"; taking the server's cursor there
 * too would skip exactly the late rows the workaround exists for).
 */

const HLC_TEXT = /^(\d{1,15})\.\d{1,9}$/;

function wallOf(hlc: unknown): string | undefined {
  return typeof hlc === "string" ? HLC_TEXT.exec(hlc)?.[1] : undefined;
}

/**
 * The cursor to send with the next request to a reference peer.
 *
 * @param page.facts - the page's facts in the order served (only `hlc` is read).
 * @param page.cursor - the cursor the server answered (its last row's HLC
 *   text); when absent, the last fact's HLC stands in for it.
 * @param page.has_more - the server's `has_more`.
 * @param sent - the cursor we sent for this page (`null` for the first).
 * @returns `sent` for an empty page (nothing moved); the server's cursor for
 *   a full page within one wall (or HLC text we cannot read); otherwise
 *   `"{last_wall}"`. With `has_more`, the result sorts after `sent`, so
 *   draining always progresses.
 * @example
 * referenceNextCursor({ facts: [{ hlc: "100.0" }, { hlc: "101.3" }], cursor: "101.3", has_more: true }, null); // "101"
 * referenceNextCursor({ facts: [{ hlc: "101.0" }, { hlc: "101.1" }], cursor: "101.1", has_more: true }, "101"); // "101.1"
 * referenceNextCursor({ facts: [{ hlc: "101.0" }, { hlc: "101.1" }], cursor: "101.1", has_more: false }, "101"); // "101"
 */
export function referenceNextCursor(
  page: { readonly facts: readonly { readonly hlc?: unknown }[]; readonly cursor: string | null; readonly has_more: boolean },
  sent: string | null,
): string | null {
  if (page.facts.length === 0) return sent;
  const last = page.facts[page.facts.length - 1]?.hlc;
  const server = page.cursor ?? (typeof last === "string" ? last : null);
  if (server === null) return sent;
  const lastWall = wallOf(server);
  const firstWall = wallOf(page.facts[0]?.hlc);
  if (lastWall === undefined || firstWall === undefined) return server;
  // A full page within one wall must move on by the server's own cursor, or it would repeat forever.
  if (firstWall === lastWall && page.has_more) return server;
  return lastWall;
}
