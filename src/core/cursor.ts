/**
 * @module core/cursor
 *
 * Opaque keyset cursors for fact listings (protocol.md §6): base64url of
 * `{v, o, w, c, id, fh}` — format version, order, the last row's HLC pair
 * and id, and a hash of the filters it was issued under, so a cursor reused
 * with other filters is refused instead of silently skipping rows.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import { CoreError } from "./errors.js";

export type SortOrder = "asc" | "desc";

/** The decoded position: the last row of the previous page. */
export interface CursorPosition {
  readonly order: SortOrder;
  readonly wall: number;
  readonly counter: number;
  readonly id: string;
}

const VERSION = 1;

/** Short, stable hash of the filters a cursor belongs to. */
export function filterHash(filters: Record<string, string | number | boolean | null>): string {
  return createHash("sha256").update(canonicalJson(filters)).digest("base64url").slice(0, 16);
}

export function encodeCursor(pos: CursorPosition, fh: string): string {
  const body = { v: VERSION, o: pos.order, w: pos.wall, c: pos.counter, id: pos.id, fh };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

/**
 * @throws CoreError `invalid_cursor`-worthy input is reported as
 *   `invalid_value` with field `cursor`; callers map it to 400 invalid_cursor.
 */
export function decodeCursor(text: string, fh: string): CursorPosition {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(text)) throw new Error("not base64url");
    body = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new CoreError("invalid_value", "cursor", "cursor is not one this node issued");
  }
  const b = body as Record<string, unknown>;
  if (
    b.v !== VERSION ||
    (b.o !== "asc" && b.o !== "desc") ||
    !Number.isSafeInteger(b.w) ||
    !Number.isSafeInteger(b.c) ||
    typeof b.id !== "string"
  ) {
    throw new CoreError("invalid_value", "cursor", "cursor is not one this node issued");
  }
  if (b.fh !== fh) throw new CoreError("invalid_value", "cursor", "cursor was issued for other filters");
  return { order: b.o, wall: b.w as number, counter: b.c as number, id: b.id };
}
