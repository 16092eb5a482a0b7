/**
 * Registers `stigmem doctor`; the checks (doctor.ts) are loaded only when it runs.
 *
 * @module
 */
import type { Command } from "commander";

/** Adds `doctor` to the program. */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check the configuration, database, data-folder lock, keys and embedder, and say what to fix")
    .option("--data <dir>", "data folder to check (STIGMEM_DATA_DIR; default ./stigmem-data)")
    .option("--db <file>", "SQLite file, relative to the data folder (STIGMEM_DB_PATH)")
    .option("--json", "print the findings as JSON")
    .addHelpText("after", "\nIt reads the same STIGMEM_* variables as serve, so run it with the node's environment.\n")
    .action(async (opts: { data?: string; db?: string; json?: boolean }) => (await import("./doctor.js")).runDoctor(opts));
}

