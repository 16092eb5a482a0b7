/**
 * The `stigmem` command tree, on commander (see the commit that chose it):
 * every command and subcommand has its own `--help`, typos get a "did you
 * mean", and every usage mistake is one line on stderr naming the command
 * and the culprit, with exit code 2.
 *
 * Commands register themselves (`registerX(program)`), so new ones —
 * `mcp`, `peers`, `facts`, `recall`, `import`/`export` — plug in as one
 * more line in {@link buildProgram}.
 *
 * @module
 */
import { Command, CommanderError, type HelpContext } from "commander";
import { VERSION } from "../version.js";
import { registerConflicts } from "./conflicts-command.js";
import { registerDoctor } from "./doctor-command.js";
import { registerEmbed } from "./embed-command.js";
import { registerFacts } from "./facts-command.js";
import { registerKeys } from "./keys-command.js";
import { registerMcp } from "./mcp-command.js";
import { registerRecall } from "./recall-command.js";
import { registerPeers } from "./peers-command.js";
import { registerServe } from "./serve-command.js";
import { colorEnabled, painter, printJson } from "./terminal.js";
import { ExitWith, UsageError } from "./cli-errors.js";

/** Exit codes of every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * A commander command whose group commands (those with subcommands) treat
 * a missing subcommand as a usage error — one line, exit 2 — instead of
 * printing their help with exit 1.
 */
class StigmemCommand extends Command {
  override createCommand(name?: string): Command {
    return new StigmemCommand(name);
  }

  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context === "object" && context.error === true && this.commands.length > 0) {
      const names = this.commands.map((c) => c.name()).join(", ");
      const self = commandPath(this);
      this.error(`missing command (${names}); see stigmem ${self === "" ? "" : `${self} `}--help`, {
        exitCode: EXIT.usage,
        code: "stigmem.missingCommand",
      });
    }
    return super.help(context as HelpContext);
  }
}

/** The whole command tree. */
export function buildProgram(): Command {
  const paint = painter(colorEnabled(process.stdout));
  const program = new StigmemCommand("stigmem")
    .description(`stigmem ${VERSION} — a node of the Stigmem shared-memory fabric`)
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .helpCommand("help [command]", "show help for a command")
    .showSuggestionAfterError(true)
    .configureHelp({
      styleTitle: (s) => paint("bold", s),
      styleCommandText: (s) => paint("cyan", s),
      sortSubcommands: false,
    })
    .addHelpText(
      "after",
      "\nEvery serve flag has a STIGMEM_* environment variable twin (README.md, Configuration);\n" +
        "a flag wins over its variable. Exit codes: 0 ok, 1 failure, 2 usage or configuration.\n",
    );

  registerServe(program);
  registerKeys(program);
  registerPeers(program);
  registerEmbed(program);
  registerDoctor(program);
  registerFacts(program);
  registerRecall(program);
  registerConflicts(program);
  registerMcp(program);
  program
    .command("version")
    .description("print the version")
    .option("--json", "print {\"version\": ...} as JSON")
    .action((opts: { json?: boolean }) => {
      if (opts.json === true) printJson({ version: VERSION });
      else process.stdout.write(`${VERSION}\n`);
    });

  // Settings every command shares; commander copies them only at creation, so set them on the finished tree.
  for (const cmd of walk(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: (text, write) => write(oneLine(commandPath(cmd), text)) });
  }
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit
 * code: 0 ok, 1 failure, 2 usage or configuration error (one line on stderr).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExitWith) return e.code;
    if (e instanceof CommanderError) {
      // Help and version end with code 0; every parsing error was printed by outputError.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUsageClass(e)) {
      process.stderr.write(`stigmem: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`stigmem: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failure;
  }
}

/**
 * Errors that mean "fix how you called it" (exit 2): bad usage, bad
 * configuration (a variable, a flag, a busy port), a data folder served by
 * another node. Checked by name: the command modules that throw them are
 * loaded lazily, and importing their classes here would load them all.
 */
function isUsageClass(e: unknown): e is Error {
  if (e instanceof UsageError) return true;
  const name = (e as { name?: unknown } | null)?.name;
  return name === "ConfigError" || name === "DataFolderLockedError";
}

/** `keys create` for that subcommand, "" for the root. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent != null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function* walk(cmd: Command): Generator<Command> {
  yield cmd;
  for (const sub of cmd.commands) yield* walk(sub);
}

/**
 * Commander's error text as one line: `stigmem: keys create: unknown option
 * '--entty' (did you mean --entity?)`.
 */
function oneLine(path: string, text: string): string {
  const body = text
    .replace(/^error: /, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => l.replace(/^\(Did you mean (.*)\)$/, "(did you mean $1)"))
    .join(" ");
  return `stigmem: ${path === "" ? "" : `${path}: `}${body}\n`;
}
