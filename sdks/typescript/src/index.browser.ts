/**
 * `@stigmem/sdk` in the browser: the same API as the Node entry, with
 * @connectrpc/connect-web transports over `fetch`. Browsers cannot read
 * HTTP/2 trailers, so the gRPC protocol is refused: use `grpc-web` or
 * `connect` (or `rest`). A page on another origin than the node needs the
 * node to allow it by CORS.
 *
 * @module
 */
import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { createClientWith, createTransportWith, type TransportFactory } from "./client/create-client.js";
import type { ClientOptions, StigmemClient } from "./client/stigmem-client.js";
import type { TransportKind } from "./types.js";

/** A client of one node; `transport` defaults to `connect`. */
export function createClient(opts: ClientOptions): StigmemClient {
  return createClientWith(opts, webTransport);
}

/** The transport under the facade, for the low-level clients of `@stigmem/sdk/connect`. */
export function createTransport(opts: ClientOptions & { transport: Exclude<TransportKind, "rest"> }): Transport {
  return createTransportWith(opts, webTransport);
}

const webTransport: TransportFactory<ClientOptions> = (kind, s) => {
  const common = { baseUrl: s.baseUrl, interceptors: s.interceptors, defaultTimeoutMs: s.defaultTimeoutMs, fetch: s.fetch };
  switch (kind) {
    case "grpc-web":
      return createGrpcWebTransport(common);
    case "connect":
      return createConnectTransport(common);
    case "grpc":
      throw new Error('browsers cannot speak gRPC (no HTTP/2 trailers): use transport "grpc-web" or "connect"');
  }
};

export * from "./public-api.js"; // the shared surface, listed by name there
