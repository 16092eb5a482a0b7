/**
 * @module core/federation/backoff
 *
 * Retry delays of the puller on transient errors (protocol.md §10: network,
 * 429, 5xx, busy): exponential from 1 s, doubling per consecutive failure,
 * capped at 300 s, with ±20 % jitter so pullers of one publisher that failed
 * together do not retry together. Randomness is injected for tests.
 */

/** Delay before the first retry. */
export const BACKOFF_BASE_MS = 1_000;
/** Longest delay; jitter never pushes a delay above it. */
export const BACKOFF_MAX_MS = 300_000;
/** Relative jitter: the delay is scaled by a factor in [0.8, 1.2). */
export const BACKOFF_JITTER = 0.2;

/**
 * Delay before retry number `attempt` (1 for the first failure):
 * `min(1 s · 2^(attempt−1), 300 s)` scaled by `1 ± 20 %`, then capped at
 * 300 s. `random` returns a number in [0, 1) like `Math.random`.
 *
 * @throws RangeError when `attempt` is not a positive integer.
 * @example
 * backoffDelayMs(1, () => 0.5); // 1000
 * backoffDelayMs(3, () => 0); // 3200 (4000 − 20 %)
 * backoffDelayMs(20, () => 0.99); // 300000 (capped)
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError("attempt must be a positive integer");
  // 2^9 s already exceeds the cap; clamping the exponent keeps the arithmetic exact for any attempt.
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 9), BACKOFF_MAX_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  const factor = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * r;
  return Math.min(Math.round(base * factor), BACKOFF_MAX_MS);
}
