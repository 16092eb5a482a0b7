/**
 * Splits a byte stream into batches of whole lines, each batch with the
 * byte offset just past its last line: the offsets an import checkpoints,
 * so a resumed import starts reading exactly at the first line it has not
 * committed. A chunk is decoded once and split as text (decoding every line
 * on its own cost more than parsing it); only the cut between chunks is
 * found in bytes.
 *
 * @module
 */
import type { Readable } from "node:stream";

/** Lines of one chunk of the stream. */
export interface LineBatch {
  /** The lines, without their `\n` (a trailing `\r` is left: JSON ignores it). */
  readonly lines: string[];
  /** 1-based number of the first line. */
  readonly firstLine: number;
  /** Byte offset in the file just past the last line's `\n`. */
  readonly endOffset: number;
  /** The lines' bytes (without the last `\n`), valid until the next batch is read. */
  readonly bytes: Buffer;
}

/**
 * Reads `stream`, which starts at byte `startOffset` of the file and at
 * line `startLine`, as batches of lines. A last line without a final
 * newline is a line too.
 */
export async function* lineBatches(stream: Readable, startOffset: number, startLine: number): AsyncGenerator<LineBatch> {
  let rest: Buffer = Buffer.alloc(0);
  let offset = startOffset;
  let line = startLine;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    const cut = buf.lastIndexOf(10);
    if (cut < 0) {
      rest = buf;
      continue;
    }
    const bytes = buf.subarray(0, cut);
    const lines = bytes.toString("utf8").split("\n");
    offset += cut + 1;
    yield { lines, firstLine: line, endOffset: offset, bytes };
    line += lines.length;
    rest = buf.subarray(cut + 1);
  }
  if (rest.length > 0) yield { lines: [rest.toString("utf8")], firstLine: line, endOffset: offset + rest.length, bytes: rest };
}
