/**
 * Per-key and per-IP rate limits (protocol.md §7, issue 15): one token bucket
 * per (dimension, key) and per (dimension, client address), refilled
 * continuously, so a client may burst up to the configured count and then
 * proceeds at the configured rate. A refused request costs nothing from
 * either bucket and is told when to come back (`retry_after`, whole seconds).
 *
 * Keys are the authenticated API key's id (the no-auth principal has none,
 * so only the per-IP limit applies to it); addresses are IPv4 addresses and
 * IPv6 /64 prefixes, the block one subscriber usually holds.
 *
 * Memory is bounded: past {@link MAX_BUCKETS} buckets per dimension and kind,
 * the full (idle) ones are dropped, then the oldest; dropping a full bucket
 * changes nothing.
 *
 * @module
 */
import { isIPv6 } from "node:net";
import type { DimensionLimits, Rate } from "../config-limits.js";
import { AppError } from "../node/app-error.js";
import type { Principal } from "../node/principal.js";
import type { Dimension } from "./operation-classes.js";

/** Most buckets kept per dimension and kind (key or address). */
export const MAX_BUCKETS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** One kind of limit (per key or per address) of one dimension. */
class Buckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rate: Rate) {}

  /** Tokens `id` has at `now` (the bucket is not changed). */
  level(id: string, now: number): number {
    const b = this.buckets.get(id);
    if (b === undefined) return this.rate.burst;
    return Math.min(this.rate.burst, b.tokens + ((now - b.at) * this.rate.burst) / this.rate.periodMs);
  }

  /** Whole seconds until `id` has a token again. */
  retryAfter(id: string, now: number): number {
    const missing = 1 - this.level(id, now);
    return Math.max(1, Math.ceil((missing * this.rate.periodMs) / this.rate.burst / 1000));
  }

  take(id: string, now: number): void {
    const tokens = this.level(id, now) - 1;
    this.buckets.delete(id);
    this.buckets.set(id, { tokens, at: now });
    if (this.buckets.size > MAX_BUCKETS) this.trim(now);
  }

  private trim(now: number): void {
    for (const [id] of this.buckets) if (this.level(id, now) >= this.rate.burst) this.buckets.delete(id);
    // Still too many active clients: forget the least recently seen.
    for (const [id] of this.buckets) {
      if (this.buckets.size <= MAX_BUCKETS * 0.9) break;
      this.buckets.delete(id);
    }
  }
}

export class RateLimiter {
  private readonly perKey = new Map<Dimension, Buckets>();
  private readonly perIp = new Map<Dimension, Buckets>();

  constructor(
    limits: Readonly<Record<Dimension, DimensionLimits>>,
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const [dimension, l] of Object.entries(limits) as [Dimension, DimensionLimits][]) {
      if (l.perKey !== null) this.perKey.set(dimension, new Buckets(l.perKey));
      if (l.perIp !== null) this.perIp.set(dimension, new Buckets(l.perIp));
    }
  }

  /**
   * Counts one request of `dimension` against the caller's key and address.
   * @throws AppError quota_exceeded naming the exhausted limit.
   */
  take(dimension: Dimension, principal: Principal, ip: string): void {
    const now = this.now();
    const byIp = this.perIp.get(dimension);
    const byKey = principal.keyId === null ? undefined : this.perKey.get(dimension);
    const address = byIp === undefined ? "" : addressBlock(ip);
    if (byIp !== undefined && byIp.level(address, now) < 1) {
      throw quotaExceeded(dimension, `ip:${address}`, byIp.retryAfter(address, now));
    }
    const key = `key:${principal.keyId}`;
    if (byKey !== undefined && byKey.level(key, now) < 1) {
      // The key's entity names the limited principal, as the reference's body does.
      throw quotaExceeded(dimension, principal.entityUri, byKey.retryAfter(key, now));
    }
    byIp?.take(address, now);
    byKey?.take(key, now);
  }
}

/** The reference's names of the dimensions in a 429 body (its `rate_limit.py`), which its clients read. */
const WIRE_DIMENSION: Readonly<Record<Dimension, string>> = { write: "fact_write", read: "fact_read", token: "token_issue" };

/**
 * `principal` is the limited key's entity URI (the reference's field), or
 * `ip:<address>` for a per-address limit (ours: the reference has none).
 */
function quotaExceeded(dimension: Dimension, principal: string, retryAfter: number): AppError {
  return new AppError("quota_exceeded", `rate limit for ${dimension} requests of ${principal} reached; retry after ${retryAfter} s`, {
    details: { error: "quota_exceeded", dimension: WIRE_DIMENSION[dimension], principal, retry_after: retryAfter },
    retryAfterS: retryAfter,
  });
}

/** The address a limit applies to: IPv4 as is, IPv6 as its /64 prefix. */
export function addressBlock(ip: string): string {
  const plain = ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
  if (!isIPv6(plain)) return plain;
  const [head = "", tail] = plain.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
