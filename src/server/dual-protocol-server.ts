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
 * @module
 */
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";

export type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
/** Bytes needed to tell the two apart: `PRI ` vs any HTTP/1.1 method. */
const SNIFF_BYTES = 4;
/** A client that sends nothing for this long is dropped before we pick a protocol. */
const SNIFF_TIMEOUT_MS = 10_000;

/** The server fastify sees; the extra methods are the ones fastify calls on close. */
export interface DualProtocolServer extends net.Server {
  /** Destroys every connection now (tests, or after the graceful deadline). */
  closeAllConnections(): void;
  /** Closes idle HTTP/1.1 keep-alive sockets and asks HTTP/2 sessions to finish (GOAWAY). */
  closeIdleConnections(): void;
  /** Same as closeIdleConnections for HTTP/2 sessions; fastify calls it on close. */
  closeHttp2Sessions(): void;
}

export interface DualProtocolServerOptions {
  /** Keep-alive idle timeout for HTTP/1.1 connections. */
  keepAliveTimeoutMs?: number;
  /** How long a graceful close waits for in-flight requests before cutting connections. */
  gracefulCloseMs?: number;
}

/** Creates the sniffing server. `handler` is fastify's request handler. */
export function createDualProtocolServer(handler: Handler, opts: DualProtocolServerOptions = {}): DualProtocolServer {
  const h1 = http.createServer(handler as http.RequestListener);
  h1.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 72_000;
  const h2 = http2.createServer(handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

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

  const h1Sockets = new Set<net.Socket>();
  const outer = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      h1Sockets.delete(socket);
      inFlight.delete(socket);
    });
    sniff(socket, (isH2) => {
      if (!isH2) h1Sockets.add(socket);
      (isH2 ? h2 : h1).emit("connection", socket);
    });
  }) as DualProtocolServer;

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
 * Reads until the protocol is known, puts the bytes back, and hands the socket
 * on. A connection that closes or stalls before that is simply dropped.
 */
function sniff(socket: net.Socket, route: (isH2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), SNIFF_TIMEOUT_MS);
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
