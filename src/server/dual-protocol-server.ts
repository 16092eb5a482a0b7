/**
 * One cleartext TCP port that speaks HTTP/1.1 and HTTP/2 (h2c, prior
 * knowledge). Node's `http2.createServer({allowHTTP1})` only negotiates via
 * TLS ALPN, so without TLS we look at the first bytes of every connection:
 * the HTTP/2 client preface starts with `PRI * HTTP/2.0`, no HTTP/1.1 request
 * line does (the `PRI` method is reserved for exactly this purpose).
 *
 * The returned object is a `net.Server` that fastify listens on and closes;
 * it tracks every socket so shutdown can be graceful (finish in-flight
 * requests, then close) or forced (tests).
 *
 * Slow and idle clients are bounded on both protocols (issue 15: a client
 * that never finished its headers held its connection for ever):
 * - the protocol sniff and the headers of each HTTP/1.1 request must arrive
 *   within the headers timeout, the whole request within the request timeout
 *   (Node's own checks, which only run for an `http.Server` that saw
 *   `listening`: ours never listens itself, so it is told when the port does);
 * - an HTTP/2 connection must open its first stream within the headers
 *   timeout, each stream must finish sending its request within the request
 *   timeout, and at most 100 streams run at once per connection;
 * - idle keep-alive connections and HTTP/2 sessions close after the idle
 *   timeout;
 * - at most `maxConnections` connections are open; further ones are closed
 *   as they arrive;
 * - parser errors (headers over 16 KiB, timeouts) get a complete answer and
 *   a graceful close, so a client still sending reads its answer instead of
 *   a reset (client-error-reply.ts).
 *
 * @module
 */
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { replyToClientError } from "./client-error-reply.js";

export type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
/** Bytes needed to tell the two apart: `PRI ` vs any HTTP/1.1 method. */
const SNIFF_BYTES = 4;
/** Streams one HTTP/2 connection may run at once (Node's default is unbounded). */
const MAX_CONCURRENT_STREAMS = 100;

/** The server fastify sees; the extra methods are the ones fastify calls on close. */
export interface DualProtocolServer extends net.Server {
  /** Destroys every connection now (tests, or after the graceful deadline). */
  closeAllConnections(): void;
  /** Closes idle HTTP/1.1 keep-alive sockets and asks HTTP/2 sessions to finish (GOAWAY). */
  closeIdleConnections(): void;
  /** Same as closeIdleConnections for HTTP/2 sessions; fastify calls it on close. */
  closeHttp2Sessions(): void;
  /** Connections open right now. */
  connectionCount(): number;
}

export interface DualProtocolServerOptions {
  /** Time to receive the first bytes and each request's headers (HTTP/1.1), or the first stream (HTTP/2). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** Idle time after which a keep-alive connection or an HTTP/2 session is closed. */
  idleTimeoutMs: number;
  /** Most connections open at once. */
  maxConnections: number;
  /** How long a graceful close waits for in-flight requests before cutting connections. */
  gracefulCloseMs: number;
}

/** Creates the sniffing server. `handler` is fastify's request handler. */
export function createDualProtocolServer(handler: Handler, opts: DualProtocolServerOptions): DualProtocolServer {
  const h1 = http.createServer(
    {
      headersTimeout: opts.headersTimeoutMs,
      requestTimeout: opts.requestTimeoutMs,
      // How often Node looks for connections past those timeouts (30 s by default).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(opts.headersTimeoutMs / 4))),
    },
    handler as http.RequestListener,
  );
  h1.keepAliveTimeout = opts.idleTimeoutMs;
  const h2 = http2.createServer(
    { settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } },
    handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    boundSession(session, opts);
    session.once("close", () => sessions.delete(session));
  });
  h2.on("stream", (stream) => boundStream(stream, opts.requestTimeoutMs));

  const sockets = new Set<net.Socket>();
  let closing = false;

  // http.Server tracks idle keep-alive sockets only for servers that listen
  // themselves; ours never does, so count in-flight requests per socket here.
  const inFlight = new Map<net.Socket, number>();
  h1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once("close", () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      // While shutting down, a keep-alive socket is closed as soon as it is idle.
      if (closing && left === 0) socket.destroySoon();
    });
  });

  h1.on("clientError", (err: NodeJS.ErrnoException, socket: net.Socket) => {
    replyToClientError(err, socket, (inFlight.get(socket) ?? 0) > 0);
  });

  const h1Sockets = new Set<net.Socket>();
  const outer = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      h1Sockets.delete(socket);
      inFlight.delete(socket);
    });
    sniff(socket, opts.headersTimeoutMs, (isH2) => {
      if (!isH2) h1Sockets.add(socket);
      (isH2 ? h2 : h1).emit("connection", socket);
    });
  }) as DualProtocolServer;
  outer.maxConnections = opts.maxConnections;
  // Starts Node's header and request timeout checks on the HTTP/1.1 server.
  outer.on("listening", () => h1.emit("listening"));
  outer.connectionCount = () => sockets.size;

  const closeIdle = (): void => {
    for (const socket of h1Sockets) if ((inFlight.get(socket) ?? 0) === 0) socket.destroySoon();
    for (const s of sessions) if (!s.closed) s.close();
  };
  outer.closeIdleConnections = closeIdle;
  outer.closeHttp2Sessions = () => {
    for (const s of sessions) if (!s.closed) s.close();
  };
  outer.closeAllConnections = () => {
    for (const s of sessions) s.destroy();
    for (const socket of sockets) socket.destroy();
  };

  // net.Server#close only stops accepting; its callback waits for every
  // socket to end. Keep-alive sockets would hold it open until their idle
  // timeout, so while closing we shut idle ones (now, and each one as its last
  // request finishes), and after the deadline we cut whatever is still open.
  const originalClose = outer.close.bind(outer);
  outer.close = ((cb?: (err?: Error) => void) => {
    if (!closing) {
      closing = true;
      // Stops the HTTP/1.1 server's timeout checks (it never listened, so nothing else closes).
      h1.close();
      const deadline = setTimeout(() => outer.closeAllConnections(), opts.gracefulCloseMs ?? 10_000);
      deadline.unref();
      closeIdle();
      originalClose((err?: Error) => {
        clearTimeout(deadline);
        cb?.(err);
      });
      return outer;
    }
    return originalClose(cb);
  });

  return outer;
}

/**
 * Closes an HTTP/2 session that opens no stream within the headers timeout
 * (a preface and then silence, or a first request that never completes), and
 * one that stays idle for the idle timeout (GOAWAY, so a client between
 * requests reconnects cleanly).
 */
function boundSession(session: http2.ServerHttp2Session, opts: DualProtocolServerOptions): void {
  const firstStream = setTimeout(() => session.destroy(), opts.headersTimeoutMs);
  firstStream.unref();
  session.once("stream", () => clearTimeout(firstStream));
  session.once("close", () => clearTimeout(firstStream));
  session.setTimeout(opts.idleTimeoutMs, () => session.close());
}

/**
 * Cancels a stream whose request is still arriving after the request timeout.
 * Only the request is bounded: a server stream (PullFacts, WatchFacts) may
 * answer for as long as it needs.
 */
function boundStream(stream: http2.ServerHttp2Stream, requestTimeoutMs: number): void {
  if (stream.endAfterHeaders) return;
  const timer = setTimeout(() => {
    if (!stream.readableEnded) stream.close(http2.constants.NGHTTP2_CANCEL);
  }, requestTimeoutMs);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  stream.once("end", done);
  stream.once("close", done);
}

/**
 * Reads until the protocol is known, puts the bytes back, and hands the socket
 * on. A connection that closes or stalls before that is simply dropped.
 */
function sniff(socket: net.Socket, timeoutMs: number, route: (isH2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  timer.unref();
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, SNIFF_BYTES);
    const isH2Prefix = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (seen.length < SNIFF_BYTES && isH2Prefix) return;
    clearTimeout(timer);
    socket.off("data", onData);
    socket.off("end", onEarlyEnd);
    socket.pause();
    socket.unshift(seen);
    route(isH2Prefix);
    // The server we handed the socket to has attached its own reader.
    process.nextTick(() => socket.resume());
  };
  const onEarlyEnd = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  socket.on("data", onData);
  socket.once("end", onEarlyEnd);
  socket.once("error", () => {
    clearTimeout(timer);
    socket.destroy();
  });
}
