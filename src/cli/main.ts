#!/usr/bin/env node
/**
 * The `stigmem` command. Exit codes: 0 success, 1 runtime failure,
 * 2 bad usage or configuration (one line on stderr naming the culprit).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../config.js";
import { VERSION } from "../version.js";
import { EMBED_HELP, runEmbed } from "./embed.js";
import { KEYS_HELP, runKeys } from "./keys.js";
import { runServe } from "./serve.js";

const HELP = `stigmem ${VERSION} — a node of the Stigmem shared-memory fabric

Usage:
  stigmem serve [--host H] [--port P] [--data DIR] [--db FILE]
                [--node-url URL] [--node-id ID] [--log-level LEVEL]
                             run the node (REST, Connect, gRPC and gRPC-Web on one port)
${KEYS_HELP}${EMBED_HELP}  stigmem version            print the version
  stigmem --help             show this help

Every flag has a STIGMEM_* environment variable twin (see README.md);
a flag wins over its variable.
`;

/** A usage mistake on the command line. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case "version":
    case "--version":
    case "-v":
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case "serve":
      return runServe(parseServeFlags(rest));
    case "keys":
      return runKeys(rest);
    case "embed":
      return runEmbed(rest);
    default:
      throw new UsageError(`unknown command "${command}"; see stigmem --help`);
  }
}

function parseServeFlags(args: string[]): Record<string, string | undefined> {
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        data: { type: "string" },
        db: { type: "string" },
        "node-url": { type: "string" },
        "node-id": { type: "string" },
        "log-level": { type: "string" },
      },
    });
    return {
      host: values.host,
      port: values.port,
      data: values.data,
      db: values.db,
      nodeUrl: values["node-url"],
      nodeId: values["node-id"],
      logLevel: values["log-level"],
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof UsageError) {
      process.stderr.write(`stigmem: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`stigmem: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
