/**
 * Registers `stigmem conflicts list|resolve`, client commands of a running
 * node; their work (conflicts.ts, which loads the SDK) is loaded only when
 * one runs.
 *
 * @module
 */
import { Option, type Command } from "commander";
import { VALUE_TYPES } from "../core/values.js";
import { wholeNumber, withConnection } from "./client-options.js";
import type { ListOptions, ResolveOptions } from "./conflicts.js";

/** Adds `conflicts list|resolve` to the program. */
export function registerConflicts(program: Command): void {
  const conflicts = program.command("conflicts").description("list and resolve conflicts (sources disagreeing) on a running node");
  withConnection(
    conflicts
      .command("list")
      .description("list conflicts, both facts of each with their ids")
      .addOption(new Option("--status <status>", "which ones").choices(["unresolved", "resolved", "all"]).default("unresolved"))
      .option("--limit <n>", "conflicts per page, 1 to 500 (default 50)", wholeNumber(1, 500))
      .option("--cursor <cursor>", "the next page, as a previous list printed it")
      .option("--json", "print the page as JSON"),
  ).action(async (opts: ListOptions) => (await import("./conflicts.js")).conflictsList(opts));
  withConnection(
    conflicts
      .command("resolve")
      .description("settle a conflict: keep one of its facts (--winner) or record a new value (--value)")
      .argument("<conflict-id>", "the conflict, as conflicts list shows it")
      .option("--winner <fact-id>", "keep this one of its two facts")
      .option("--value <value>", "record this value instead")
      .addOption(new Option("--type <type>", "type of --value").choices(VALUE_TYPES).default("string"))
      .option("--note <text>", "why, kept on the conflict")
      .option("--json", "print the result as JSON"),
  )
    .addHelpText("after", "\nGive exactly one of --winner and --value (a null value: --type null --value '').\n")
    .action(async (id: string, opts: ResolveOptions) => (await import("./conflicts.js")).conflictsResolve(id, opts));
}
