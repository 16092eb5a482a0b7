/**
 * Starts a real node for a test: a fresh SQLite file in a temp folder, a
 * loopback port chosen by the OS, the production server assembly. Nothing
 * of ours is mocked.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import type { Tracer } from "@opentelemetry/api";
import { loadConfig } from "../../src/config.js";
import type { SemanticFactory } from "../../src/node/recall/semantic-channel.js";
import { createLogger, type Logger } from "../../src/server/logger.js";
import { startNode, type RunningNode } from "../../src/server/start-node.js";
import { EMBED_CACHE_DIR } from "./embed-cache.js";

export interface TestNode extends RunningNode {
  readonly dataDir: string;
  /**
   * A read-only connection of the test's own to the node's database file, for
   * looking at what the node stored (the node's connection never leaves
   * `src/store/`). Opened on first use, closed by {@link stop}.
   */
  inspect(): Database.Database;
  /** Closes the node and deletes its data folder. */
  stop(): Promise<void>;
}

export interface TestNodeOptions {
  /** Extra STIGMEM_* variables; auth is off unless STIGMEM_AUTH_REQUIRED is given. */
  env?: Record<string, string>;
  /** Reuse an existing data folder (restart tests); it is then not deleted on stop. */
  dataDir?: string;
  /** Starts the semantic channel instead of the embedder the configuration names (fault injection at the seam). */
  semantic?: SemanticFactory;
  /** Run beside another node on the same folder (no folder lock), as another process writing to it would. */
  shareDataFolder?: boolean;
  /** Tracer for the node's request spans (tests with an in-memory exporter). */
  tracer?: Tracer;
  /** Where the node logs (tests that read the log); a logger at STIGMEM_LOG_LEVEL on stdout by default. */
  log?: Logger;
}

export async function startTestNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "stigmem-test-"));
  const config = loadConfig({
    STIGMEM_HOST: "127.0.0.1",
    STIGMEM_PORT: "0",
    STIGMEM_DATA_DIR: dataDir,
    STIGMEM_AUTH_REQUIRED: "false",
    STIGMEM_LOG_LEVEL: process.env.STIGMEM_TEST_LOG_LEVEL ?? "silent",
    // The offline embedder (the default) loads the vocabulary the global setup derived.
    STIGMEM_EMBED_CACHE_DIR: EMBED_CACHE_DIR,
    ...opts.env,
  });
  const running = await startNode(config, opts.log ?? createLogger(config.logLevel), {
    forceCloseConnections: true,
    semantic: opts.semantic,
    shareDataFolder: opts.shareDataFolder === true,
    tracer: opts.tracer,
  });
  let reader: Database.Database | undefined;
  return {
    ...running,
    node: running.node,
    app: running.app,
    url: running.url,
    close: () => running.close(),
    dataDir,
    inspect: () => {
      if (reader === undefined) {
        reader = new Database(config.dbPath, { readonly: true });
        sqliteVec.load(reader);
      }
      return reader;
    },
    stop: async () => {
      reader?.close();
      await running.close();
      if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
