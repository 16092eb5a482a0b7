/**
 * Registers `stigmem recall "<question>"`; its work (recall.ts, which loads
 * the SDK) is loaded only when it runs.
 *
 * @module
 */
import type { Command } from "commander";
import { scopeOption, unitNumber, wholeNumber, withConnection } from "./client-options.js";
import type { RecallCommandOptions } from "./recall.js";

/** Adds `recall` to the program. */
export function registerRecall(program: Command): void {
  withConnection(
    program
      .command("recall")
      .description("the facts most relevant to a question, ranked, with each score's breakdown")
      .argument("<question>", "what to recall, in words")
      .addOption(scopeOption("scope to recall from (default local)"))
      .option("--budget <tokens>", "most tokens of facts to return, 1 to 200000 (default 4000)", wholeNumber(1, 200_000))
      .option("--entity <uri>", "only facts about this entity")
      .option("--relation <relation>", "only facts with this relation")
      .option("--min-confidence <n>", "leave out facts below this confidence (default 0.1)", unitNumber)
      .option("--depth <hops>", "graph hops through ref facts, 1 to 3 (default 2)", wholeNumber(1, 3))
      .option("--json", "print the whole recall answer as JSON"),
  )
    .addHelpText(
      "after",
      "\nColumns: SCORE is the fused score; LEX, SEM, GRAPH, TRUST and RECENCY are its signals (protocol.md §9).\n" +
        'Example: stigmem recall "who works on atlas?" --scope company\n',
    )
    .action(async (question: string, opts: RecallCommandOptions) => (await import("./recall.js")).runRecall(question, opts));
}
