/**
 * @module core/subscriptions/delivery-policy
 *
 * The numbers of webhook delivery (protocol.md §7 "Subscriptions"): a failed
 * delivery is retried after `min(2^n, 300)` seconds, n being the attempts
 * made so far; 10 failures in a row open a subscription's circuit; events
 * are kept for replay 24 hours.
 */

/** Longest wait between two attempts of one event, in seconds. */
export const MAX_RETRY_DELAY_S = 300;
/** Consecutive failed deliveries that open a subscription's circuit. */
export const CIRCUIT_THRESHOLD = 10;
/** How long events stay listed (`GET /v1/subscriptions/{id}/events`). */
export const EVENT_WINDOW_MS = 24 * 3_600_000;

/**
 * Seconds to wait before the next attempt of an event that failed
 * `attempts` times (1 after the first failure).
 *
 * @throws RangeError when `attempts` is not a positive integer.
 * @example
 * retryDelayS(1); // 2
 * retryDelayS(8); // 256
 * retryDelayS(9); // 300
 */
export function retryDelayS(attempts: number): number {
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new RangeError("attempts must be a positive integer");
  return Math.min(2 ** Math.min(attempts, 9), MAX_RETRY_DELAY_S);
}
