/**
 * Registers `stigmem import`; the work (import.ts) is loaded only when it runs.
 *
 * @module
 */
import type { Command } from "commander";
import type { ImportCliOptions } from "./import.js";

/** Adds `import` to the program. */
export function registerImport(program: Command): void {
  program
    .command("import")
    .description("restore an export file into the empty store of a stopped node (--offline), in bulk")
    .argument("<file>", "the export file (JSON Lines, from stigmem export); - reads standard input")
    .option("--offline", "write the data folder directly; the node must be stopped (required)")
    .option("--data <dir>", "data folder (STIGMEM_DATA_DIR; default ./stigmem-data); created if missing")
    .option("--db <file>", "SQLite file, relative to the data folder (STIGMEM_DB_PATH; default stigmem.db)")
    .option("--checkpoint-every <facts>", "facts per committed checkpoint; a killed import redoes at most this many (default 100000)")
    .option("--json", "print the summary as JSON (the progress stays on stderr)")
    .addHelpText(
      "after",
      "\nThe store must hold no facts; the folder then becomes the exported node (its id, facts, conflicts,\n" +
        "fact chain). A killed import resumes when run again with the same file; importing a file twice\n" +
        "changes nothing. Embeddings follow in the background when the node starts. See docs/import-export.md.\n",
    )
    .action(async (file: string, opts: ImportCliOptions) => (await import("./import.js")).runImport(file, opts));
}
