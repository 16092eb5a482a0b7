/**
 * The quantized index for semantic search at scale, held in memory:
 * - one sign bit per component (1M facts × 100 dims = 16 MB), compared
 *   with the query by Hamming distance in a linear scan;
 * - for models of at most {@link INT8_MAX_DIMS} dimensions, an int8 copy of
 *   each vector (≈ 112 MB per million at 100 dims) that re-ranks the Hamming
 *   candidates by dot product, and whose dot products are the similarities
 *   recall uses (within about 1e-3 of the float cosine): reading float
 *   vectors back from vec0 costs ~10 µs each, more than the rest of the
 *   search for the hundreds of hits recall asks for.
 * Wider models keep sign bits only; the caller rescores their Hamming
 * candidates with the float vectors from vec0.
 *
 * Both passes run as WebAssembly SIMD kernels (`wasm/quantized-search.wat`)
 * over one shared memory that holds the whole index: one call scans every
 * row (a 16-byte XOR and popcount per row at 100 dims), one collects the
 * candidates, one scores them. A search of 1M rows on the embedder's worker
 * takes ~6 ms, against ~19 ms for the JavaScript loops they replaced.
 *
 * Why not vec0's own KNN for this: sqlite-vec 0.1.9 selects the top k of
 * every chunk in O(k × chunk), so a query costs O(N × k); with the k recall
 * needs (hundreds) that is ~0.4 s at 1M vectors, bit or float alike. The
 * candidate selection here uses a histogram of the distances instead, which
 * is O(N) whatever the number of candidates.
 *
 * @module
 */

import { QUANTIZED_SEARCH_WASM } from "../../gen/wasm/quantized-search.js";

import { INT8_MAX_DIMS } from "../store/vector-store.js";

export { INT8_MAX_DIMS };

/** Rowids below this are looked up in a flat array (4 bytes per rowid), larger ones in a map. */
const DENSE_ROWIDS = 1 << 26;

/** Most Hamming candidates one search may take (callers ask for at most ~10,000). */
export const MAX_CANDIDATES = 16_384;

/**
 * Scratch areas in an index's memory, one per search running at that moment
 * (the main thread and the embedder's worker; spares cover a worker that
 * died mid-search and never gave its area back).
 */
const SCRATCH_SLOTS = 4;

/** Number of 16-bit words of a code for `dims` components. */
export function codeWords(dims: number): number {
  return Math.ceil(dims / 16);
}

/** The sign bits of `v` (bit set where the component is > 0), packed into 16-bit words. */
export function signCode(v: Float32Array): Uint16Array {
  const code = new Uint16Array(codeWords(v.length));
  for (let d = 0; d < v.length; d++) if (v[d]! > 0) code[d >> 4]! |= 1 << (d & 15);
  return code;
}

/** An int8 copy of a unit vector: 4 bytes float32 scale, then one byte per component. */
export function int8Code(v: Float32Array): Uint8Array {
  const out = new Uint8Array(4 + v.length);
  let max = 0;
  for (let d = 0; d < v.length; d++) max = Math.max(max, Math.abs(v[d]!));
  const scale = max / 127 || 1;
  new DataView(out.buffer).setFloat32(0, scale, true);
  const q = new Int8Array(out.buffer, 4);
  for (let d = 0; d < v.length; d++) q[d] = Math.round(v[d]! / scale);
  return out;
}

/**
 * Indexes of the `keep` largest of `values` (no NaN), ties broken by the
 * lower index (what a stable sort by descending value would put first), in
 * ascending index order. A selection over a copy finds the cut-off value in
 * linear time (recall ranks thousands of candidates per query); no
 * objects are sorted.
 */
export function topPositions(values: Float64Array, keep: number): number[] {
  const n = values.length;
  if (keep >= n) return Array.from({ length: n }, (_, p) => p);
  if (keep <= 0) return [];
  const cut = nthSmallest(Float64Array.from(values), n - keep);
  // Values equal to the cut-off that fit: keep minus those strictly above it.
  let above = 0;
  for (let p = 0; p < n; p++) if (values[p]! > cut) above++;
  let atCut = keep - above;
  const out: number[] = [];
  for (let p = 0; p < n; p++) {
    const v = values[p]!;
    if (v > cut) out.push(p);
    else if (v === cut && atCut > 0) {
      out.push(p);
      atCut--;
    }
  }
  return out;
}

/** The `k`-th smallest (0-based) of `a` (no NaN), reordering `a`: Hoare's selection. */
function nthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** `code`'s 16-bit words as `words32` 32-bit words (low half first; a missing half is 0). */
function toWords32(code: Uint16Array, words32: number, out: Uint32Array = new Uint32Array(words32), at = 0): Uint32Array {
  for (let j = 0; j < words32; j++) out[at + j] = ((code[2 * j] ?? 0) | ((code[2 * j + 1] ?? 0) << 16)) >>> 0;
  return out;
}

/**
 * The arrays a search scans: views of one shared WebAssembly memory, so that
 * a worker thread can search them in place (see `offline-embed-worker.ts`)
 * while the main thread keeps adding rows, and so that the search kernels
 * can read them. Rows are only ever appended: a row below `size[0]` is
 * complete and never changes, so a reader that loads the size with
 * `Atomics.load` may read every row below it without a lock. Growing
 * allocates a new memory (the old one stays valid for readers holding it).
 */
export interface IndexArrays {
  readonly dims: number;
  /** 32-bit words per code in `codes`: whole 16-byte chunks, the padding 0. */
  readonly words32: number;
  /** Bytes per row of `q8`: `dims` rounded up to a multiple of 16, the padding 0. */
  readonly q8stride: number;
  /** The memory every array here is a view of. */
  readonly memory: WebAssembly.Memory;
  /**
   * `[0]`: rows written, stored with `Atomics.store` after each row is
   * complete; `[1 + k]`: 1 while a search uses `scratch[k]`.
   */
  readonly size: Int32Array;
  readonly rowids: Float64Array;
  /** Scope id of each row (see {@link QuantizedIndex.allowedMask}). */
  readonly scopes: Uint8Array;
  readonly codes: Uint32Array;
  /** The int8 copies (`q8stride` bytes per row) and their scales; null without int8 copies. */
  readonly q8: Int8Array | null;
  readonly q8scale: Float32Array | null;
  readonly scratch: readonly Scratch[];
}

/** Where one search puts its inputs and intermediate results for the kernels. */
interface Scratch {
  /** Scope ids the search may return (1 = allowed), all 256 of them. */
  readonly allowed: Uint8Array;
  /** The query's sign code, as the rows' codes. */
  readonly code: Uint32Array;
  /** The query vector as f64, `q8stride` long (the padding 0). */
  readonly query: Float64Array;
  /** Rows per Hamming distance. */
  readonly hist: Uint32Array;
  /** Hamming distance of each row (0xFFFF: scope not allowed). */
  readonly dist: Uint16Array;
  /** Positions of the candidates. */
  readonly candidates: Uint32Array;
  /** The candidates' int8 dot products. */
  readonly dots: Float64Array;
}

/** The kernels of `wasm/quantized-search.wat` (arguments are byte offsets into the index's memory). */
interface Kernels {
  hamming(codes: number, scopes: number, allowed: number, n: number, query: number, chunks: number, dist: number, hist: number): void;
  collect(dist: number, n: number, cut: number, atCut: number, out: number): number;
  dots(q8: number, stride: number, scales: number, candidates: number, count: number, query: number, out: number): void;
  dots8(q8: number, stride: number, a: number, rows: number, count: number, out: number): void;
}

/** Cosine similarities among a fixed list of vectors, by their places in that list. */
export interface Cosines {
  /** The cosine of the `i`-th and `j`-th vectors, clamped to [0, 1]; 0 when either is missing. */
  cosine(i: number, j: number): number;
}

/** A WebAssembly memory (32-bit) holds at most 65,536 pages of 64 KiB: 4 GiB. */
const MAX_PAGES = 65536;

/** Where each array of an index of `capacity` rows lies in its memory, and the bytes they take. */
function layout(dims: number, withInt8: boolean, capacity: number) {
  const words32 = 4 * Math.ceil(Math.ceil(codeWords(dims) / 2) / 4);
  const q8stride = withInt8 ? 16 * Math.ceil(dims / 16) : 0;
  const candidates = Math.min(capacity, MAX_CANDIDATES);
  let bytes = 0;
  const take = (n: number): number => {
    const at = Math.ceil(bytes / 16) * 16;
    bytes = at + n;
    return at;
  };
  const at = {
    size: take(4 * (1 + SCRATCH_SLOTS)),
    rowids: take(8 * capacity),
    scopes: take(capacity),
    codes: take(4 * words32 * capacity),
    q8: take(q8stride * capacity),
    q8scale: take(withInt8 ? 4 * capacity : 0),
    scratch: Array.from({ length: SCRATCH_SLOTS }, () => ({
      allowed: take(256),
      code: take(4 * words32),
      query: take(8 * q8stride),
      hist: take(4 * (32 * words32 + 2)),
      dist: take(2 * capacity),
      candidates: take(4 * candidates),
      dots: take(8 * candidates),
    })),
  };
  return { words32, q8stride, candidates, at, pages: Math.ceil(bytes / 65536) };
}

/**
 * The most rows an index of `dims` components can hold in one memory
 * (~16.7M at 100 dimensions with int8 copies, ~149 bytes per row).
 */
export function maxRows(dims: number, withInt8: boolean): number {
  let lo = 0;
  let hi = 2 ** 32;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (layout(dims, withInt8, mid).pages <= MAX_PAGES) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Arrays for `capacity` rows, holding a copy of every row of `from` when given. */
function allocate(dims: number, withInt8: boolean, capacity: number, from?: IndexArrays): IndexArrays {
  const { words32, q8stride, candidates, at, pages } = layout(dims, withInt8, capacity);
  if (pages > MAX_PAGES) throw new RangeError(`the quantized index cannot hold ${capacity} rows of ${dims} dimensions (4 GiB)`);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buffer = memory.buffer;
  const a: IndexArrays = {
    dims,
    words32,
    q8stride,
    memory,
    size: new Int32Array(buffer, at.size, 1 + SCRATCH_SLOTS),
    rowids: new Float64Array(buffer, at.rowids, capacity),
    scopes: new Uint8Array(buffer, at.scopes, capacity),
    codes: new Uint32Array(buffer, at.codes, words32 * capacity),
    q8: withInt8 ? new Int8Array(buffer, at.q8, q8stride * capacity) : null,
    q8scale: withInt8 ? new Float32Array(buffer, at.q8scale, capacity) : null,
    scratch: at.scratch.map((o) => ({
      allowed: new Uint8Array(buffer, o.allowed, 256),
      code: new Uint32Array(buffer, o.code, words32),
      query: new Float64Array(buffer, o.query, q8stride),
      hist: new Uint32Array(buffer, o.hist, 32 * words32 + 2),
      dist: new Uint16Array(buffer, o.dist, capacity),
      candidates: new Uint32Array(buffer, o.candidates, candidates),
      dots: new Float64Array(buffer, o.dots, candidates),
    })),
  };
  if (from !== undefined) {
    a.rowids.set(from.rowids);
    a.scopes.set(from.scopes);
    a.codes.set(from.codes);
    if (a.q8 !== null) {
      a.q8.set(from.q8!);
      a.q8scale!.set(from.q8scale!);
    }
    Atomics.store(a.size, 0, Atomics.load(from.size, 0));
  }
  return a;
}

/** Rows of `a` a reader may scan: every complete one. */
function readableRows(a: IndexArrays): number {
  return Math.min(Atomics.load(a.size, 0), a.rowids.length);
}

let compiled: WebAssembly.Module | undefined;
/** This thread's kernels over each index memory it has searched. */
const kernelsByMemory = new WeakMap<WebAssembly.Memory, Kernels>();

function kernelsOf(memory: WebAssembly.Memory): Kernels {
  let k = kernelsByMemory.get(memory);
  if (k === undefined) {
    compiled ??= new WebAssembly.Module(QUANTIZED_SEARCH_WASM);
    k = new WebAssembly.Instance(compiled, { index: { memory } }).exports as unknown as Kernels;
    kernelsByMemory.set(memory, k);
  }
  return k;
}

/** Runs `search` with this thread's kernels over `a` and a scratch area no other search is using. */
function withScratch<T>(a: IndexArrays, search: (kernels: Kernels, s: Scratch) => T): T {
  const kernels = kernelsOf(a.memory);
  for (let k = 0; k < a.scratch.length; k++) {
    if (Atomics.compareExchange(a.size, 1 + k, 0, 1) !== 0) continue;
    try {
      return search(kernels, a.scratch[k]!);
    } finally {
      Atomics.store(a.size, 1 + k, 0);
    }
  }
  throw new Error(`all ${a.scratch.length} scratch areas of the quantized index are in use`);
}

/**
 * The `keep` rows of `a` nearest to the unit vector `query` among its `c`
 * nearest by Hamming distance within the `allowed` scope ids, with their int8
 * dot products (the cosine with a unit query, to about 1e-3), best first
 * (ties: lower rowid first). Requires int8 copies. Runs on either thread.
 */
export function searchInt8(a: IndexArrays, allowed: Uint8Array, query: Float32Array, c: number, keep: number): { rowid: number; dot: number }[] {
  if (a.q8 === null) throw new Error("the index keeps no int8 copies");
  return withScratch(a, (kernels, s) => {
    const count = hammingNearest(kernels, a, s, allowed, signCode(query), c);
    s.query.fill(0);
    s.query.set(query.subarray(0, a.dims));
    kernels.dots(a.q8!.byteOffset, a.q8stride, a.q8scale!.byteOffset, s.candidates.byteOffset, count, s.query.byteOffset, s.dots.byteOffset);
    const dots = s.dots.subarray(0, count);
    const out = topPositions(dots, keep).map((p) => ({ rowid: a.rowids[s.candidates[p]!]!, dot: dots[p]! }));
    return out.sort((x, y) => y.dot - x.dot || x.rowid - y.rowid);
  });
}

/**
 * Puts in `s.candidates` the positions of the `c` rows of `a` within the
 * `allowed` scope ids nearest to `query` by Hamming distance (ties at the
 * cut-off in index order), in index order; returns how many there are.
 */
function hammingNearest(kernels: Kernels, a: IndexArrays, s: Scratch, allowed: Uint8Array, query: Uint16Array, c: number): number {
  const size = readableRows(a);
  const want = Math.max(0, Math.min(Math.floor(c), size));
  if (want > s.candidates.length) throw new RangeError(`at most ${MAX_CANDIDATES} candidates per search, not ${c}`);
  s.allowed.set(allowed.subarray(0, 256));
  toWords32(query, a.words32, s.code);
  s.hist.fill(0);
  kernels.hamming(a.codes.byteOffset, a.scopes.byteOffset, s.allowed.byteOffset, size, s.code.byteOffset, a.words32 / 4, s.dist.byteOffset, s.hist.byteOffset);
  // The smallest distance `cut` such that at least `want` rows are within it.
  const hist = s.hist;
  const maxDist = a.words32 * 32;
  let cut = 0;
  let below = 0;
  while (cut <= maxDist && below + hist[cut]! < want) below += hist[cut++]!;
  return kernels.collect(s.dist.byteOffset, size, cut, want - below, s.candidates.byteOffset);
}

export class QuantizedIndex {
  readonly words: number;
  private arraysValue: IndexArrays;
  /**
   * Position + 1 of each rowid (0 = absent), indexed by rowid: fact rowids
   * are dense, so this is 4 bytes per fact and an O(1) lookup for
   * {@link vector}, whatever order the vectors were added in. Rowids from
   * {@link DENSE_ROWIDS} on go in `far`.
   */
  private positions = new Int32Array(1024);
  private far = new Map<number, number>();
  private readonly scopeIds = new Map<string, number>();
  private readonly perScope: number[] = [];

  /** Rows the index can hold: {@link maxRows}, or less when a test says so. */
  readonly capacity: number;

  /**
   * An index for vectors of `dims` components; `withInt8` defaults to dims ≤
   * {@link INT8_MAX_DIMS}; `capacity` lowers {@link maxRows} (tests fill it).
   */
  constructor(
    readonly dims: number,
    withInt8 = dims <= INT8_MAX_DIMS,
    capacity = Infinity,
  ) {
    this.words = codeWords(dims);
    this.capacity = Math.min(capacity, maxRows(dims, withInt8));
    this.arraysValue = allocate(dims, withInt8, Math.min(1024, this.capacity));
  }

  /**
   * The arrays searches scan, for a worker thread; replaced (not changed) when
   * the index grows, so compare by identity to know whether to send them again.
   */
  get arrays(): IndexArrays {
    return this.arraysValue;
  }

  /** Rows of the index. */
  get count(): number {
    return Atomics.load(this.arraysValue.size, 0);
  }

  /** Whether candidates are re-ranked with int8 copies. */
  get hasInt8(): boolean {
    return this.arraysValue.q8 !== null;
  }

  /**
   * Adds a vector by its codes; `q8` (see {@link int8Code}) is required when
   * the index keeps int8 copies. False, and nothing added, once the index
   * holds {@link capacity} rows.
   */
  add(rowid: number, scope: string, code: Uint16Array, q8?: Uint8Array | null): boolean {
    if (code.length !== this.words) throw new RangeError(`code has ${code.length} words, index ${this.words}`);
    if (this.hasInt8 && (q8 == null || q8.length !== 4 + this.dims)) {
      throw new RangeError(`an int8 copy of ${this.dims} components is required`);
    }
    let a = this.arraysValue;
    const i = this.count;
    if (i === a.rowids.length) {
      if (i >= this.capacity) return false;
      a = this.arraysValue = allocate(this.dims, this.hasInt8, Math.min(2 * i, this.capacity), a);
    }
    let s = this.scopeIds.get(scope);
    if (s === undefined) {
      s = this.scopeIds.size;
      if (s > 254) throw new RangeError("too many scopes");
      this.scopeIds.set(scope, s);
      this.perScope.push(0);
    }
    this.setPosition(rowid, i);
    a.rowids[i] = rowid;
    a.scopes[i] = s;
    toWords32(code, a.words32, a.codes, i * a.words32);
    if (a.q8 !== null) {
      a.q8scale![i] = new DataView(q8!.buffer, q8!.byteOffset, 4).getFloat32(0, true);
      a.q8.set(new Int8Array(q8!.buffer, q8!.byteOffset + 4, this.dims), i * a.q8stride);
    }
    this.perScope[s]!++;
    // Published last: a reader on another thread sees the row only once it is complete.
    Atomics.store(a.size, 0, i + 1);
    return true;
  }

  /** How many indexed vectors lie in `scopes` (all when null). */
  countIn(scopes: readonly string[] | null): number {
    if (scopes === null) return this.count;
    let n = 0;
    for (const scope of new Set(scopes)) {
      const s = this.scopeIds.get(scope);
      if (s !== undefined) n += this.perScope[s]!;
    }
    return n;
  }

  /** The scope ids of `scopes` (all when null) as a mask over the 256 possible ids, for {@link searchInt8}. */
  allowedMask(scopes: readonly string[] | null): Uint8Array {
    const allowed = new Uint8Array(256);
    if (scopes === null) allowed.fill(1);
    else
      for (const scope of scopes) {
        const s = this.scopeIds.get(scope);
        if (s !== undefined) allowed[s] = 1;
      }
    return allowed;
  }

  /** Whether `rowid` has a vector in the index. */
  has(rowid: number): boolean {
    return this.positionOf(rowid) >= 0;
  }

  /**
   * The int8 copy of `rowid`'s vector, scaled back to floats; undefined when
   * the index keeps no int8 copies or does not hold the rowid.
   */
  vector(rowid: number): Float32Array | undefined {
    const a = this.arraysValue;
    if (a.q8 === null) return undefined;
    const i = this.positionOf(rowid);
    if (i < 0) return undefined;
    const out = new Float32Array(this.dims);
    const scale = a.q8scale![i]!;
    for (let d = 0, o = i * a.q8stride; d < this.dims; d++, o++) out[d] = a.q8[o]! * scale;
    return out;
  }

  /**
   * The dot product of `query` with the int8 copy of each of `rowids`, scaled
   * back (what a search scores it by); NaN for a rowid the index lacks.
   * Requires int8 copies.
   */
  dotsWith(query: Float32Array, rowids: readonly number[]): Float64Array {
    const a = this.arraysValue;
    const q8 = a.q8;
    if (q8 === null) throw new Error("the index keeps no int8 copies");
    const out = new Float64Array(rowids.length);
    const dims = Math.min(this.dims, query.length);
    rowids.forEach((rowid, k) => {
      const i = this.positionOf(rowid);
      if (i < 0) {
        out[k] = Number.NaN;
        return;
      }
      let s = 0;
      for (let d = 0, o = i * a.q8stride; d < dims; d++, o++) s += q8[o]! * query[d]!;
      out[k] = s * a.q8scale![i]!;
    });
    return out;
  }

  /**
   * Rowids of up to `c` vectors of `scopes` (all when null) nearest to
   * `query` by Hamming distance; ties at the cut-off are taken in index order.
   */
  candidates(query: Uint16Array, scopes: readonly string[] | null, c: number): number[] {
    const a = this.arraysValue;
    return withScratch(a, (kernels, s) => {
      const count = hammingNearest(kernels, a, s, this.allowedMask(scopes), query, c);
      return Array.from(s.candidates.subarray(0, count), (i) => a.rowids[i]!);
    });
  }

  /**
   * The `keep` vectors nearest to `query` among its `c` nearest by Hamming
   * distance, with their int8 dot products, best first (ties: lower rowid
   * first). Requires int8 copies. See {@link searchInt8}.
   */
  scored(query: Float32Array, scopes: readonly string[] | null, c: number, keep: number): { rowid: number; dot: number }[] {
    return searchInt8(this.arraysValue, this.allowedMask(scopes), query, c, keep);
  }

  /**
   * The cosines among the int8 copies of `rowids` (recall's MMR compares its
   * items with them). Each `i` the caller asks about gets its whole row
   * computed at once: one kernel call, exact integer dot products, divided
   * by the two norms. Requires int8 copies.
   */
  cosines(rowids: readonly number[]): Cosines {
    const a = this.arraysValue;
    const q8 = a.q8;
    if (q8 === null) throw new Error("the index keeps no int8 copies");
    const n = rowids.length;
    const limit = a.scratch[0]!.candidates.length;
    if (n > limit) throw new RangeError(`at most ${limit} vectors compared at once, not ${n}`);
    const positions = Int32Array.from(rowids, (r) => this.positionOf(r));
    const norms = Float64Array.from(positions, (i) => {
      if (i < 0) return 0;
      let s = 0;
      for (let o = i * a.q8stride, end = o + this.dims; o < end; o++) s += q8[o]! * q8[o]!;
      return s;
    });
    const rows: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(n);
    const row = (i: number): Float64Array => {
      const out = new Float64Array(n);
      if (positions[i]! < 0 || norms[i] === 0) return out;
      withScratch(a, (kernels, s) => {
        s.candidates.set(positions);
        kernels.dots8(q8.byteOffset, a.q8stride, positions[i]!, s.candidates.byteOffset, n, s.dots.byteOffset);
        const dots = s.dots;
        const own = norms[i]!;
        for (let j = 0; j < n; j++) {
          if (norms[j] === 0) continue;
          const c = dots[j]! / Math.sqrt(own * norms[j]!);
          out[j] = c < 0 ? 0 : c > 1 ? 1 : c;
        }
      });
      return out;
    };
    return {
      cosine: (i, j) => (rows[i] ??= row(i))[j]!,
    };
  }

  /** Position of `rowid` in the arrays, or −1. */
  private positionOf(rowid: number): number {
    return rowid >= DENSE_ROWIDS ? (this.far.get(rowid) ?? -1) : rowid >= 0 ? (this.positions[rowid] ?? 0) - 1 : -1;
  }

  private setPosition(rowid: number, position: number): void {
    if (!Number.isSafeInteger(rowid) || rowid < 0) throw new RangeError(`invalid rowid ${rowid}`);
    if (rowid >= DENSE_ROWIDS) {
      this.far.set(rowid, position);
      return;
    }
    if (rowid >= this.positions.length) {
      let n = this.positions.length;
      while (n <= rowid) n *= 2;
      const grown = new Int32Array(n);
      grown.set(this.positions);
      this.positions = grown;
    }
    this.positions[rowid] = position + 1;
  }
}
