/**
 * The quantized index for semantic search at scale, held in memory:
 * - one sign bit per component (1M facts × 100 dims ≈ 16 MB in 32-bit
 *   words), compared with the query by Hamming distance in a linear scan
 *   with a bitwise popcount (~7 ms per million);
 * - for models of at most {@link INT8_MAX_DIMS} dimensions, an int8 copy of
 *   each vector (≈ 100 MB per million at 100 dims) that re-ranks the Hamming
 *   candidates by dot product in well under a millisecond, and whose dot
 *   products are the similarities recall uses (within about 1e-3 of the
 *   float cosine): reading float vectors back from vec0 costs ~10 µs each,
 *   more than the rest of the search for the hundreds of hits recall asks for.
 * Wider models keep sign bits only; the caller rescores their Hamming
 * candidates with the float vectors from vec0.
 *
 * Why not vec0's own KNN for this: sqlite-vec 0.1.9 selects the top k of
 * every chunk in O(k × chunk), so a query costs O(N × k); with the k recall
 * needs (hundreds) that is ~0.4 s at 1M vectors, bit or float alike. The
 * candidate selection here uses a histogram of the distances instead, which
 * is O(N) whatever the number of candidates.
 *
 * @module
 */

/** Models up to this width keep an int8 copy in memory; wider ones rescore Hamming candidates directly. */
export const INT8_MAX_DIMS = 256;

/** Rowids below this are looked up in a flat array (4 bytes per rowid), larger ones in a map. */
const DENSE_ROWIDS = 1 << 26;

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

/**
 * Set bits of a 32-bit word (SWAR): about twice as fast over a scan as a
 * 16-bit table, whose 64 KiB do not stay in the L1 cache.
 */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** `code`'s 16-bit words as `words32` 32-bit words (low half first; a missing half is 0). */
function toWords32(code: Uint16Array, words32: number, out: Uint32Array = new Uint32Array(words32), at = 0): Uint32Array {
  for (let j = 0; j < words32; j++) out[at + j] = ((code[2 * j] ?? 0) | ((code[2 * j + 1] ?? 0) << 16)) >>> 0;
  return out;
}

/**
 * The arrays a search scans, allocated on SharedArrayBuffers so that a worker
 * thread can search them in place (see `offline-embed-worker.ts`) while the
 * main thread keeps adding rows. Rows are only ever appended: a row below
 * `size[0]` is complete and never changes, so a reader that loads the size
 * with `Atomics.load` may read every row below it without a lock. Growing
 * allocates new arrays (the old ones stay valid for readers holding them).
 */
export interface IndexArrays {
  readonly dims: number;
  /** 32-bit words per code in `codes`. */
  readonly words32: number;
  /** `[0]`: rows written, stored with `Atomics.store` after each row is complete. */
  readonly size: Int32Array;
  readonly rowids: Float64Array;
  /** Scope id of each row (see {@link QuantizedIndex.allowedMask}). */
  readonly scopes: Uint8Array;
  readonly codes: Uint32Array;
  /** The int8 copies (`dims` per row) and their scales; null without int8 copies. */
  readonly q8: Int8Array | null;
  readonly q8scale: Float32Array | null;
}

/** Arrays for `capacity` rows, holding a copy of every row of `from` when given. */
function allocate(dims: number, withInt8: boolean, capacity: number, from?: IndexArrays): IndexArrays {
  const words32 = Math.ceil(codeWords(dims) / 2);
  const shared = <T extends { set(a: ArrayLike<number>): void }>(Type: new (b: SharedArrayBuffer) => T, bytes: number): T =>
    new Type(new SharedArrayBuffer(bytes));
  const a: IndexArrays = {
    dims,
    words32,
    size: shared(Int32Array, 4),
    rowids: shared(Float64Array, capacity * 8),
    scopes: shared(Uint8Array, capacity),
    codes: shared(Uint32Array, capacity * words32 * 4),
    q8: withInt8 ? shared(Int8Array, capacity * dims) : null,
    q8scale: withInt8 ? shared(Float32Array, capacity * 4) : null,
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

/**
 * The `keep` rows of `a` nearest to the unit vector `query` among its `c`
 * nearest by Hamming distance within the `allowed` scope ids, with their int8
 * dot products (see {@link int8DotsAt}), best first (ties: lower rowid
 * first). Requires int8 copies. Runs on either thread.
 */
export function searchInt8(a: IndexArrays, allowed: Uint8Array, query: Float32Array, c: number, keep: number): { rowid: number; dot: number }[] {
  if (a.q8 === null) throw new Error("the index keeps no int8 copies");
  const positions = hammingNearest(a, allowed, signCode(query), c);
  const dots = int8DotsAt(a, query, positions);
  const out = topPositions(dots, keep).map((p) => ({ rowid: a.rowids[positions[p]!]!, dot: dots[p]! }));
  return out.sort((x, y) => y.dot - x.dot || x.rowid - y.rowid);
}

/** `query` · each int8 copy at `positions`, scaled: the cosine with a unit query, to about 1e-3. */
function int8DotsAt(a: IndexArrays, query: Float32Array, positions: readonly number[]): Float64Array {
  const dims = a.dims;
  const q8 = a.q8!;
  const scale = a.q8scale!;
  const dots = new Float64Array(positions.length);
  // Four interleaved sums let the CPU overlap the multiplications (about twice as fast as one).
  const m = dims - (dims % 4);
  for (let p = 0; p < positions.length; p++) {
    const i = positions[p]!;
    const o = i * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d < m; d += 4) {
      s0 += q8[o + d]! * query[d]!;
      s1 += q8[o + d + 1]! * query[d + 1]!;
      s2 += q8[o + d + 2]! * query[d + 2]!;
      s3 += q8[o + d + 3]! * query[d + 3]!;
    }
    for (; d < dims; d++) s0 += q8[o + d]! * query[d]!;
    dots[p] = (s0 + s1 + (s2 + s3)) * scale[i]!;
  }
  return dots;
}

/** This thread's buffer for a scan's distances, grown as the index grows (a fresh one per scan was ~2 MB per search at 1M rows). */
let distances = new Uint16Array(0);

function scratchDistances(size: number): Uint16Array {
  if (distances.length < size) distances = new Uint16Array(Math.max(size, 2 * distances.length));
  return distances;
}

/** Positions of the `c` rows of `a` within the `allowed` scope ids nearest to `query` by Hamming distance. */
function hammingNearest(a: IndexArrays, allowed: Uint8Array, query: Uint16Array, c: number): number[] {
  const size = readableRows(a);
  const w = a.words32;
  const q = toWords32(query, w);
  const maxDist = w * 32;
  const none = maxDist + 1;
  const dist = scratchDistances(size);
  const hist = new Uint32Array(maxDist + 2);
  const codes = a.codes;
  const scopes = a.scopes;
  for (let i = 0, o = 0; i < size; i++, o += w) {
    if (allowed[scopes[i]!] === 0) {
      dist[i] = none;
      continue;
    }
    let d = 0;
    for (let j = 0; j < w; j++) d += popcount32(codes[o + j]! ^ q[j]!);
    dist[i] = d;
    hist[d]!++;
  }
  // The smallest distance `cut` such that at least c vectors are within it.
  let cut = 0;
  let below = 0;
  while (cut <= maxDist && below + hist[cut]! < c) below += hist[cut++]!;
  let atCut = c - below;
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const d = dist[i]!;
    if (d === none) continue;
    if (d < cut) out.push(i);
    else if (d === cut && atCut > 0) {
      out.push(i);
      atCut--;
    }
  }
  return out;
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

  /** An index for vectors of `dims` components; `withInt8` defaults to dims ≤ {@link INT8_MAX_DIMS}. */
  constructor(
    readonly dims: number,
    withInt8 = dims <= INT8_MAX_DIMS,
  ) {
    this.words = codeWords(dims);
    this.arraysValue = allocate(dims, withInt8, 1024);
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

  /** Adds a vector by its codes; `q8` (see {@link int8Code}) is required when the index keeps int8 copies. */
  add(rowid: number, scope: string, code: Uint16Array, q8?: Uint8Array | null): void {
    if (code.length !== this.words) throw new RangeError(`code has ${code.length} words, index ${this.words}`);
    if (this.hasInt8 && (q8 == null || q8.length !== 4 + this.dims)) {
      throw new RangeError(`an int8 copy of ${this.dims} components is required`);
    }
    let a = this.arraysValue;
    const i = this.count;
    if (i === a.rowids.length) a = this.arraysValue = allocate(this.dims, this.hasInt8, 2 * i, a);
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
      a.q8.set(new Int8Array(q8!.buffer, q8!.byteOffset + 4, this.dims), i * this.dims);
    }
    this.perScope[s]!++;
    // Published last: a reader on another thread sees the row only once it is complete.
    Atomics.store(a.size, 0, i + 1);
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
    for (let d = 0, o = i * this.dims; d < this.dims; d++, o++) out[d] = a.q8[o]! * scale;
    return out;
  }

  /**
   * Rowids of up to `c` vectors of `scopes` (all when null) nearest to
   * `query` by Hamming distance; ties at the cut-off are taken in index order.
   */
  candidates(query: Uint16Array, scopes: readonly string[] | null, c: number): number[] {
    const a = this.arraysValue;
    return hammingNearest(a, this.allowedMask(scopes), query, c).map((i) => a.rowids[i]!);
  }

  /**
   * The `keep` vectors nearest to `query` among its `c` nearest by Hamming
   * distance, with their int8 dot products, best first (ties: lower rowid
   * first). Requires int8 copies. See {@link searchInt8}.
   */
  scored(query: Float32Array, scopes: readonly string[] | null, c: number, keep: number): { rowid: number; dot: number }[] {
    return searchInt8(this.arraysValue, this.allowedMask(scopes), query, c, keep);
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
