/**
 * Builds the facade for the chosen transport. The platform-specific part —
 * which library makes Connect, gRPC and gRPC-Web transports — is passed in by
 * the Node entry (`index.ts`, @connectrpc/connect-node) and the browser
 * entry (`index.browser.ts`, @connectrpc/connect-web), so the rest is shared.
 *
 * @module
 */
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectFacade } from "../connect/connect-facade.js";
import { createRestFacade } from "../rest/rest-facade.js";
import type { TransportKind } from "../types.js";
import type { ClientOptions, StigmemClient } from "./stigmem-client.js";

/** What a platform needs to make one Connect-family transport. */
export interface TransportSettings {
  readonly baseUrl: string;
  readonly interceptors: Interceptor[];
  readonly defaultTimeoutMs: number | undefined;
  readonly fetch: typeof globalThis.fetch | undefined;
}

/** Makes the transport for `kind`, or throws when the platform cannot speak it. */
export type TransportFactory<O> = (kind: Exclude<TransportKind, "rest">, settings: TransportSettings, opts: O) => Transport;

/** Sends the API key the way the node expects it on every protocol. */
function bearer(apiKey: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${apiKey}`);
    return next(req);
  };
}

/** The Connect-family transport `opts` asks for, with the API key and timeout applied. */
export function createTransportWith<O extends ClientOptions>(
  opts: O & { transport: Exclude<TransportKind, "rest"> },
  makeTransport: TransportFactory<O>,
): Transport {
  const settings: TransportSettings = {
    baseUrl: opts.baseUrl.replace(/\/+$/, ""),
    interceptors: opts.apiKey === undefined ? [] : [bearer(opts.apiKey)],
    defaultTimeoutMs: opts.timeoutMs,
    fetch: opts.fetch,
  };
  return makeTransport(opts.transport, settings, opts);
}

/** The facade over REST, or over a Connect-family transport from `makeTransport`. */
export function createClientWith<O extends ClientOptions>(opts: O, makeTransport: TransportFactory<O>): StigmemClient {
  const kind = opts.transport ?? "connect";
  if (kind === "rest") return createRestFacade(opts);
  return createConnectFacade(createTransportWith({ ...opts, transport: kind }, makeTransport), kind);
}
