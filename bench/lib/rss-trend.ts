/**
 * Whether a node's resident set stayed flat over a soak: the least-squares
 * slope of RSS over the samples after the warm-up, projected over that
 * span, must grow RSS by less than 5 % of its size when the warm-up ended
 * (or 16 MiB, whichever is larger). A slope rather than end minus start, so
 * one sample taken in the middle of a garbage collection decides nothing.
 *
 * @module
 */

const MIB = 1024 * 1024;

/** One sample of a node's memory. */
export interface MemorySample {
  /** Seconds since the load started. */
  readonly atS: number;
  readonly rss: number;
  /** The node's JavaScript heap in use (its /metrics), to tell heap growth from native memory. */
  readonly heap: number;
  /** Rows recall keeps in memory (bounded by STIGMEM_RECALL_CACHE_ROWS): heap that grows with them is a cache filling. */
  readonly cachedRows: number;
  /** Where the resident set is, to tell a leak from a cache filling (see {@link MemoryDetail}). */
  readonly detail: MemoryDetail;
}

/** The parts of a node's memory that tell its growth apart. */
export interface MemoryDetail {
  /** V8's heap of the main thread, reserved (used is {@link MemorySample.heap}). */
  readonly heapTotal: number;
  /** Memory of the main thread's ArrayBuffers and Buffers, outside the heap. */
  readonly external: number;
  /** Anonymous resident memory (/proc status RssAnon): every heap, malloc (SQLite's page cache) and WebAssembly memory. */
  readonly rssAnon: number;
  /** Resident file-backed pages (RssFile): code, and any memory-mapped file. */
  readonly rssFile: number;
  /** Resident shared memory (RssShmem): SQLite's WAL index (`-shm`). */
  readonly rssShmem: number;
  /** The database file on disk (without its WAL): while it is smaller than SQLite's page cache, the cache can still grow. */
  readonly dbBytes: number;
  /** Its write-ahead log on disk. */
  readonly walBytes: number;
}

export interface RssTrend {
  readonly start: MemorySample;
  /** The first sample after the warm-up (the last one when the run was shorter). */
  readonly base: MemorySample;
  readonly last: MemorySample;
  readonly peakRss: number;
  /** Bytes per second after the warm-up. */
  readonly growthPerS: number;
  /** Growth the slope gives over the span after the warm-up. */
  readonly projected: number;
  readonly allowed: number;
  readonly flat: boolean;
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/**
 * When a node's warm-up ends: at `minS` at the earliest, and not before its
 * bounded caches have filled — SQLite's page cache (`pageCacheBytes`) can
 * hold every page of a database smaller than itself, so it may grow until
 * the database file is larger; recall's row cache has filled once it first
 * held 90 % of `cacheRows` (it then varies with what is evicted; pass 0 for
 * a node that serves no recalls). Infinity when that never happened.
 */
export function warmupEnd(samples: readonly MemorySample[], minS: number, pageCacheBytes: number, cacheRows: number): number {
  let rowsFull = cacheRows === 0;
  for (const x of samples) {
    rowsFull ||= x.cachedRows >= 0.9 * cacheRows;
    if (x.atS >= minS && rowsFull && x.detail.dbBytes >= pageCacheBytes) return x.atS;
  }
  return Infinity;
}

/** The trend of `samples` (in time order, the first at the load's start) after `warmupS` seconds. */
export function rssTrend(samples: readonly MemorySample[], warmupS: number): RssTrend {
  const after = samples.filter((x) => x.atS >= warmupS);
  const last = samples[samples.length - 1]!;
  const base = after[0] ?? last;
  const growthPerS = slope(after.map((x) => ({ x: x.atS, y: x.rss })));
  const projected = growthPerS * (last.atS - base.atS);
  const allowed = Math.max(0.05 * base.rss, 16 * MIB);
  return {
    start: samples[0]!,
    base,
    last,
    peakRss: Math.max(...samples.map((x) => x.rss)),
    growthPerS,
    projected,
    allowed,
    flat: after.length >= 2 && projected < allowed,
  };
}
