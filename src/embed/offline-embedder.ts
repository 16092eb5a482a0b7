/**
 * The default embedder: no network, no model download. A fact's vector is
 * the SIF-weighted average (Arora et al., 2017) of the unit word vectors of
 * its tokens, L2-normalized. SIF weights `a/(a + p(w))`, with `p(w)` the Zipf
 * estimate from the word's frequency rank, make "the", "is" and "where"
 * count ~100× less than "berlin" or "invoice" without a stop-word list.
 *
 * Words outside the vocabulary (ids, codes, rare names) get a fixed
 * pseudo-random unit vector derived from their text: nearly orthogonal to
 * every other word, so they add no false similarity, yet the same unknown
 * token in a query and a fact still matches.
 *
 * The vocabulary is derived once from the wink package into
 * `<cache dir>/wink-sg-100d.v1.vocab` (see `derive-vocabulary.ts`) and
 * loaded from there on every later start. Loaded in-thread
 * ({@link loadOfflineEmbedder}), one process shares one copy; the compiled
 * node instead embeds on a worker thread (`worker-embedder.ts`), which loads
 * its own copy and leaves the main thread only {@link prepareVocabulary}.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { deriveVocabulary } from "./derive-vocabulary.js";
import { l2normalize, type Embedder } from "./embedder.js";
import { tokenize } from "./tokenize.js";
import {
  readVocabulary,
  readVocabularyHeader,
  VocabularyFileError,
  type VocabularyData,
  type VocabularyHeader,
} from "./vocabulary.js";

/**
 * Model identity stored with the vectors. Bump the suffix whenever the
 * tokenizer, the weighting or the derivation changes what a text maps to.
 */
export const OFFLINE_EMBEDDER_ID = "wink-sg-100d/1";
/** File name of the derived vocabulary inside the cache folder. */
export const VOCAB_FILE_NAME = "wink-sg-100d.v1.vocab";

/** SIF smoothing `a`; chosen on a small fact-recall set (3e-4 beat 1e-4 and 1e-3). */
const SIF_A = 3e-4;

/** How the vocabulary was obtained; logged at start-up and used by benchmarks. */
export interface OfflineLoadStats {
  readonly file: string;
  /** Whether this start derived the vocabulary from the wink package (a cold start). */
  readonly derived: boolean;
  /** Derivation time, when `derived`. */
  readonly deriveMs: number | undefined;
  /** Time to read the vocabulary file and build the lookup table. */
  readonly loadMs: number;
  /** Resident memory added by derivation and loading, in MiB (process-wide, so approximate). */
  readonly rssDeltaMiB: number;
  readonly words: number;
  /** True when another node of this process had already loaded it. */
  readonly shared: boolean;
}

/** Options of {@link loadOfflineEmbedder}. */
export interface OfflineLoadOptions {
  /** Receives derivation progress (fraction 0..1); only called on a cold start. */
  readonly onDeriveProgress?: (fraction: number) => void;
  /** Derive from this wink-format JSON instead of the installed package (tests). */
  readonly source?: { readonly jsonPath: string; readonly version: string };
}

interface Loaded {
  embedder: OfflineEmbedder;
  stats: OfflineLoadStats;
}

const loadedByFile = new Map<string, Loaded>();

/**
 * Loads the vocabulary from `cacheDir`, deriving it first when it is missing
 * or unreadable. Synchronous work: ~0.3 s warm, seconds cold.
 */
export function loadOfflineEmbedder(cacheDir: string, opts: OfflineLoadOptions = {}): Loaded {
  const file = path.resolve(cacheDir, VOCAB_FILE_NAME);
  const cached = loadedByFile.get(file);
  if (cached !== undefined) return { embedder: cached.embedder, stats: { ...cached.stats, shared: true } };

  const rss0 = process.memoryUsage().rss;
  let deriveMs: number | undefined;
  let data: VocabularyData | undefined;
  const t0 = performance.now();
  if (fs.existsSync(file)) {
    try {
      data = readVocabulary(file);
    } catch (e) {
      if (!(e instanceof VocabularyFileError)) throw e;
    }
  }
  if (data === undefined) {
    deriveMs = derive(file, opts);
    // Read back what was written: the same path a warm start takes.
    data = readVocabulary(file);
  }
  const l0 = performance.now();
  const embedder = new OfflineEmbedder(data);
  const loadMs = performance.now() - (deriveMs !== undefined ? l0 : t0);
  const stats: OfflineLoadStats = {
    file,
    derived: deriveMs !== undefined,
    deriveMs,
    loadMs,
    rssDeltaMiB: Math.max(0, (process.memoryUsage().rss - rss0) / 2 ** 20),
    words: data.words.length,
    shared: false,
  };
  loadedByFile.set(file, { embedder, stats });
  return { embedder, stats };
}

/** A vocabulary file ready for another thread to load. */
export interface PreparedVocabulary {
  readonly file: string;
  readonly dims: number;
  readonly words: number;
  /** Derivation time when this call derived the file (a cold start). */
  readonly deriveMs: number | undefined;
}

/**
 * Makes sure `cacheDir` holds a complete vocabulary, deriving it when it is
 * missing or unreadable, without loading it: only its header is read.
 */
export function prepareVocabulary(cacheDir: string, opts: OfflineLoadOptions = {}): PreparedVocabulary {
  const file = path.resolve(cacheDir, VOCAB_FILE_NAME);
  let deriveMs: number | undefined;
  let header: VocabularyHeader;
  try {
    header = readVocabularyHeader(file);
  } catch (e) {
    if (!(e instanceof VocabularyFileError)) throw e;
    deriveMs = derive(file, opts);
    header = readVocabularyHeader(file);
  }
  return { file, dims: header.dims, words: header.count, deriveMs };
}

/** Derives the vocabulary into `file`; returns how long it took, in ms. */
function derive(file: string, opts: OfflineLoadOptions): number {
  const t0 = performance.now();
  deriveVocabulary(file, opts.onDeriveProgress, opts.source);
  return performance.now() - t0;
}

export class OfflineEmbedder implements Embedder {
  readonly id = OFFLINE_EMBEDDER_ID;
  readonly dims: number;
  private readonly index = new Map<string, number>();
  /** SIF weight × dequantization scale, per word. */
  private readonly coef: Float32Array;
  private readonly vectors: Int8Array;
  private readonly oovWeight: number;

  constructor(data: VocabularyData) {
    this.dims = data.dims;
    this.vectors = data.vectors;
    const h = Math.log(1.78 * data.corpusWords);
    const sif = (rank: number): number => SIF_A / (SIF_A + 1 / ((rank + 1) * h));
    this.coef = new Float32Array(data.words.length);
    data.words.forEach((w, i) => {
      this.index.set(w, i);
      this.coef[i] = sif(data.ranks[i]!) * data.scales[i]!;
    });
    this.oovWeight = sif(data.corpusWords);
  }

  /** Whether `word` (a token) has a trained vector. */
  knows(word: string): boolean {
    return this.index.has(word);
  }

  /** The unit vector of one text; never fails. */
  embedOne(text: string): Float32Array {
    const dims = this.dims;
    const acc = new Float64Array(dims);
    const tokens = tokenize(text);
    for (const token of tokens) {
      const i = this.index.get(token);
      if (i === undefined) {
        addHashedVector(acc, token, this.oovWeight);
        continue;
      }
      const c = this.coef[i]!;
      const base = i * dims;
      for (let d = 0; d < dims; d++) acc[d]! += c * this.vectors[base + d]!;
    }
    // No usable token (punctuation only, or words that cancel out): fall back
    // to the text's own hashed vector so the result is still a unit vector.
    if (tokens.length === 0 || acc.every((x) => x === 0)) addHashedVector(acc, text, 1);
    return l2normalize(Float32Array.from(acc));
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }
}

/** Adds `weight` × a deterministic pseudo-random unit vector of `token` (FNV-1a seed, xorshift32). */
function addHashedVector(acc: Float64Array, token: string, weight: number): void {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let s = h >>> 0 || 1;
  const v = new Float64Array(acc.length);
  let norm = 0;
  for (let d = 0; d < v.length; d++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    v[d] = s / 0x80000000 - 1;
    norm += v[d]! * v[d]!;
  }
  const k = weight / Math.sqrt(norm);
  for (let d = 0; d < v.length; d++) acc[d]! += k * v[d]!;
}
