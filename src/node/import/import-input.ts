/**
 * Where an import reads its file from: a path (resumed by seeking to the
 * checkpoint's byte offset) or a stream such as standard input (resumed by
 * skipping that many bytes). The header line is read and checked first,
 * since whether and where to resume depends on it.
 *
 * @module
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { ExportFileError } from "../../core/export/export-file-error.js";
import { parseHeader, type ExportHeader } from "../../core/export/export-format.js";

/** Where the export file comes from: a file (resumed by seeking) or a stream (resumed by skipping). */
export type ImportInput = { readonly path: string } | { readonly stream: Readable };

/** The input with its header read and checked, and the rest readable from any byte offset. */
export interface OpenedInput {
  readonly header: ExportHeader;
  /** SHA-256 (hex) of the header line. */
  readonly headerHash: string;
  /** Bytes of the header line with its newline. */
  readonly headerBytes: number;
  /** The file from byte `offset` on. */
  from(offset: number): Readable;
  close(): void;
}

/** Longest header line read before giving up on a file that is not an export. */
const MAX_HEADER_BYTES = 1 << 20;

/** Opens `input` and reads its header. */
export async function openInput(input: ImportInput): Promise<OpenedInput> {
  if ("path" in input) {
    const head = readHead(input.path);
    const streams: Readable[] = [];
    return {
      ...head,
      from: (offset) => {
        const s = fs.createReadStream(input.path, { start: offset, highWaterMark: 1 << 20 });
        streams.push(s);
        return s;
      },
      close: () => streams.forEach((s) => s.destroy()),
    };
  }
  const stream = input.stream;
  let buf = Buffer.alloc(0);
  for (;;) {
    const cut = buf.indexOf(10);
    if (cut >= 0) {
      const head = checkHead(buf.subarray(0, cut));
      stream.unshift(buf.subarray(cut + 1));
      return { ...head, from: (offset) => skip(stream, offset - head.headerBytes), close: () => stream.destroy() };
    }
    if (buf.length > MAX_HEADER_BYTES) throw new ExportFileError(1, undefined, "no header line: this is not a stigmem export");
    const chunk = await readChunk(stream);
    if (chunk === null) {
      if (buf.length === 0) throw new ExportFileError(0, undefined, "the file is empty");
      buf = Buffer.concat([buf, Buffer.from("\n")]);
    } else buf = Buffer.concat([buf, chunk]);
  }
}

function readHead(file: string): Pick<OpenedInput, "header" | "headerHash" | "headerBytes"> {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(MAX_HEADER_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    if (n === 0) throw new ExportFileError(0, undefined, "the file is empty");
    const cut = buf.subarray(0, n).indexOf(10);
    if (cut < 0 && n === buf.length) throw new ExportFileError(1, undefined, "no header line: this is not a stigmem export");
    return checkHead(buf.subarray(0, cut < 0 ? n : cut));
  } finally {
    fs.closeSync(fd);
  }
}

function checkHead(line: Buffer): Pick<OpenedInput, "header" | "headerHash" | "headerBytes"> {
  return {
    header: parseHeader(line.toString("utf8")),
    headerHash: createHash("sha256").update(line).digest("hex"),
    headerBytes: line.length + 1,
  };
}

/** The next chunk of a paused stream, or null at its end. */
function readChunk(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) return resolve(chunk);
    if (stream.readableEnded) return resolve(null);
    const done = (): void => {
      stream.off("readable", onReadable);
      stream.off("end", onEnd);
      stream.off("error", onError);
    };
    const onReadable = (): void => {
      const c = stream.read() as Buffer | null;
      if (c === null) return;
      done();
      resolve(c);
    };
    const onEnd = (): void => {
      done();
      resolve(null);
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    stream.on("readable", onReadable);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

/** `stream` without its first `bytes` bytes (a resume from a stream that cannot seek). */
function skip(stream: Readable, bytes: number): Readable {
  let left = bytes;
  async function* rest(): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (left >= chunk.length) {
        left -= chunk.length;
        continue;
      }
      yield left > 0 ? chunk.subarray(left) : chunk;
      left = 0;
    }
  }
  return Readable.from(rest(), { objectMode: false });
}

