/**
 * The `STIGMEM_*` variables that bound what clients can make the node do:
 * connection timeouts and caps, load shedding, and per-key and per-IP rate
 * limits (issue 15). Parsed once by `loadConfig` (config.ts); the defaults
 * and why they were chosen are in README.md.
 *
 * @module
 */
/** Rate-limit dimensions (protocol.md §7): writes, reads with recall, and key or token issue. */
export const DIMENSIONS = ["write", "read", "token"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A token-bucket rate: up to `burst` at once, refilled at `burst` per `periodMs`. */
export interface Rate {
  readonly burst: number;
  readonly periodMs: number;
}

/** Per-key and per-IP rates of one dimension; null means unlimited. */
export interface DimensionLimits {
  readonly perKey: Rate | null;
  readonly perIp: Rate | null;
}

export interface ServerLimits {
  /** Time to receive each request's headers (and an HTTP/2 connection's first stream). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  readonly requestTimeoutMs: number;
  /** Idle time after which a keep-alive connection or HTTP/2 session is closed. */
  readonly idleTimeoutMs: number;
  /** Most connections open at once. */
  readonly maxConnections: number;
  /** Most requests being served at once; more wait in the queue. */
  readonly maxInFlight: number;
  /** Most requests waiting; beyond, 503 `overloaded`. */
  readonly maxQueued: number;
  /** Longest wait in the queue before 503 `overloaded`. */
  readonly queueTimeoutMs: number;
  /** Rate limits per dimension (protocol.md §7). */
  readonly rateLimits: Readonly<Record<Dimension, DimensionLimits>>;
}

/** A variable that cannot be used; config.ts turns it into its ConfigError. */
export class LimitError extends Error {
  override readonly name = "LimitError";
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Defaults of the rate limits: only credential issue is limited unless configured (README.md). */
const DEFAULT_RATES: Readonly<Record<Dimension, { key: string; ip: string }>> = {
  write: { key: "off", ip: "off" },
  read: { key: "off", ip: "off" },
  token: { key: "60/min", ip: "60/min" },
};

/** Parses the limit variables. @throws LimitError naming the first invalid one. */
export function parseServerLimits(env: Env): ServerLimits {
  const headersTimeoutMs = wholeNumber(env, "STIGMEM_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000);
  const requestTimeoutMs = wholeNumber(env, "STIGMEM_REQUEST_TIMEOUT_MS", 60_000, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new LimitError("STIGMEM_REQUEST_TIMEOUT_MS", `must not be below STIGMEM_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`);
  }
  const rateLimits = {} as Record<Dimension, DimensionLimits>;
  for (const dimension of ["write", "read", "token"] as const) {
    const name = `STIGMEM_RATE_LIMIT_${dimension.toUpperCase()}`;
    rateLimits[dimension] = {
      perKey: parseRate(name, env[name] ?? DEFAULT_RATES[dimension].key),
      perIp: parseRate(`${name}_PER_IP`, env[`${name}_PER_IP`] ?? DEFAULT_RATES[dimension].ip),
    };
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    idleTimeoutMs: wholeNumber(env, "STIGMEM_IDLE_TIMEOUT_MS", 72_000, 100, 3_600_000),
    maxConnections: wholeNumber(env, "STIGMEM_MAX_CONNECTIONS", 1_024, 1, 1_000_000),
    maxInFlight: wholeNumber(env, "STIGMEM_MAX_IN_FLIGHT", 64, 1, 100_000),
    maxQueued: wholeNumber(env, "STIGMEM_MAX_QUEUED", 512, 0, 1_000_000),
    queueTimeoutMs: wholeNumber(env, "STIGMEM_QUEUE_TIMEOUT_MS", 5_000, 1, 600_000),
    rateLimits,
  };
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max)) throw new LimitError(name, `must be a whole number from ${min} to ${max} (got "${env[name]}")`);
  return n;
}

const PERIODS: Readonly<Record<string, number>> = {
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
};

/**
 * `off` (or `0`) for no limit, else `N/s`, `N/min` or `N/h`: N requests at
 * once, refilled at N per period.
 */
export function parseRate(name: string, value: string): Rate | null {
  const v = value.trim().toLowerCase();
  if (v === "off" || v === "0" || v === "") return null;
  const m = /^(\d{1,9})\s*\/\s*([a-z]+)$/.exec(v);
  const periodMs = m === null ? undefined : PERIODS[m[2]!];
  if (m === null || periodMs === undefined || Number(m[1]) < 1) {
    throw new LimitError(name, `must be off or a rate like 100/s, 600/min or 1000/h (got "${value}")`);
  }
  return { burst: Number(m[1]), periodMs };
}
