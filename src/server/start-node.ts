/**
 * Starts a complete node: locks its data folder, opens its data, builds the
 * server and binds the port, then ensures an auth-required node has a
 * usable key (the bootstrap admin key, protocol.md §8) and starts its
 * semantic channel.
 * Used by `stigmem serve` and by the integration tests, so tests exercise
 * exactly what production runs.
 *
 * The order is for the operator: a folder already served, or a port already
 * taken, is reported before anything is created in the folder — no
 * bootstrap key file is written and no vocabulary derived for a node that
 * cannot start.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import type { Tracer } from "@opentelemetry/api";
import type { FastifyInstance } from "fastify";
import { ConfigError, type Config } from "../config.js";
import { startEmbedding } from "../embed/start-embedding.js";
import { referencePullSource } from "../transport/rest/reference-pull-source.js";
import { bootstrapAdminKey } from "../node/auth/bootstrap.js";
import { peerStatuses } from "../node/federation/peer-status.js";
import { PullerPool } from "../node/federation/puller-pool.js";
import type { PullSourceFactory } from "../node/federation/pull-source.js";
import type { SemanticFactory } from "../node/recall/semantic-channel.js";
import { StigmemNode } from "../node/stigmem-node.js";
import { connectPullSource } from "../transport/connect/federation-pull-client.js";
import { buildServer, type BuildServerOptions } from "./build-server.js";
import { lockDataFolder, type DataFolderLock } from "../store/data-folder-lock.js";
import type { Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { tracedPullSources } from "./traced-pull-source.js";
import { startTracing, type Tracing } from "./tracing.js";
import { WebhookDispatcher } from "../node/subscriptions/webhook-dispatcher.js";
import { factJson } from "../transport/rest/fact-json.js";

export interface RunningNode {
  readonly node: StigmemNode;
  /** The pull workers, one per active peer; null while federation is off. */
  readonly pullers: PullerPool | null;
  readonly app: FastifyInstance;
  /** Base URL of the bound port, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes the database and drops the folder lock. */
  close(): Promise<void>;
}

export interface StartNodeOptions extends BuildServerOptions {
  /** Starts the semantic channel; the configured embedder (src/embed/) by default. */
  readonly semantic?: SemanticFactory;
  /**
   * Do not take the data folder's lock: for tests that deliberately run a
   * second node beside another on one folder, as another process would
   * write to it. Production always locks.
   */
  shareDataFolder?: boolean;
}

/**
 * Starts the node described by `config`.
 * @throws DataFolderLockedError when another live process serves the folder.
 * @throws ConfigError when the address cannot be bound (in use, not permitted, not local).
 */
export async function startNode(config: Config, log: Logger, opts: StartNodeOptions = {}): Promise<RunningNode> {
  const lock: DataFolderLock | null = opts.shareDataFolder === true ? null : lockDataFolder(config.dataDir);
  let node: StigmemNode | undefined;
  let app: FastifyInstance | undefined;
  let tracing: Tracing | undefined;
  let pullers: PullerPool | null = null;
  try {
    node = StigmemNode.open(config, log);
    if (config.federationEnabled) await node.startFederation();
    // The caller's tracer (tests, an embedding application), else our own, which close() flushes.
    const tracer: Tracer = opts.tracer ?? (tracing = startTracing(config.otlpEndpoint, log, node.nodeId)).tracer;
    const metrics = opts.metrics ?? new Metrics();
    app = await buildServer(node, log, { ...opts, metrics, tracer });
    await listen(app, config);
    // No request is handled before the steps below: they are synchronous and
    // the listen promise settles in the same turn of the event loop as the
    // bind, so the first connection is read only after they return. (With
    // host `localhost` fastify looks up and binds the other loopback address
    // first; a request in that moment finds no key yet and no semantic channel.)
    const address = app.server.address() as AddressInfo;
    node.setBoundAddress(config.host, address.port);
    bootstrapAdminKey(node);
    // After the bind: the offline embedder derives its vocabulary on a first start.
    node.startSemantic(opts.semantic ?? ((host) => startEmbedding(host)));
    addNodeGauges(metrics, node);
    node.expirySweeper.start();
    startWebhooks(node);
    pullers = startPullers(node, config, log, tracer);
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    lock?.setUrl(url);
    const running = { node, app, tracing, lock, pullers };
    let closing: Promise<void> | undefined;
    return { node, app, url, pullers, close: () => (closing ??= closeAll(running)) };
  } catch (e) {
    await closeAll({ node, app, tracing, lock, pullers });
    throw e;
  }
}

/** Binds the configured address; a bind failure is a configuration problem naming the address (exit 2). */
async function listen(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const where = `${config.host}:${config.port}`;
    if (code === "EADDRINUSE") {
      throw new ConfigError(
        `port ${config.port}`,
        `${where} is already in use; stop what listens there or choose another port (--port, STIGMEM_PORT)`,
      );
    }
    if (code === "EACCES") {
      throw new ConfigError(`port ${config.port}`, `binding ${where} is not permitted (ports below 1024 need privileges)`);
    }
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
      throw new ConfigError(`host ${config.host}`, `is not an address of this machine (--host, STIGMEM_HOST)`);
    }
    throw e;
  }
}

/** The scrape-time gauges that need the running node's parts. */
function addNodeGauges(metrics: Metrics, node: StigmemNode): void {
  metrics.addGauge({
    name: "stigmem_embedding_backlog",
    help: "Facts committed but not embedded yet (0 without an embedder).",
    read: () => node.embeddingBacklog(),
  });
  metrics.addGauge({
    name: "stigmem_write_queue_depth",
    help: "Writes waiting for the next group commit.",
    read: () => node.writes.depth,
  });
  if (node.federation === null) return;
  const peers = node.stores.peers;
  metrics.addLabelledGauge({
    name: "stigmem_federation_peer_lag_seconds",
    help: "Per active peer: seconds since its puller last knew it was caught up (absent until it first caught up).",
    labelNames: ["peer_id"],
    read: () =>
      peerStatuses(peers, Date.now()).flatMap((r) =>
        r.peer.status === "active" && r.lagMs !== null ? [{ labels: { peer_id: r.peer.peerId }, value: r.lagMs / 1000 }] : [],
      ),
  });
  metrics.addLabelledGauge({
    name: "stigmem_federation_peer_failing",
    help: "Per active peer: 1 while its last pull attempt failed, else 0.",
    labelNames: ["peer_id"],
    read: () => peerStatuses(peers, Date.now()).flatMap((r) => (r.peer.status === "active" ? [{ labels: { peer_id: r.peer.peerId }, value: r.failing ? 1 : 0 }] : [])),
  });
}

/**
 * Starts one pull worker per active peer (protocol.md §10): over the
 * Connect stream for peers that serve it, over REST pages for reference
 * nodes.
 */
function startPullers(node: StigmemNode, config: Config, log: Logger, tracer: Tracer): PullerPool | null {
  if (node.federation === null) return null;
  const sources: PullSourceFactory = (peer, mint) =>
    peer.transport === "rest" ? referencePullSource(peer, mint) : connectPullSource(peer, mint, { ttlMs: config.federationStreamTokenTtlMs });
  const pool = new PullerPool(node, tracedPullSources(sources, tracer), log);
  pool.start();
  return pool;
}

/** Starts webhook fan-out and delivery; the fact body is the REST FactRecord. */
function startWebhooks(node: StigmemNode): void {
  const dispatcher = new WebhookDispatcher(node, factJson);
  node.subscriptions.own(dispatcher);
  dispatcher.start();
}

async function closeAll(parts: {
  node: StigmemNode | undefined;
  app: FastifyInstance | undefined;
  tracing: Tracing | undefined;
  lock: DataFolderLock | null;
  pullers: PullerPool | null;
}): Promise<void> {
  try {
    // Streams served to peers end first, so the graceful close below does not wait for them;
    // our own workers stop after the page they are committing.
    parts.node?.federation?.close();
    await parts.node?.subscriptions.close();
    await parts.pullers?.stop();
    await parts.app?.close();
    await parts.node?.close();
    await parts.tracing?.shutdown();
  } finally {
    parts.lock?.release();
  }
}
