/**
 * Registers `stigmem mcp` (the MCP server over stdio, for a client to
 * launch) and `stigmem mcp config <client>` (the snippet that makes a
 * client launch it, or reach a node's `/mcp`). Their work (mcp.ts) is
 * loaded only when one runs.
 *
 * @module
 */
import { Argument, type Command } from "commander";
import { withConnection } from "./client-options.js";
import type { ConfigOptions, McpOptions } from "./mcp.js";
import { MCP_CLIENTS } from "./mcp-config.js";

/** Adds `mcp` and `mcp config` to the program. */
export function registerMcp(program: Command): void {
  const mcp = withConnection(
    program
      .command("mcp")
      .description("serve the Stigmem MCP tools over stdio, against a running node (for MCP clients to launch)"),
  )
    .addHelpText(
      "after",
      "\nTools: recall, assert_fact, query_facts, get_fact, get_card, list_conflicts, resolve_conflict, retract_fact, lint.\n" +
        "The node also serves them over streamable HTTP at <node URL>/mcp, with its own bearer auth.\n" +
        "Set up a client with: stigmem mcp config <client>\n",
    )
    // Commander leaves out `help <command>` on a command with its own action; `mcp help config` should work like `keys help create`.
    .helpCommand(true)
    .action(async (opts: McpOptions) => (await import("./mcp.js")).serveMcp(opts));
  const config = mcp.command("config");
  config
    .description("print the configuration snippet that connects an MCP client to Stigmem")
    .addArgument(new Argument("<client>", "the MCP client").choices(MCP_CLIENTS))
    .option("--http", "connect to the node's /mcp endpoint instead of launching stigmem mcp")
    .option("--json", "print only the JSON document (not for codex-cli, whose configuration is TOML)")
    // --url and --key are mcp's own (commander hands options after the subcommand to the parent that has them).
    .configureHelp({ ...config.configureHelp(), showGlobalOptions: true })
    .addHelpText("after", "\nThe snippet uses --url and --key (or STIGMEM_URL and STIGMEM_API_KEY); without a key it has a placeholder.\n")
    .action(async (client: string, _opts: unknown, cmd: Command) =>
      (await import("./mcp.js")).printMcpConfig(client, cmd.optsWithGlobals<ConfigOptions>()),
    );
}
