/**
 * The configuration snippet that connects an MCP client to Stigmem, for
 * each client we know: which file it goes in, and the entry itself —
 * either launching `stigmem mcp` over stdio (by absolute paths, so it works
 * without `npm link` and from GUI apps whose PATH is minimal) or pointing
 * at a node's `/mcp` endpoint with a bearer key (`--http`).
 *
 * The key is the one given, or a placeholder to replace; VS Code instead
 * prompts for it once and stores it (its `inputs`), and Codex reads it
 * from an environment variable, since neither wants secrets in the file.
 *
 * @module
 */
import { UsageError } from "./cli-errors.js";

/** The clients `stigmem mcp config` knows. */
export const MCP_CLIENTS = ["claude-code", "codex-cli", "cursor", "claude-desktop", "vscode"] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

/** Written in a snippet when no key was given. */
export const KEY_PLACEHOLDER = "<your-api-key>";

/** What a snippet is made of. */
export interface SnippetInput {
  readonly client: McpClient;
  /** The node's URL (no trailing slash). */
  readonly url: string;
  /** The API key, when one was given. */
  readonly apiKey: string | undefined;
  /** Point at the node's `/mcp` instead of launching `stigmem mcp`. */
  readonly http: boolean;
  /** How to launch `stigmem mcp`: an executable and its arguments. */
  readonly launch: { readonly command: string; readonly args: readonly string[] };
}

/** A snippet: where it goes, and its text (and value, when it is JSON). */
export interface Snippet {
  readonly client: McpClient;
  /** Where it goes and what to do with it, for a person. */
  readonly where: string;
  readonly format: "json" | "toml";
  readonly text: string;
  /** The JSON document, for `--json`. */
  readonly json?: unknown;
}

/** The snippet for `input.client`. */
export function mcpSnippet(input: SnippetInput): Snippet {
  const { client, url, http, launch } = input;
  const key = input.apiKey ?? KEY_PLACEHOLDER;
  const replace = input.apiKey === undefined ? `; replace ${KEY_PLACEHOLDER} with your key` : "";
  const stdio = { command: launch.command, args: [...launch.args], env: { STIGMEM_URL: url, STIGMEM_API_KEY: key } };
  const remote = { url: `${url}/mcp`, headers: { Authorization: `Bearer ${key}` } };
  switch (client) {
    case "claude-code":
      return json(client, `Claude Code: save as .mcp.json at the project root, or merge into it${replace}`, {
        mcpServers: { stigmem: http ? { type: "http", ...remote } : { type: "stdio", ...stdio } },
      });
    case "cursor":
      return json(client, `Cursor: merge into ~/.cursor/mcp.json (every project) or .cursor/mcp.json (this one)${replace}`, {
        mcpServers: { stigmem: http ? remote : stdio },
      });
    case "claude-desktop":
      if (http) {
        throw new UsageError("mcp config claude-desktop --http", "Claude Desktop adds remote servers in Settings > Connectors, not in its file; use the stdio snippet");
      }
      return json(
        client,
        "Claude Desktop: merge into claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/, " +
          `Windows: %APPDATA%\\Claude\\), then restart it${replace}`,
        { mcpServers: { stigmem: stdio } },
      );
    case "vscode":
      return vscode(input);
    case "codex-cli":
      return codex(input);
  }
}

function json(client: McpClient, where: string, doc: unknown): Snippet {
  return { client, where, format: "json", text: `${JSON.stringify(doc, null, 2)}\n`, json: doc };
}

/** VS Code: `.vscode/mcp.json`, the key prompted for once unless given. */
function vscode({ url, apiKey, http, launch }: SnippetInput): Snippet {
  const key = apiKey ?? "${input:stigmem-api-key}";
  const server = http
    ? { type: "http", url: `${url}/mcp`, headers: { Authorization: `Bearer ${key}` } }
    : { type: "stdio", command: launch.command, args: [...launch.args], env: { STIGMEM_URL: url, STIGMEM_API_KEY: key } };
  const inputs = apiKey === undefined ? [{ type: "promptString", id: "stigmem-api-key", description: "Stigmem API key", password: true }] : [];
  const prompt = apiKey === undefined ? "; VS Code asks for the key once and keeps it" : "";
  return json("vscode", `VS Code: save as .vscode/mcp.json in the workspace, or merge into it${prompt}`, { servers: { stigmem: server }, inputs });
}

/** Codex CLI: TOML in `~/.codex/config.toml`; over HTTP the key comes from the environment. */
function codex({ url, apiKey, http, launch }: SnippetInput): Snippet {
  const q = (s: string) => JSON.stringify(s);
  const lines = ["[mcp_servers.stigmem]"];
  if (http) {
    lines.push(`url = ${q(`${url}/mcp`)}`, `bearer_token_env_var = "STIGMEM_API_KEY"`);
  } else {
    lines.push(
      `command = ${q(launch.command)}`,
      `args = [${launch.args.map(q).join(", ")}]`,
      "",
      "[mcp_servers.stigmem.env]",
      `STIGMEM_URL = ${q(url)}`,
      `STIGMEM_API_KEY = ${q(apiKey ?? KEY_PLACEHOLDER)}`,
    );
  }
  const where = http
    ? "Codex CLI: add to ~/.codex/config.toml, and export STIGMEM_API_KEY in the shell that starts codex"
    : `Codex CLI: add to ~/.codex/config.toml${apiKey === undefined ? `; replace ${KEY_PLACEHOLDER} with your key` : ""}`;
  return { client: "codex-cli", where, format: "toml", text: `${lines.join("\n")}\n` };
}
