/**
 * Latency samples and throughput arithmetic for the benchmarks.
 *
 * @module
 */

/** Latency samples in nanoseconds. */
export class Samples {
  private readonly ns: number[] = [];

  add(ns: number): void {
    this.ns.push(ns);
  }

  get count(): number {
    return this.ns.length;
  }

  /** Adds every sample of `other`. */
  merge(other: Samples): void {
    for (const ns of other.ns) this.ns.push(ns);
  }

  /** Nearest-rank percentile in milliseconds (p in 0..100). */
  percentileMs(p: number): number {
    if (this.ns.length === 0) return Number.NaN;
    const sorted = [...this.ns].sort((a, b) => a - b);
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return sorted[rank - 1]! / 1e6;
  }

  meanMs(): number {
    if (this.ns.length === 0) return Number.NaN;
    return this.ns.reduce((a, b) => a + b, 0) / this.ns.length / 1e6;
  }
}

/** Monotonic nanoseconds as a number (safe for ~104 days of uptime differences). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function fmtBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function fmtDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}
