/**
 * Registers `stigmem serve`; the node itself (serve.ts) is loaded only when
 * the command runs, so `--help` and typos answer at once.
 *
 * @module
 */
import type { Command } from "commander";
import { ExitWith } from "./cli-errors.js";

/** The serve flags; each has a STIGMEM_* twin that it overrides. */
interface ServeOptions {
  host?: string;
  port?: string;
  data?: string;
  db?: string;
  nodeUrl?: string;
  nodeId?: string;
  logLevel?: string;
}

/** Adds `serve` to the program. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the node (REST, Connect, gRPC and gRPC-Web on one port)")
    .option("--host <host>", "interface to bind (STIGMEM_HOST; default 127.0.0.1)")
    .option("--port <port>", "TCP port, 0 = any free port (STIGMEM_PORT; default 8765)")
    .option("--data <dir>", "folder for the database and key material (STIGMEM_DATA_DIR; default ./stigmem-data)")
    .option("--db <file>", "SQLite file, relative to the data folder (STIGMEM_DB_PATH; default stigmem.db)")
    .option("--node-url <url>", "public URL of this node (STIGMEM_NODE_URL; default http://<host>:<port>)")
    .option("--node-id <id>", "stigmem:node:<uuid>; must match the data folder's (STIGMEM_NODE_ID)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (STIGMEM_LOG_LEVEL; default info)")
    .addHelpText(
      "after",
      "\nThe other settings (auth, embedder, recall, tracing) are environment variables only; see README.md.\n" +
        "Stop with Ctrl-C or SIGTERM: in-flight requests finish, then the node exits 0.\n",
    )
    .action(async (opts: ServeOptions) => {
      const { runServe } = await import("./serve.js");
      const code = await runServe(opts);
      if (code !== 0) throw new ExitWith(code);
    });
}

