/**
 * `@stigmem/sdk` for Node: the facade over REST, Connect, gRPC and gRPC-Web
 * (@connectrpc/connect-node), typed errors, value and URI helpers, and local
 * CID and fact-chain verification. Browsers get `index.browser.ts` through
 * the package's `browser` export condition.
 *
 * @example
 * import { createClient, value } from "@stigmem/sdk";
 * const client = createClient({ baseUrl: "http://127.0.0.1:8765", apiKey, transport: "grpc" });
 * const { fact } = await client.facts.assert({ entity: "user:alice", relation: "memory:role",
 *   value: value.string("engineer"), source: "agent:me", scope: "company" });
 *
 * @module
 */
import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { createClientWith, createTransportWith, type TransportFactory } from "./client/create-client.js";
import type { ClientOptions, StigmemClient } from "./client/stigmem-client.js";
import type { TransportKind } from "./types.js";

/** Node options: the HTTP version for the Connect and gRPC-Web protocols (gRPC always uses HTTP/2). */
export interface NodeClientOptions extends ClientOptions {
  /** Default `1.1`; `2` speaks h2c (prior knowledge) to an `http://` node. */
  httpVersion?: "1.1" | "2";
}

/**
 * A client of one node. `transport` defaults to `connect`; `rest` uses the
 * `/v1` gateway, the others the Connect contract on the same port.
 */
export function createClient(opts: NodeClientOptions): StigmemClient {
  return createClientWith(opts, nodeTransport);
}

/**
 * The transport under the facade, for the low-level clients of
 * `@stigmem/sdk/connect` (every method of the contract, streams included).
 *
 * @example
 * const rpc = createServiceClients(createTransport({ baseUrl, apiKey, transport: "grpc" }));
 */
export function createTransport(opts: NodeClientOptions & { transport: Exclude<TransportKind, "rest"> }): Transport {
  return createTransportWith(opts, nodeTransport);
}

const nodeTransport: TransportFactory<NodeClientOptions> = (kind, s, o) => {
  const common = { baseUrl: s.baseUrl, interceptors: s.interceptors, defaultTimeoutMs: s.defaultTimeoutMs };
  switch (kind) {
    case "grpc":
      return createGrpcTransport(common);
    case "grpc-web":
      return createGrpcWebTransport({ ...common, httpVersion: o.httpVersion ?? "1.1" });
    case "connect":
      return createConnectTransport({ ...common, httpVersion: o.httpVersion ?? "1.1" });
  }
};

export * from "./public-api.js"; // the shared surface, listed by name there
