/**
 * `stigmem serve`: run the node until SIGINT/SIGTERM, then shut down
 * gracefully — stop accepting, finish in-flight requests, close the
 * database — and exit 0. A second signal exits at once with 1.
 *
 * Logs go to stdout: readable lines on a terminal, JSON lines otherwise.
 *
 * @module
 */
import { loadConfig, type ConfigFlags } from "../config.js";
import { createLogger, createPrettyLogger } from "../server/logger.js";
import { startNode } from "../server/start-node.js";
import { colorEnabled } from "./terminal.js";

/** Runs the node until a signal; resolves with the exit code. */
export async function runServe(flags: ConfigFlags): Promise<number> {
  const config = loadConfig(process.env, flags);
  const log = process.stdout.isTTY
    ? createPrettyLogger(config.logLevel, colorEnabled(process.stdout))
    : createLogger(config.logLevel);
  const running = await startNode(config, log);
  log.info(
    { url: running.url, node_id: running.node.nodeId, data_dir: config.dataDir, auth_required: config.authRequired },
    "stigmem node listening",
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.warn({ signal }, "second signal: exiting immediately");
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, "shutting down: finishing in-flight requests");
      // Logs are written asynchronously; flush them before the process ends.
      const finish = (code: number): void => log.flush(() => resolve(code));
      running.close().then(
        () => {
          log.info("stopped");
          finish(0);
        },
        (e: unknown) => {
          log.error({ err: e }, "shutdown failed");
          finish(1);
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
