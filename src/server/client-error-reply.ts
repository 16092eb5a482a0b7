/**
 * Answers an HTTP/1.1 request that failed in Node's parser, before fastify
 * saw it (headers over 16 KiB, headers or body too slow, malformed framing),
 * with a complete response, then closes the connection gracefully.
 *
 * Node's default writes a bare status line and destroys the socket at once.
 * If the client is still sending (a long header, a body behind it), the
 * unread bytes make the kernel answer with a reset, and most clients then
 * report "connection reset" instead of the status. Here the response is
 * written, our side half-closed, and the input read and discarded (the
 * parser keeps reading and reporting the same error, which is ignored)
 * until the client closes too, for at most {@link LINGER_MS}.
 *
 * @module
 */
import { STATUS_CODES } from "node:http";
import type net from "node:net";
import type { ErrCode } from "../node/app-error.js";

/** Longest time a refused connection is drained before it is cut. */
export const LINGER_MS = 5_000;

const answered = new WeakSet<net.Socket>();

/** The answer to one kind of client error. */
export interface ClientErrorAnswer {
  readonly status: number;
  readonly code: ErrCode;
  readonly message: string;
}

/** Which answer a client error from Node's HTTP parser gets. */
export function answerFor(err: NodeJS.ErrnoException): ClientErrorAnswer {
  switch (err.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, code: "headers_too_large", message: "request line and headers are over 16 KiB" };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, code: "request_timeout", message: "the request did not arrive in time" };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, code: "payload_too_large", message: "chunk extensions are too large" };
    default:
      return { status: 400, code: "invalid_argument", message: "malformed HTTP request" };
  }
}

/**
 * Handles Node's `clientError` for one socket. `busy` is whether a response
 * is in progress on it: then nothing can be written and the socket is cut.
 */
export function replyToClientError(err: NodeJS.ErrnoException, socket: net.Socket, busy: boolean): void {
  // The parser keeps reporting the same error for every chunk still arriving.
  if (answered.has(socket)) return;
  answered.add(socket);
  if (err.code === "ECONNRESET" || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const { status, code, message } = answerFor(err);
  // Both the nested REST shape and the top-level code (protocol.md §7) are present.
  const body = JSON.stringify({ code, message, detail: { code, message } });
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
  socket.end();
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once("close", () => clearTimeout(cut));
  // The peer's FIN ends the socket on its own (no half-open sockets on this server).
  socket.on("data", () => {});
  socket.resume();
}
