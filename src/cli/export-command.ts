/**
 * Registers `stigmem export`; the work (export.ts) is loaded only when it runs.
 *
 * @module
 */
import type { Command } from "commander";
import type { ExportCliOptions } from "./export.js";

/** Adds `export` to the program. */
export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write every fact and conflict of a data folder as JSON Lines (stdout or --output), running node or not")
    .option("--data <dir>", "data folder (STIGMEM_DATA_DIR; default ./stigmem-data)")
    .option("--db <file>", "SQLite file, relative to the data folder (STIGMEM_DB_PATH; default stigmem.db)")
    .option("-o, --output <file>", "write the export to this file instead of stdout")
    .option("--json", "print a JSON summary (on stdout with --output, else on stderr)")
    .addHelpText(
      "after",
      "\nA node serving the folder may keep running: the export reads one consistent snapshot of its\n" +
        "database. The format is described in docs/import-export.md; stigmem import restores it.\n",
    )
    .action(async (opts: ExportCliOptions) => (await import("./export.js")).runExport(opts));
}
