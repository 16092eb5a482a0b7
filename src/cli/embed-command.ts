/**
 * Registers `stigmem embed backfill`; the embedding work (embed.ts) is
 * loaded only when it runs.
 *
 * @module
 */
import type { Command } from "commander";
import type { BackfillOptions } from "./embed.js";


/** Adds `embed backfill` to the program. */
export function registerEmbed(program: Command): void {
  const embed = program.command("embed").description("maintain the vectors of recall's semantic channel");
  embed
    .command("backfill")
    .description("embed the facts not embedded yet (all of them after a model change, or with --force), with a progress bar")
    .option("--data <dir>", "data folder (STIGMEM_DATA_DIR; default ./stigmem-data)")
    .option("--db <file>", "SQLite file, relative to the data folder (STIGMEM_DB_PATH; default stigmem.db)")
    .option("--force", "embed every fact again")
    .option("--json", "print the summary as JSON (the progress bar stays on stderr)")
    .addHelpText("after", "\nThe embedder is the node's: STIGMEM_EMBEDDER and STIGMEM_EMBED_* (README.md).\n")
    .action(async (opts: BackfillOptions) => (await import("./embed.js")).runBackfill(opts));
}

