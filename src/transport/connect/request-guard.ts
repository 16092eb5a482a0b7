/**
 * Checks the body of a Connect, gRPC or gRPC-Web request before connect-es
 * parses it, so hostile bytes get a stable `invalid_argument` instead of
 * what connect-es would answer:
 *
 * - a binary body that does not decode as the method's message: connect-es
 *   wraps every protobuf-es parse failure as `internal` ("parse binary:
 *   premature EOF", HTTP 500), leaking the parser's message → `invalid_protobuf`;
 * - bytes that are not UTF-8: connect-es decodes JSON bodies with a lenient
 *   TextDecoder (U+FFFD is stored in their place), and protobuf-es refuses
 *   invalid UTF-8 in proto3 `string` fields (their `utf8_validation` feature is
 *   VERIFY) but only as a parse failure → `invalid_utf8` in both codecs;
 * - a body over the method's byte cap, before and after decompression →
 *   `payload_too_large`;
 * - JSON that does not parse, in the enveloped codecs (gRPC, gRPC-Web,
 *   Connect streaming): V8's message for it quotes the input and may cut a
 *   surrogate pair in half, and connect-es then fails to percent-encode the
 *   message into the gRPC trailers and leaves the response unfinished → a
 *   plain `invalid_argument`. (Unary Connect JSON answers such errors in a
 *   JSON body, which is fine, and is not parsed twice.)
 *
 * Why here: connect-es parses before any interceptor runs and offers no hook
 * around its parser, but it reads the body through the request's async
 * iterable, and an error thrown from that iterable is answered as is, in the
 * right shape for each protocol. So the guard buffers the body (connect-es
 * buffers unary bodies anyway), checks every message in it, and hands the
 * same bytes on. A binary message is decoded twice; that costs microseconds
 * per message against the milliseconds the handler takes.
 *
 * Framing errors, unknown encodings and anything else the guard does not
 * understand pass through untouched for connect-es to answer.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression, UniversalServerRequest } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { AppError } from "../../node/app-error.js";
import { toConnectError } from "./to-connect-error.js";

/** How a body is framed and encoded, from its content type. */
interface BodyShape {
  /** Length-prefixed messages (streaming Connect, gRPC, gRPC-Web) rather than one bare message. */
  readonly enveloped: boolean;
  /** Protobuf binary rather than JSON. */
  readonly binary: boolean;
  /** The header naming the body's compression. */
  readonly encodingHeader: string;
}

/** Content types (without parameters) of the protocols connect-es serves, as its content-type tables list them. */
const SHAPES: Readonly<Record<string, BodyShape>> = {
  "application/json": { enveloped: false, binary: false, encodingHeader: "content-encoding" },
  "application/proto": { enveloped: false, binary: true, encodingHeader: "content-encoding" },
  "application/connect+json": { enveloped: true, binary: false, encodingHeader: "connect-content-encoding" },
  "application/connect+proto": { enveloped: true, binary: true, encodingHeader: "connect-content-encoding" },
  "application/grpc": { enveloped: true, binary: true, encodingHeader: "grpc-encoding" },
  "application/grpc+proto": { enveloped: true, binary: true, encodingHeader: "grpc-encoding" },
  "application/grpc+json": { enveloped: true, binary: false, encodingHeader: "grpc-encoding" },
  "application/grpc-web": { enveloped: true, binary: true, encodingHeader: "grpc-encoding" },
  "application/grpc-web+proto": { enveloped: true, binary: true, encodingHeader: "grpc-encoding" },
  "application/grpc-web+json": { enveloped: true, binary: false, encodingHeader: "grpc-encoding" },
};

/** The compressions the server accepts (the same list it gives connect-es). */
export const ACCEPT_COMPRESSION: readonly Compression[] = [compressionGzip, compressionBrotli];

/** Envelope flag bit: the message is compressed. Other bits (end of stream) are never set by clients. */
const FLAG_COMPRESSED = 0b0000_0001;
const ENVELOPE_HEADER = 5;

/**
 * Returns `req` with a body that yields the same bytes once they passed the
 * checks, and throws (from the body) the ConnectError to answer otherwise.
 */
export function guardRequest(req: UniversalServerRequest, input: DescMessage, maxBytes: number): UniversalServerRequest {
  const contentType = (req.header.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const shape = SHAPES[contentType];
  const body = req.body;
  if (shape === undefined || !isByteStream(body)) return req;
  const encoding = req.header.get(shape.encodingHeader)?.trim().toLowerCase();
  const compression = ACCEPT_COMPRESSION.find((c) => c.name === encoding);
  // connect-es checks a declared length against its own (larger) limit before
  // reading; without it, it reads through this guard, which answers with our code.
  const declaredLength = req.header.get("content-length");
  const header = new Headers(req.header);
  header.delete("content-length");
  return {
    ...req,
    header,
    body: (async function* () {
      const bytes = await readCapped(body, maxBytes, declaredLength);
      if (shape.enveloped) {
        for (const { flags, payload } of envelopes(bytes)) {
          let plain: Uint8Array | undefined = payload;
          if (flags === FLAG_COMPRESSED) {
            plain = compression === undefined ? undefined : await decompress(compression, payload, maxBytes);
          } else if (flags !== 0) plain = undefined;
          if (plain === undefined) continue;
          check(plain, shape.binary, input);
          if (!shape.binary) checkJsonSyntax(plain);
        }
      } else if (encoding === undefined || encoding === "identity") {
        check(bytes, shape.binary, input);
      } else if (compression !== undefined) {
        const plain = await decompress(compression, bytes, maxBytes);
        if (plain !== undefined) check(plain, shape.binary, input);
      }
      yield bytes;
    })(),
  };
}

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
}

function tooLarge(maxBytes: number): ConnectError {
  return toConnectError(
    new AppError("payload_too_large", `request body is over this method's limit of ${maxBytes} bytes`, {
      details: { max_bytes: maxBytes },
    }),
  );
}

/** Reads the whole body, refusing it as soon as it is known to be over `maxBytes`. */
async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number, lengthHeader: string | null): Promise<Uint8Array> {
  if (lengthHeader !== null && Number(lengthHeader) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** The complete envelopes of a body; a truncated tail is left for connect-es to refuse. */
function* envelopes(bytes: Uint8Array): Generator<{ flags: number; payload: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + ENVELOPE_HEADER <= bytes.byteLength) {
    const flags = view.getUint8(offset);
    const length = view.getUint32(offset + 1);
    const start = offset + ENVELOPE_HEADER;
    if (start + length > bytes.byteLength) return;
    yield { flags, payload: bytes.subarray(start, start + length) };
    offset = start + length;
  }
}

/** Decompressed bytes; undefined when they are not a valid stream (connect-es answers that itself). */
async function decompress(compression: Compression, bytes: Uint8Array, maxBytes: number): Promise<Uint8Array | undefined> {
  try {
    return await compression.decompress(bytes, maxBytes);
  } catch (e) {
    if (e instanceof ConnectError && e.code === Code.ResourceExhausted) throw tooLarge(maxBytes);
    return undefined;
  }
}

/** Throws `invalid_utf8` or `invalid_protobuf` for a message that connect-es would mangle or misreport. */
function check(message: Uint8Array, binary: boolean, input: DescMessage): void {
  if (!binary) {
    if (!isUtf8(message)) throw invalidUtf8();
    return;
  }
  try {
    fromBinary(input, message);
  } catch (e) {
    // protobuf-es decodes proto3 strings with a fatal TextDecoder.
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA") throw invalidUtf8();
    throw toConnectError(
      new AppError("invalid_protobuf", `request body is not a valid ${input.typeName} in the protobuf binary format`),
    );
  }
}

function checkJsonSyntax(message: Uint8Array): void {
  try {
    JSON.parse(Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString("utf8"));
  } catch {
    throw toConnectError(new AppError("invalid_argument", "request message is not valid JSON"));
  }
}

function invalidUtf8(): ConnectError {
  return toConnectError(new AppError("invalid_utf8", "request body holds bytes that are not UTF-8"));
}
