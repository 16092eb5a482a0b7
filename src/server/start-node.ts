/**
 * Starts a complete node: opens its data, ensures an auth-required node has
 * a usable key (the bootstrap admin key, protocol.md §8), builds the server
 * and listens.
 * Used by `stigmem serve` and by the integration tests, so tests exercise
 * exactly what production runs.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { startEmbedding } from "../embed/start-embedding.js";
import { bootstrapAdminKey } from "../node/auth/bootstrap.js";
import type { SemanticFactory } from "../node/recall/semantic-channel.js";
import { StigmemNode } from "../node/stigmem-node.js";
import { buildServer, type BuildServerOptions } from "./build-server.js";
import type { Logger } from "./logger.js";

export interface RunningNode {
  readonly node: StigmemNode;
  readonly app: FastifyInstance;
  /** Base URL of the bound port, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export interface StartNodeOptions extends BuildServerOptions {
  /** Starts the semantic channel; the configured embedder (src/embed/) by default. */
  readonly semantic?: SemanticFactory;
}

export async function startNode(config: Config, log: Logger, opts: StartNodeOptions = {}): Promise<RunningNode> {
  const node = StigmemNode.open(config, log, { semantic: opts.semantic ?? ((host) => startEmbedding(host)) });
  let app: FastifyInstance;
  try {
    bootstrapAdminKey(node);
    app = await buildServer(node, log, opts);
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await node.close();
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  node.setBoundAddress(config.host, address.port);
  node.expirySweeper.start();
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    node,
    app,
    url: `http://${host}:${address.port}`,
    close: () => {
      closing ??= app.close().then(() => node.close());
      return closing;
    },
  };
}
