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
import { loadConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/server/logger.js";
import { startNode, type RunningNode } from "../../src/server/start-node.js";
import { EMBED_CACHE_DIR } from "./embed-cache.js";

export interface TestNode extends RunningNode {
  readonly dataDir: string;
  /** Closes the node and deletes its data folder. */
  stop(): Promise<void>;
}

export interface TestNodeOptions {
  /** Extra STIGMEM_* variables; auth is off unless STIGMEM_AUTH_REQUIRED is given. */
  env?: Record<string, string>;
  /** Reuse an existing data folder (restart tests); it is then not deleted on stop. */
  dataDir?: string;
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
  const running = await startNode(config, opts.log ?? createLogger(config.logLevel), { forceCloseConnections: true });
  return {
    ...running,
    node: running.node,
    app: running.app,
    url: running.url,
    close: running.close,
    dataDir,
    stop: async () => {
      await running.close();
      if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
