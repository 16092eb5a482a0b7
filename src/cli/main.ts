#!/usr/bin/env node
/**
 * The `stigmem` command. Exit codes: 0 success, 1 runtime failure,
 * 2 bad usage or configuration (one line on stderr naming the culprit).
 * The command tree is in program.ts.
 *
 * @module
 */
import { runCli } from "./program.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`stigmem: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
