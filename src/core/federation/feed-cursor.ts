/**
 * @module core/federation/feed-cursor
 *
 * The replication cursor a peer holds (protocol.md §10 "The feed"): an
 * opaque base64url token carrying the publisher's log epoch, the position of
 * the last feed row delivered, and a hash of the scope set it was served
 * under. Never an HLC: positions are assigned in commit order, so a reader
 * can never pass a row that commits later (the reference's HLC-text cursor
 * loses rows both ways, §12).
 *
 * Binary layout, 33 bytes, then base64url without padding (44 characters):
 *
 * ```
 *  offset 0   1 byte   version (1)
 *         1  16 bytes  log epoch (a UUID, raw)
 *        17   8 bytes  position, unsigned big-endian (0 = nothing delivered yet)
 *        25   8 bytes  scope-set hash: first 8 bytes of sha256("company,public")
 * ```
 *
 * Not authenticated: a peer that edits its cursor only skips or repeats its
 * own facts, and every row is re-checked against its served scopes anyway.
 */
import { hash } from "node:crypto";
import { decodeBase64url, encodeBase64url } from "./base64url.js";
import { failed, passed, type Checked } from "./check-result.js";

/** Current cursor format version; a decoder refuses any other. */
export const FEED_CURSOR_VERSION = 1;

const BYTES = 33;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A decoded cursor. */
export interface FeedCursor {
  /** The publisher's log epoch (lowercase UUID) the position belongs to. */
  readonly epoch: string;
  /** Feed position of the last row delivered; 0 before the first. */
  readonly position: number;
  /** {@link scopeSetHash} of the scopes served when it was issued (16 hex digits). */
  readonly scopeHash: string;
}

/**
 * Hash of a served scope set, order- and duplicate-insensitive: hex of the
 * first 8 bytes of sha256 over the sorted, distinct scopes joined by `,`.
 *
 * @example
 * scopeSetHash(["public", "company"]) === scopeSetHash(["company", "public", "public"]); // true
 */
export function scopeSetHash(scopes: readonly string[]): string {
  return hash("sha256", [...new Set(scopes)].sort().join(","), "hex").slice(0, 16);
}

/**
 * Encodes a cursor after `position` in log `epoch` for `scopes` (the served set).
 *
 * @throws RangeError when the epoch is not a lowercase UUID or the position
 *   not a safe non-negative integer: the publisher never issues such a cursor.
 */
export function encodeFeedCursor(c: { readonly epoch: string; readonly position: number; readonly scopes: readonly string[] }): string {
  if (!UUID.test(c.epoch)) throw new RangeError("the log epoch must be a lowercase UUID");
  if (!Number.isSafeInteger(c.position) || c.position < 0) throw new RangeError("the position must be a safe non-negative integer");
  const buf = Buffer.alloc(BYTES);
  buf.writeUInt8(FEED_CURSOR_VERSION, 0);
  Buffer.from(c.epoch.replaceAll("-", ""), "hex").copy(buf, 1);
  buf.writeBigUInt64BE(BigInt(c.position), 17);
  Buffer.from(scopeSetHash(c.scopes), "hex").copy(buf, 25);
  return encodeBase64url(buf);
}

/** Decodes a cursor text, or `invalid_cursor` for anything this format never produces. */
export function decodeFeedCursor(text: string): Checked<FeedCursor, "invalid_cursor"> {
  const bad = (why: string): Checked<FeedCursor, "invalid_cursor"> => failed("invalid_cursor", why, "cursor");
  const bytes = text.length <= 64 ? decodeBase64url(text) : undefined;
  if (bytes === undefined || bytes.length !== BYTES) return bad("the cursor is not one this node issued");
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.readUInt8(0) !== FEED_CURSOR_VERSION) return bad(`unknown cursor version ${buf.readUInt8(0)}`);
  const position = buf.readBigUInt64BE(17);
  if (position > BigInt(Number.MAX_SAFE_INTEGER)) return bad("the cursor position is out of range");
  const hex = buf.subarray(1, 17).toString("hex");
  const epoch = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return passed({ epoch, position: Number(position), scopeHash: buf.subarray(25).toString("hex") });
}

/** Where to resume serving a pull. */
export type FeedResume =
  /** Serve rows with position > `after`. `restarted` says the cursor was dropped because the scope set changed. */
  | { readonly kind: "after"; readonly after: number; readonly restarted: boolean }
  /** The cursor belongs to another log epoch (or lies past the log's end): the puller must restart from the beginning. */
  | { readonly kind: "must_refetch" };

/**
 * Decides where a pull resumes (§10):
 * - no cursor → from the beginning;
 * - undecodable → `invalid_cursor` (400);
 * - another epoch, or a position past `log.head` (the log lost rows the peer
 *   saw, e.g. a restore without a new epoch) → `must_refetch`;
 * - another scope set → from the beginning, `restarted: true`;
 * - else → after the cursor's position.
 */
export function resumeFeed(
  text: string | null | undefined,
  log: { readonly epoch: string; readonly scopes: readonly string[]; readonly head?: number },
): Checked<FeedResume, "invalid_cursor"> {
  if (text === null || text === undefined || text === "") return passed({ kind: "after", after: 0, restarted: false });
  const c = decodeFeedCursor(text);
  if (!c.ok) return c;
  if (c.value.epoch !== log.epoch) return passed({ kind: "must_refetch" });
  if (log.head !== undefined && c.value.position > log.head) return passed({ kind: "must_refetch" });
  if (c.value.scopeHash !== scopeSetHash(log.scopes)) return passed({ kind: "after", after: 0, restarted: true });
  return passed({ kind: "after", after: c.value.position, restarted: false });
}
