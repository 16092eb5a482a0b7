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

export class QuantizedIndex {
  readonly words: number;
  /** 32-bit words per code in {@link codes}. */
  private readonly words32: number;
  private rowids = new Float64Array(1024);
  private scopes = new Uint8Array(1024);
  private codes: Uint32Array;
  private q8: Int8Array | null;
  private q8scale: Float32Array | null;
  private size = 0;
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
    this.words32 = Math.ceil(this.words / 2);
    this.codes = new Uint32Array(1024 * this.words32);
    this.q8 = withInt8 ? new Int8Array(1024 * dims) : null;
    this.q8scale = withInt8 ? new Float32Array(1024) : null;
  }

  /** Rows of the index. */
  get count(): number {
    return this.size;
  }

  /** Whether candidates are re-ranked with int8 copies. */
  get hasInt8(): boolean {
    return this.q8 !== null;
  }

  /** Adds a vector by its codes; `q8` (see {@link int8Code}) is required when the index keeps int8 copies. */
  add(rowid: number, scope: string, code: Uint16Array, q8?: Uint8Array | null): void {
    if (code.length !== this.words) throw new RangeError(`code has ${code.length} words, index ${this.words}`);
    if (this.q8 !== null && (q8 == null || q8.length !== 4 + this.dims)) {
      throw new RangeError(`an int8 copy of ${this.dims} components is required`);
    }
    if (this.size === this.rowids.length) this.grow();
    let s = this.scopeIds.get(scope);
    if (s === undefined) {
      s = this.scopeIds.size;
      if (s > 254) throw new RangeError("too many scopes");
      this.scopeIds.set(scope, s);
      this.perScope.push(0);
    }
    const i = this.size;
    this.setPosition(rowid, i);
    this.rowids[i] = rowid;
    this.scopes[i] = s;
    toWords32(code, this.words32, this.codes, i * this.words32);
    if (this.q8 !== null) {
      this.q8scale![i] = new DataView(q8!.buffer, q8!.byteOffset, 4).getFloat32(0, true);
      this.q8.set(new Int8Array(q8!.buffer, q8!.byteOffset + 4, this.dims), i * this.dims);
    }
    this.perScope[s]!++;
    this.size++;
  }

  /** How many indexed vectors lie in `scopes` (all when null). */
  countIn(scopes: readonly string[] | null): number {
    if (scopes === null) return this.size;
    let n = 0;
    for (const scope of new Set(scopes)) {
      const s = this.scopeIds.get(scope);
      if (s !== undefined) n += this.perScope[s]!;
    }
    return n;
  }

  /**
   * The int8 copy of `rowid`'s vector, scaled back to floats; undefined when
   * the index keeps no int8 copies or does not hold the rowid.
   */
  vector(rowid: number): Float32Array | undefined {
    if (this.q8 === null) return undefined;
    const i = rowid >= DENSE_ROWIDS ? (this.far.get(rowid) ?? -1) : rowid >= 0 ? (this.positions[rowid] ?? 0) - 1 : -1;
    if (i < 0) return undefined;
    const out = new Float32Array(this.dims);
    const scale = this.q8scale![i]!;
    for (let d = 0, o = i * this.dims; d < this.dims; d++, o++) out[d] = this.q8[o]! * scale;
    return out;
  }

  /**
   * Rowids of up to `c` vectors of `scopes` (all when null) nearest to
   * `query` by Hamming distance; ties at the cut-off are taken in index order.
   */
  candidates(query: Uint16Array, scopes: readonly string[] | null, c: number): number[] {
    return this.hamming(query, scopes, c).map((i) => this.rowids[i]!);
  }

  /**
   * The `keep` rowids nearest to `query`: the `c` nearest by Hamming distance,
   * re-ranked by int8 dot product when the index has int8 copies (else the
   * Hamming order is kept and all `c` are returned).
   */
  nearest(query: Float32Array, scopes: readonly string[] | null, c: number, keep: number): number[] {
    const positions = this.hamming(signCode(query), scopes, c);
    if (this.q8 === null || positions.length <= keep) return positions.map((i) => this.rowids[i]!);
    const dots = this.int8Dots(query, positions);
    return topPositions(dots, keep).map((p) => this.rowids[positions[p]!]!);
  }

  /**
   * The `keep` vectors nearest to `query` among its `c` nearest by Hamming
   * distance, with their int8 dot products (see {@link int8Dots}), best
   * first (ties: lower rowid first). Requires int8 copies.
   */
  scored(query: Float32Array, scopes: readonly string[] | null, c: number, keep: number): { rowid: number; dot: number }[] {
    if (this.q8 === null) throw new Error("the index keeps no int8 copies");
    const positions = this.hamming(signCode(query), scopes, c);
    const dots = this.int8Dots(query, positions);
    const out = topPositions(dots, keep).map((p) => ({ rowid: this.rowids[positions[p]!]!, dot: dots[p]! }));
    return out.sort((a, b) => b.dot - a.dot || a.rowid - b.rowid);
  }

  clear(): void {
    this.size = 0;
    this.perScope.fill(0);
    this.positions = new Int32Array(1024);
    this.far.clear();
  }

  /** `query` · each int8 copy at `positions`, scaled: the cosine with a unit query, to about 1e-3. */
  private int8Dots(query: Float32Array, positions: readonly number[]): Float64Array {
    const dims = this.dims;
    const q8 = this.q8!;
    const scale = this.q8scale!;
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

  /** Positions of the `c` nearest codes by Hamming distance. */
  private hamming(query: Uint16Array, scopes: readonly string[] | null, c: number): number[] {
    const allowed = new Uint8Array(256);
    if (scopes === null) allowed.fill(1);
    else
      for (const scope of scopes) {
        const s = this.scopeIds.get(scope);
        if (s !== undefined) allowed[s] = 1;
      }
    const w = this.words32;
    const q = toWords32(query, w);
    const maxDist = this.words * 16;
    const none = maxDist + 1;
    const dist = new Uint16Array(this.size);
    const hist = new Uint32Array(maxDist + 2);
    const codes = this.codes;
    for (let i = 0, o = 0; i < this.size; i++, o += w) {
      if (allowed[this.scopes[i]!] === 0) {
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
    for (let i = 0; i < this.size; i++) {
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

  private grow(): void {
    const n = this.rowids.length * 2;
    const rowids = new Float64Array(n);
    rowids.set(this.rowids);
    const scopes = new Uint8Array(n);
    scopes.set(this.scopes);
    const codes = new Uint32Array(n * this.words32);
    codes.set(this.codes);
    this.rowids = rowids;
    this.scopes = scopes;
    this.codes = codes;
    if (this.q8 !== null) {
      const q8 = new Int8Array(n * this.dims);
      q8.set(this.q8);
      const sc = new Float32Array(n);
      sc.set(this.q8scale!);
      this.q8 = q8;
      this.q8scale = sc;
    }
  }
}
