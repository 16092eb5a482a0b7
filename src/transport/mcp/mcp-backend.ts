/**
 * What the MCP tools talk to: a node, through `@stigmem/sdk`. The stdio
 * server (`stigmem mcp`) builds one for `STIGMEM_URL`; the node's own `/mcp`
 * route builds one per request whose `fetch` goes into the node's REST
 * gateway in process with the caller's credentials. Either way the tools
 * see the same facade, the same results and the same typed errors.
 *
 * Lint is not on the SDK's facade (no node implements it yet), so it goes
 * through the SDK's typed REST client, and its failures through the same
 * error mapping the facade uses.
 *
 * @module
 */
import { createClient, createStigmemError, type ClientOptions, type StigmemClient } from "@stigmem/sdk";
import { createRestClient, restError, type components } from "@stigmem/sdk/rest";

/** The body of `POST /v1/lint`. */
export type LintRequest = components["schemas"]["LintRequest"];
/** What a lint call answers: a report (200) or a background job (202). */
export type LintAnswer = components["schemas"]["LintReport"] | components["schemas"]["LintJob"];

/** A node as the MCP tools use it. */
export interface McpBackend {
  readonly client: StigmemClient;
  /** Sweeps a scope for contradictions, stale facts, orphans and broken refs (`POST /v1/lint`). */
  lint(request: LintRequest): Promise<LintAnswer>;
}

/** A backend over the SDK with `opts` (URL, key, transport, and a `fetch` for in-process calls). */
export function createMcpBackend(opts: ClientOptions): McpBackend {
  const client = createClient(opts);
  const rest = createRestClient({
    baseUrl: opts.baseUrl.replace(/\/+$/, ""),
    headers: opts.apiKey === undefined ? {} : { authorization: `Bearer ${opts.apiKey}` },
    ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
  });
  return {
    client,
    async lint(request) {
      const { data, error, response } = await rest.POST("/v1/lint", { body: request }).catch((e: unknown) => {
        // No answer at all: the facade's rule, an UnavailableError.
        throw createStigmemError("unavailable", { code: "unavailable", message: e instanceof Error ? e.message : String(e), transport: "rest", cause: e });
      });
      if (!response.ok || data === undefined) throw restError(response, error);
      return data;
    },
  };
}
