/**
 * `stigmem mcp`: the MCP server over stdio, its tools acting on the node at
 * `STIGMEM_URL` with `STIGMEM_API_KEY` (the reference server's variables)
 * through `@stigmem/sdk`. stdout carries the protocol, so nothing else is
 * ever written there; the command ends when the client closes stdin.
 *
 * `stigmem mcp config <client>` prints the snippet that sets a client up.
 *
 * @module
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { projectFile } from "../project-root.js";
import { createMcpBackend } from "../transport/mcp/mcp-backend.js";
import { createMcpServer } from "../transport/mcp/mcp-server.js";
import { UsageError } from "./cli-errors.js";
import type { ConnectionOptions } from "./client-options.js";
import { mcpSnippet, type McpClient } from "./mcp-config.js";
import { resolveTarget } from "./node-client.js";
import { printJson } from "./terminal.js";

/** Flags of `mcp`. */
export type McpOptions = ConnectionOptions;

/** Flags of `mcp config`. */
export interface ConfigOptions {
  url?: string;
  key?: string;
  http?: boolean;
  json?: boolean;
}

/** Serves until the client closes stdin (or the transport fails). */
export async function serveMcp(opts: McpOptions): Promise<void> {
  const target = resolveTarget(opts);
  const server = createMcpServer(createMcpBackend(target));
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once("end", () => void server.close());
  });
  await server.connect(transport);
  process.stderr.write(`stigmem mcp: serving the Stigmem tools over stdio for ${target.baseUrl} (${target.transport})\n`);
  await closed;
}

/** Prints the snippet for `client`; `--json` prints only its JSON document. */
export function printMcpConfig(client: string, opts: ConfigOptions): void {
  const target = resolveTarget({ url: opts.url, key: opts.key });
  const snippet = mcpSnippet({
    client: client as McpClient,
    url: target.baseUrl,
    apiKey: target.apiKey,
    http: opts.http === true,
    launch: { command: process.execPath, args: [projectFile("dist", "src", "cli", "main.js"), "mcp"] },
  });
  if (opts.json === true) {
    if (snippet.json === undefined) throw new UsageError(`mcp config ${client} --json`, "this client's configuration is TOML, not JSON; drop --json");
    return printJson(snippet.json);
  }
  process.stdout.write(`# ${snippet.where}\n${snippet.text}`);
}
