/**
 * Registers `stigmem facts assert|get|query`, client commands of a running
 * node; their work (facts.ts, which loads the SDK) is loaded only when one
 * runs.
 *
 * @module
 */
import { Option, type Command } from "commander";
import { VALUE_TYPES } from "../core/values.js";
import { scopeOption, unitNumber, wholeNumber, withConnection } from "./client-options.js";
import type { AssertOptions, GetOptions, QueryOptions } from "./facts.js";

/** Adds `facts assert|get|query` to the program. */
export function registerFacts(program: Command): void {
  const facts = program.command("facts").description("write, read and list facts on a running node");
  withConnection(
    facts
      .command("assert")
      .description("write a fact; a new value from the same source supersedes the old one")
      .argument("<entity>", "entity URI, e.g. user:alice")
      .argument("<relation>", "relation, e.g. memory:role")
      .argument("[value]", "the value (none for --type null)")
      .addOption(new Option("--type <type>", "value type").choices(VALUE_TYPES).default("string"))
      .requiredOption("--source <uri>", "who asserts it, e.g. agent:ops")
      .addOption(scopeOption("scope of the fact (default local)"))
      .option("--confidence <n>", "0 to 1 (default 1; 0 retracts)", unitNumber)
      .option("--valid-until <instant>", "RFC 3339 instant after which the fact expires")
      .option("--json", "print the stored fact as JSON"),
  )
    .addHelpText("after", "\nExample: stigmem facts assert user:alice memory:role \"staff engineer\" --source agent:ops --scope company\n")
    .action(async (entity: string, relation: string, value: string | undefined, opts: AssertOptions) =>
      (await import("./facts.js")).factsAssert(entity, relation, value, opts),
    );
  withConnection(
    facts
      .command("get")
      .description("show one fact, in any state")
      .argument("<id>", "fact id or CID (sha256:…)")
      .option("--json", "print the fact as JSON"),
  ).action(async (id: string, opts: GetOptions) => (await import("./facts.js")).factsGet(id, opts));
  withConnection(
    facts
      .command("query")
      .description("list facts matching every filter given, newest first")
      .option("--entity <uri>", "about this entity")
      .option("--relation <relation>", "with this relation")
      .option("--source <uri>", "asserted by this source")
      .addOption(scopeOption("in this scope"))
      .option("--min-confidence <n>", "at least this confidence", unitNumber)
      .option("--include-superseded", "all history, each fact with its state")
      .option("--include-contradicted", "also the losing side of contradictions")
      .option("--include-expired", "also facts past their valid-until")
      .option("--limit <n>", "facts per page, 1 to 500 (default 50)", wholeNumber(1, 500))
      .option("--cursor <cursor>", "the next page, as a previous query printed it")
      .option("--json", "print the page as JSON"),
  ).action(async (opts: QueryOptions) => (await import("./facts.js")).factsQuery(opts));
}
