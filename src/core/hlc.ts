/**
 * @module core/hlc
 *
 * Hybrid logical clock (protocol.md §5). Every fact carries an HLC so that
 * pages, cursors, supersession and pull have one total order that respects
 * causality across nodes even when wall clocks disagree.
 *
 * Pure: the clock is a value passed in and returned, and `now` is a
 * parameter, so the store persists it inside the fact transaction and tests
 * can drive time in any direction.
 *
 * ```
 *   text  "1795268267955.007"  ──parseHlc──▶  {wall: 1795268267955, counter: 7}
 *         ◀──formatHlc── (counter padded to ≥ 3 digits; order is by the PAIR)
 * ```
 */
import { CoreError } from "./errors.js";

/** An HLC value: wall-clock milliseconds plus a logical counter. Ordered as a pair. */
export interface Hlc {
  readonly wall: number;
  readonly counter: number;
}

/** Largest wall the text grammar can carry (15 digits). */
export const MAX_HLC_WALL = 999_999_999_999_999;
/** Largest counter the text grammar can carry (9 digits). */
export const MAX_HLC_COUNTER = 999_999_999;

/** §5 grammar; padded (`.007`) and unpadded (`.7`, the ref's `.0`) counters. */
const HLC_TEXT = /^(\d{1,15})\.(\d{1,9})$/;

/** The zero clock, smaller than every real HLC; the start of a new node. */
export const HLC_ZERO: Hlc = Object.freeze({ wall: 0, counter: 0 });

/** True when `h` is a pair of integers within the text grammar's range. */
export function isValidHlc(h: Hlc): boolean {
  return (
    Number.isSafeInteger(h.wall) &&
    Number.isSafeInteger(h.counter) &&
    h.wall >= 0 &&
    h.wall <= MAX_HLC_WALL &&
    h.counter >= 0 &&
    h.counter <= MAX_HLC_COUNTER
  );
}

function assertHlc(h: Hlc, field: string): void {
  if (!isValidHlc(h)) throw new CoreError("invalid_hlc", field, "HLC wall or counter out of range");
}

function assertNow(nowMs: number): void {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs > MAX_HLC_WALL) {
    throw new CoreError("invalid_timestamp", "now", "now must be integer epoch milliseconds");
  }
}

/**
 * Parses HLC text (`"{wall}.{counter}"`), accepting unpadded counters.
 *
 * @throws CoreError `invalid_hlc`, naming `field`.
 * @example
 * parseHlc("1795268267955.0"); // {wall: 1795268267955, counter: 0}
 */
export function parseHlc(s: string, field = "hlc"): Hlc {
  const m = HLC_TEXT.exec(s);
  if (m === null) throw new CoreError("invalid_hlc", field, `HLC must match wall.counter: ${s}`);
  return { wall: Number(m[1]), counter: Number(m[2]) };
}

/**
 * Formats an HLC: wall as digits (13 for any current date), counter padded to
 * at least 3 digits so ref peers comparing text still sort counters < 1000
 * correctly. Our own code never compares this text.
 *
 * @throws CoreError `invalid_hlc` when the pair cannot be parsed back.
 * @example
 * formatHlc({ wall: 1795268267955, counter: 7 }); // "1795268267955.007"
 */
export function formatHlc(h: Hlc): string {
  assertHlc(h, "hlc");
  return `${h.wall}.${String(h.counter).padStart(3, "0")}`;
}

/**
 * Orders HLCs by the integer pair (wall, then counter). Never compare HLC
 * strings: `.10` < `.9` as text (§12).
 *
 * @returns -1, 0 or 1.
 */
export function compareHlc(a: Hlc, b: Hlc): -1 | 0 | 1 {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return 0;
}

/** The larger of two HLCs; resumes a clock on restart from `max(stored, max(hlc))` (§5). */
export function maxHlc(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) >= 0 ? a : b;
}

/**
 * Builds the result pair. If the counter would leave the text grammar (only a
 * hostile peer can push it there), carry into the wall instead: the result is
 * still strictly greater than every input, so the clock stays monotonic.
 */
function make(wall: number, counter: number): Hlc {
  if (counter <= MAX_HLC_COUNTER) return { wall, counter };
  if (wall >= MAX_HLC_WALL) throw new CoreError("invalid_hlc", "hlc", "HLC exhausted");
  return { wall: wall + 1, counter: 0 };
}

/**
 * Advances the clock for a local event (§5 Tick): `w' = max(now, w)`;
 * `c' = c + 1` if the wall did not move, else 0. Monotonic even when the
 * system clock goes backwards.
 *
 * @returns the new clock state, which is also the event's HLC.
 */
export function tick(state: Hlc, nowMs: number): Hlc {
  assertHlc(state, "state");
  assertNow(nowMs);
  const wall = Math.max(nowMs, state.wall);
  return make(wall, wall === state.wall ? state.counter + 1 : 0);
}

/**
 * Merges a remote HLC into the clock (§5 Receive). With `w' = max(now, w, r.w)`:
 *
 * | case                         | c'               |
 * |------------------------------|------------------|
 * | `w' == w` and `w' == r.w`    | `max(c, r.c)+1`  |
 * | `w' == w` only               | `c+1`            |
 * | `w' == r.w` only             | `r.c+1`          |
 * | otherwise (`now` is ahead)   | 0                |
 *
 * "All three equal" means w', w and r.w (the classic HLC rule); `now` may
 * lag. The result is strictly greater than both `state` and `remote`. Call
 * {@link checkSkew} first: receive never rejects.
 *
 * @returns the new clock state, also the received fact's local `hlc`.
 */
export function receive(state: Hlc, remote: Hlc, nowMs: number): Hlc {
  assertHlc(state, "state");
  assertHlc(remote, "origin_hlc");
  assertNow(nowMs);
  const wall = Math.max(nowMs, state.wall, remote.wall);
  const local = wall === state.wall;
  const other = wall === remote.wall;
  if (local && other) return make(wall, Math.max(state.counter, remote.counter) + 1);
  if (local) return make(wall, state.counter + 1);
  if (other) return make(wall, remote.counter + 1);
  return make(wall, 0);
}

/** Bounds for {@link checkSkew}; milliseconds. */
export interface SkewBounds {
  /** Reject when `remote.wall − now` exceeds this (default 300 s in config). */
  readonly maxFutureMs: number;
  /** Reject when `now − remote.wall` exceeds this; push only (§13.3). Omit to skip. */
  readonly maxPastMs?: number | undefined;
}

/** Outcome of {@link checkSkew}; a rejection says which bound and by how much. */
export type SkewCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "future" | "past"; readonly skewMs: number };

/**
 * The §5 skew guard, applied before {@link receive}: a remote HLC too far in
 * the future would drag our clock ahead for good. Exactly at a bound is
 * accepted. A rejected fact leaves the clock untouched (nothing to undo: this
 * function does not touch it) and is audited `peer_hlc_anomaly`.
 *
 * @example
 * checkSkew({ wall: now + 301_000, counter: 0 }, now, { maxFutureMs: 300_000 });
 * // { ok: false, reason: "future", skewMs: 301000 }
 */
export function checkSkew(remote: Hlc, nowMs: number, bounds: SkewBounds): SkewCheck {
  const ahead = remote.wall - nowMs;
  if (ahead > bounds.maxFutureMs) return { ok: false, reason: "future", skewMs: ahead };
  if (bounds.maxPastMs !== undefined && -ahead > bounds.maxPastMs) {
    return { ok: false, reason: "past", skewMs: -ahead };
  }
  return { ok: true };
}
