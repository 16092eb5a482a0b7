/**
 * `stigmem mcp config`: the entry each MCP client needs, over stdio
 * (launching `stigmem mcp` by absolute paths) and over HTTP (the node's
 * `/mcp` with a bearer key), with the key given or a placeholder — and the
 * combinations a client does not support refused.
 */
import { describe, expect, it } from "vitest";
import { KEY_PLACEHOLDER, MCP_CLIENTS, mcpSnippet, type McpClient } from "../../../src/cli/mcp-config.js";

const launch = { command: "/usr/bin/node", args: ["/opt/stigmem/dist/src/cli/main.js", "mcp"] };
const base = { url: "http://10.0.0.5:8765", apiKey: "k-1", http: false, launch };
const stdio = { command: launch.command, args: launch.args, env: { STIGMEM_URL: base.url, STIGMEM_API_KEY: "k-1" } };
const remote = { url: "http://10.0.0.5:8765/mcp", headers: { Authorization: "Bearer k-1" } };

describe("JSON clients", () => {
  it.each<[McpClient, boolean, unknown]>([
    ["claude-code", false, { mcpServers: { stigmem: { type: "stdio", ...stdio } } }],
    ["claude-code", true, { mcpServers: { stigmem: { type: "http", ...remote } } }],
    ["cursor", false, { mcpServers: { stigmem: stdio } }],
    ["cursor", true, { mcpServers: { stigmem: remote } }],
    ["claude-desktop", false, { mcpServers: { stigmem: stdio } }],
    ["vscode", false, { servers: { stigmem: { type: "stdio", ...stdio } }, inputs: [] }],
    ["vscode", true, { servers: { stigmem: { type: "http", ...remote } }, inputs: [] }],
  ])("%s (http: %s)", (client, http, doc) => {
    const s = mcpSnippet({ ...base, client, http });
    expect(s.format).toBe("json");
    expect(s.json).toEqual(doc);
    expect(JSON.parse(s.text)).toEqual(doc);
  });

  it("puts a placeholder where no key was given, and says to replace it", () => {
    for (const client of ["claude-code", "cursor", "claude-desktop"] as const) {
      const s = mcpSnippet({ ...base, apiKey: undefined, client });
      expect(s.text).toContain(KEY_PLACEHOLDER);
      expect(s.where).toContain(`replace ${KEY_PLACEHOLDER}`);
    }
  });

  it("has VS Code prompt for a missing key instead", () => {
    const s = mcpSnippet({ ...base, apiKey: undefined, client: "vscode" });
    expect(s.json).toMatchObject({
      servers: { stigmem: { env: { STIGMEM_API_KEY: "${input:stigmem-api-key}" } } },
      inputs: [{ id: "stigmem-api-key", password: true }],
    });
    expect(s.text).not.toContain(KEY_PLACEHOLDER);
  });

  it("refuses Claude Desktop over HTTP, which takes remote servers only in its settings", () => {
    expect(() => mcpSnippet({ ...base, client: "claude-desktop", http: true })).toThrow(/Settings > Connectors/);
  });
});

describe("codex-cli", () => {
  it("launches stigmem mcp from TOML, escaping paths", () => {
    const s = mcpSnippet({ ...base, client: "codex-cli", launch: { command: "C:\\node\\node.exe", args: ["C:\\s\\main.js", "mcp"] } });
    expect(s.format).toBe("toml");
    expect(s.json).toBeUndefined();
    expect(s.text).toBe(
      '[mcp_servers.stigmem]\ncommand = "C:\\\\node\\\\node.exe"\nargs = ["C:\\\\s\\\\main.js", "mcp"]\n\n' +
        '[mcp_servers.stigmem.env]\nSTIGMEM_URL = "http://10.0.0.5:8765"\nSTIGMEM_API_KEY = "k-1"\n',
    );
  });

  it("over HTTP reads the key from the environment, never from the file", () => {
    const s = mcpSnippet({ ...base, client: "codex-cli", http: true });
    expect(s.text).toBe('[mcp_servers.stigmem]\nurl = "http://10.0.0.5:8765/mcp"\nbearer_token_env_var = "STIGMEM_API_KEY"\n');
    expect(s.text).not.toContain("k-1");
  });
});

it("knows the five clients of the brief", () => {
  expect([...MCP_CLIENTS].sort()).toEqual(["claude-code", "claude-desktop", "codex-cli", "cursor", "vscode"]);
});
