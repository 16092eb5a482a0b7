/**
 * Recall's semantic channel (protocol.md §9, stage 3): embeds the query and
 * finds the nearest stored fact vectors inside the caller's readable scopes.
 *
 * Models of up to 256 dimensions ({@link INT8_MAX_DIMS}) store int8 copies
 * only, held in the in-memory quantized index; their dot products are the
 * similarities (within about 1e-3 of the float cosine). A search waits for
 * the index to finish loading at start-up, then scores every readable vector
 * (≤ {@link EXACT_LIMIT} of them) or, in larger stores, the candidates
 * nearest by Hamming distance over sign bits.
 *
 * Wider models store float vectors in vec0:
 * - small stores (≤ {@link EXACT_LIMIT} vectors in the readable scopes, or
 *   while the quantized index is still loading): exact kNN with vec0, one
 *   query per scope partition, merged;
 * - larger stores: Hamming candidates from the quantized index, rescored
 *   with their float vectors (exact cosine top k among the candidates).
 *
 * Similarity is `1 − cosine distance`, clamped to [0, 1]. The scopes are the
 * only filter applied here; recall applies the rest of the ACL afterwards,
 * so callers over-fetch (§9: ×4) through `k`.
 *
 * @module
 */
import { SCOPES } from "../core/scope.js";
import { cosine, squaredNorm } from "../core/recall/similarity.js";
import type { SemanticChannel, SemanticHit, SemanticSearchOptions, SimilarityTable } from "../node/recall/semantic-channel.js";
import type { Logger } from "../logger.js";
import { EmbedError, type Embedder } from "./embedder.js";
import { INT8_MAX_DIMS, QuantizedIndex, signCode } from "./quantized-index.js";
import { VectorCache } from "./vector-cache.js";
import type { StoredRange } from "./embed-queue.js";
import type { VectorRow, VectorStore } from "../store/vector-store.js";
import { WorkerEmbedder } from "./worker-embedder.js";

/** Up to this many readable vectors, search is exact: all int8 copies, or a vec0 scan of float vectors (a few ms). */
export const EXACT_LIMIT = 10_000;
/** A query embedding slower than this fails the semantic channel, not the recall. */
const QUERY_TIMEOUT_MS = 2_000;
/** After a failed query embedding, fail fast for this long instead of waiting on a dead provider again. */
const FAIL_FAST_MS = 5_000;
/** Codes loaded per event-loop turn while the index fills at start-up. */
const LOAD_SLICE = 20_000;
/**
 * Float vectors kept per generation of the {@link VectorCache} (at most twice
 * this many are held): one search's rescored candidates (up to 2048, for
 * models without int8 copies), within 4 MiB for wide models.
 */
const VECTOR_CACHE_SIZE = 2048;
const VECTOR_CACHE_BYTES = 4 * 1024 * 1024;

export interface SemanticIndexOptions {
  /** Overrides {@link EXACT_LIMIT} (tests exercise the quantized path with it). */
  readonly exactLimit?: number;
  /** Lowers the in-memory index's capacity (tests fill it). */
  readonly indexCapacity?: number;
}

export class SemanticIndex implements SemanticChannel {
  readonly embedderId: string;
  /** The in-memory quantized index; null until the model's width is known. */
  private quantized: QuantizedIndex | null = null;
  private loaded = false;
  private loading: Promise<void> | undefined;
  /** The embedding cursor the index covers: it holds every vector stored for a fact up to it. */
  private covered = 0;
  /** The cursor range of the queue's latest unbroken run of stores, all of them in the index. */
  private stored: StoredRange | null = null;
  /** A fill of the index from the stored codes in progress (the load, or a catch-up). */
  private filling: Promise<void> | undefined;
  private closed = false;
  /** The index filled up and that was logged. */
  private fullReported = false;
  private failedAt = -Infinity;
  private readonly exactLimit: number;
  private readonly indexCapacity: number;
  /**
   * Float vectors read recently (rescoring, MMR) while the index has no int8
   * copies, so that MMR finds the vectors of a search's hits without reading
   * vec0 again; created for the
   * stored width and dropped when the stored model or width changes.
   */
  private cache: { model: string; dims: number; vectors: VectorCache } | null = null;

  constructor(
    private readonly store: VectorStore,
    private readonly embedder: Embedder,
    private readonly log: Logger,
    opts: SemanticIndexOptions = {},
  ) {
    this.embedderId = embedder.id;
    this.exactLimit = opts.exactLimit ?? EXACT_LIMIT;
    this.indexCapacity = opts.indexCapacity ?? Infinity;
  }

  /** The quantized index the queue adds to; created once the vector width is known. */
  get index(): QuantizedIndex | null {
    return this.quantized;
  }

  /** Whether the quantized index holds every stored vector. */
  get ready(): boolean {
    return this.loaded;
  }

  /**
   * Creates the in-memory index and fills it from the stored codes in slices,
   * yielding between them. Vectors added meanwhile by the queue go in directly
   * (their rowids are above the ones being loaded). Resolves when complete.
   */
  load(dims: number): Promise<void> {
    if (this.loading !== undefined) return this.loading;
    this.quantized = new QuantizedIndex(dims, undefined, this.indexCapacity);
    const t0 = performance.now();
    this.loading = (async () => {
      await this.fill(this.store.state().cursor);
      this.loaded = true;
      this.log.debug({ vectors: this.quantized?.count, ms: Math.round(performance.now() - t0) }, "semantic index loaded");
    })();
    return this.loading;
  }

  /** Adds vectors the queue stored; the first ones of a model create the index. */
  added(rows: readonly VectorRow[], range: StoredRange): void {
    if (rows.length === 0 || this.closed) return;
    if (this.quantized === null) {
      // The load reads everything up to the cursor, these rows included.
      void this.load(rows[0]!.vector.length);
      return;
    }
    for (const r of rows) if (!this.quantized.has(r.rowid)) this.addToIndex(this.quantized, r.rowid, r.scope, r.code, r.q8);
    this.stored = this.stored !== null && range.after === this.stored.upTo ? { after: this.stored.after, upTo: range.upTo } : range;
    this.extendCovered();
  }

  /** Adds a vector to the in-memory index; once that is full, says so once (later vectors are not searched). */
  private addToIndex(index: QuantizedIndex, rowid: number, scope: string, code: Uint16Array, q8: Uint8Array | null): void {
    if (index.add(rowid, scope, code, q8) || this.fullReported) return;
    this.fullReported = true;
    this.log.warn(
      { vectors: index.count, capacity: index.capacity },
      "the in-memory semantic index is full: facts embedded from now on are not found by semantic search, only by the lexical and graph channels",
    );
  }

  /** Moves {@link covered} over the queue's stores when they continue it (a fill may have ended inside them). */
  private extendCovered(): void {
    if (this.stored !== null && this.stored.after <= this.covered) this.covered = Math.max(this.covered, this.stored.upTo);
  }

  /**
   * Adds the stored codes between {@link covered} and `upTo` that the index
   * lacks, in slices, then moves {@link covered} there. At start-up that is
   * every code; later, the vectors another process stored (a backfill run
   * beside the node moves the cursor past facts this node's queue then never
   * sees), found by a search that sees the stored cursor ahead.
   */
  private fill(upTo: number): Promise<void> {
    this.filling ??= (async () => {
      const index = this.quantized!;
      let after = this.covered;
      for (;;) {
        if (this.closed) return;
        const slice = this.store.codesAfter(after, LOAD_SLICE);
        for (const c of slice) {
          if (c.fact_rowid > upTo) break;
          if (index.has(c.fact_rowid)) continue;
          const code = new Uint16Array(c.code.byteLength / 2);
          new Uint8Array(code.buffer).set(c.code);
          this.addToIndex(index, c.fact_rowid, c.scope, code, c.q8);
        }
        if (slice.length < LOAD_SLICE || slice[slice.length - 1]!.fact_rowid >= upTo) break;
        after = slice[slice.length - 1]!.fact_rowid;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      this.covered = Math.max(this.covered, upTo);
      this.extendCovered();
    })().finally(() => (this.filling = undefined));
    return this.filling;
  }

  /** Starts filling in vectors stored by another process when the stored cursor is past what the index covers. */
  private catchUp(cursor: number): void {
    if (this.loaded && cursor > this.covered && this.filling === undefined) void this.fill(cursor);
  }

  close(): void {
    this.closed = true;
  }

  async search(query: string, opts: SemanticSearchOptions): Promise<SemanticHit[]> {
    const k = Math.floor(opts.k);
    if (k <= 0 || (opts.scopes !== null && opts.scopes.length === 0)) return [];
    if (performance.now() - this.failedAt < FAIL_FAST_MS) {
      throw new EmbedError("unavailable", "the embedding provider failed moments ago");
    }
    const stored = this.store.state();
    this.catchUp(stored.cursor);
    const searcher = this.embedder instanceof WorkerEmbedder ? this.embedder : null;
    if (searcher !== null && stored.dims !== null && stored.dims <= INT8_MAX_DIMS && stored.dims === this.embedder.dims) {
      return this.onEmbedderThread(searcher, query, opts.scopes, k);
    }
    let q: Float32Array;
    try {
      [q] = (await this.embedder.embed([query], { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) })) as [Float32Array];
    } catch (e) {
      this.failedAt = performance.now();
      throw e;
    }
    if (this.closed) return [];
    const { model, dims } = this.store.state();
    if (dims === null || dims !== q.length) return [];
    if (dims <= INT8_MAX_DIMS) return this.fromInt8(q, opts.scopes, k);
    const cache = this.vectorCache(model, dims);
    const index = this.loaded ? this.quantized : null;
    if (index === null || index.countIn(opts.scopes) <= this.exactLimit) return this.exact(q, opts.scopes, k);
    return this.rescored(index, q, opts.scopes, k, cache);
  }

  /**
   * Search for models with int8 copies, which are their only stored vectors:
   * waits for the index to finish loading (a start-up of a large store), then
   * scores every readable vector up to the exact limit, or the Hamming
   * candidates above it.
   */
  private async fromInt8(q: Float32Array, scopes: readonly string[] | null, k: number): Promise<SemanticHit[]> {
    await (this.loading ?? this.load(q.length));
    const index = this.quantized;
    if (this.closed || index === null) return [];
    return hitsOf(index.scored(q, scopes, this.int8Candidates(index, scopes, k), k));
  }

  /**
   * {@link fromInt8} with the query embedded and the index searched on the
   * embedder's own thread, which shares the index's arrays: the main thread
   * is free meanwhile (recall reads its other channels).
   */
  private async onEmbedderThread(searcher: WorkerEmbedder, query: string, scopes: readonly string[] | null, k: number): Promise<SemanticHit[]> {
    // Posted at once when the index is loaded (no await before it), so the search runs while the caller goes on.
    if (!this.loaded) await (this.loading ?? this.load(this.embedder.dims!));
    const index = this.quantized;
    if (this.closed || index === null) return [];
    let hits: { rowid: number; dot: number }[];
    try {
      hits = await searcher.searchShared(
        index.arrays,
        { query, allowed: index.allowedMask(scopes), candidates: this.int8Candidates(index, scopes, k), keep: k },
        { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) },
      );
    } catch (e) {
      this.failedAt = performance.now();
      throw e;
    }
    return this.closed ? [] : hitsOf(hits);
  }

  /** Vectors scored for `k` hits: every readable one up to the exact limit, else the Hamming candidates. */
  private int8Candidates(index: QuantizedIndex, scopes: readonly string[] | null, k: number): number {
    const readable = index.countIn(scopes);
    return readable <= this.exactLimit ? readable : Math.min(Math.max(16 * k, 1024), 8192);
  }

  /**
   * Compared in WebAssembly through the in-memory int8 copies once the index
   * is loaded and keeps them (the vectors the search scored with); otherwise
   * the float vectors of {@link vectors}, compared as they are asked for.
   */
  similarities(rowids: readonly number[]): SimilarityTable {
    const index = !this.closed && this.loaded && this.quantized?.hasInt8 === true ? this.quantized : null;
    if (index !== null) return index.cosines(rowids);
    const vectors = this.vectors(rowids);
    const norms = new Map<number, number>();
    const normOf = (rowid: number, v: Float32Array): number => {
      let n = norms.get(rowid);
      if (n === undefined) norms.set(rowid, (n = squaredNorm(v)));
      return n;
    };
    return {
      cosine: (i, j) => {
        const a = vectors.get(rowids[i]!);
        const b = vectors.get(rowids[j]!);
        return a === undefined || b === undefined ? 0 : cosine(a, b, normOf(rowids[i]!, a), normOf(rowids[j]!, b));
      },
    };
  }

  /** The model's vectors of `texts`; a failure counts as the provider failing (see {@link search}). */
  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    if (performance.now() - this.failedAt < FAIL_FAST_MS) {
      throw new EmbedError("unavailable", "the embedding provider failed moments ago");
    }
    try {
      return await this.embedder.embed(texts, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    } catch (e) {
      this.failedAt = performance.now();
      throw e;
    }
  }

  /**
   * Similarity of `query` with the stored vectors of `rowids` (NaN: not
   * embedded yet), the same measure a search scores its hits by: the int8
   * copies' dot products once the index is loaded and keeps them, else the
   * cosine with the float vectors.
   */
  similarityTo(query: Float32Array, rowids: readonly number[]): Float64Array {
    const index = !this.closed && this.loaded && this.quantized?.hasInt8 === true ? this.quantized : null;
    const out = index !== null ? index.dotsWith(query, rowids) : this.floatSimilarities(query, rowids);
    for (let i = 0; i < out.length; i++) if (!Number.isNaN(out[i]!)) out[i] = out[i]! < 0 ? 0 : out[i]! > 1 ? 1 : out[i]!;
    return out;
  }

  private floatSimilarities(query: Float32Array, rowids: readonly number[]): Float64Array {
    const vectors = this.vectors(rowids);
    const nq = squaredNorm(query);
    return Float64Array.from(rowids, (r) => {
      const v = vectors.get(r);
      return v === undefined || v.length !== query.length ? Number.NaN : cosine(query, v, nq);
    });
  }

  /**
   * Stored vectors of the given facts (absent: not embedded yet): from the
   * in-memory int8 copies once the index is loaded and keeps them (the same
   * vectors the search scored with); otherwise read from vec0.
   */
  vectors(rowids: readonly number[]): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    if (this.closed) return out;
    const index = this.loaded && this.quantized?.hasInt8 === true ? this.quantized : null;
    // Checked against the stored model by every search, not here (a statement per call).
    const cache = this.cache?.vectors ?? null;
    for (const rowid of rowids) {
      const v = index !== null ? index.vector(rowid) : this.vector(rowid, cache);
      if (v !== undefined) out.set(rowid, v);
    }
    return out;
  }

  /** The cache for the stored model and width (a new, empty one after either changed); null before any vector is stored. */
  private vectorCache(model: string | null, dims: number | null): VectorCache | null {
    if (model === null || dims === null) return (this.cache = null);
    if (this.cache === null || this.cache.model !== model || this.cache.dims !== dims) {
      const capacity = Math.max(256, Math.min(VECTOR_CACHE_SIZE, Math.floor(VECTOR_CACHE_BYTES / (4 * dims))));
      this.cache = { model, dims, vectors: new VectorCache(capacity) };
    }
    return this.cache.vectors;
  }

  /** A stored float vector, from `cache` when there. */
  private vector(rowid: number, cache: VectorCache | null): Float32Array | undefined {
    const hit = cache?.get(rowid);
    if (hit !== undefined) return hit;
    const v = this.store.vector(rowid);
    if (v !== undefined) cache?.put(rowid, v);
    return v;
  }

  private exact(q: Float32Array, scopes: readonly string[] | null, k: number): SemanticHit[] {
    const hits: { rowid: number; distance: number }[] = [];
    for (const scope of new Set(scopes ?? SCOPES)) hits.push(...this.store.knn(q, scope, k));
    hits.sort((a, b) => a.distance - b.distance || a.rowid - b.rowid);
    return hits.slice(0, k).map((h) => ({ rowid: h.rowid, similarity: similarity(h.distance) }));
  }

  private rescored(
    index: QuantizedIndex,
    q: Float32Array,
    scopes: readonly string[] | null,
    k: number,
    cache: VectorCache | null,
  ): SemanticHit[] {
    // Hamming candidates: 4× k within 256..2048, rescored with float vectors
    // (~10 µs each from vec0).
    const candidates = index.candidates(signCode(q), scopes, Math.min(Math.max(4 * k, 256), 2048));
    candidates.sort((a, b) => a - b);
    // Read from vec0, not the cache (whose hits would depend on the queries before), and kept for MMR.
    const scored: SemanticHit[] = [];
    for (const rowid of candidates) {
      const v = this.store.vector(rowid);
      if (v === undefined) continue;
      cache?.put(rowid, v);
      let dot = 0;
      for (let d = 0; d < q.length; d++) dot += q[d]! * v[d]!;
      scored.push({ rowid, similarity: similarity(1 - dot) });
    }
    scored.sort((a, b) => b.similarity - a.similarity || a.rowid - b.rowid);
    return scored.slice(0, k);
  }
}

/** Search hits from int8 dot products (the cosine with the unit query). */
function hitsOf(scored: readonly { rowid: number; dot: number }[]): SemanticHit[] {
  return scored.map((h) => ({ rowid: h.rowid, similarity: similarity(1 - h.dot) }));
}

function similarity(distance: number): number {
  const s = 1 - distance;
  return s < 0 ? 0 : s > 1 ? 1 : s;
}
