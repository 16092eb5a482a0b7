/**
 * `/mcp` on the node's own port: MCP's streamable HTTP transport, stateless
 * (a fresh server per request, no session to keep or leak between
 * callers) and answering JSON rather than SSE, since no tool streams.
 *
 * The route is guarded like any `/v1` route: a request without a valid key
 * gets the node's 401 before its body is read. The tools then act through
 * the backend {@link McpHttpOptions.backendFor} gives for the request — the
 * server wires one that calls the node's REST gateway in process with the
 * caller's own credentials, so the key's principal, permissions and scopes
 * apply to every tool exactly as they would over REST.
 *
 * Protocol-level mistakes (bad JSON, wrong content type or Accept header,
 * an unknown method) are answered by the MCP SDK as JSON-RPC errors, which
 * is why this scope keeps request bodies raw instead of parsing them.
 *
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Authenticator } from "../../node/auth/authenticator.js";
import { handleRestError } from "../rest/rest-error.js";
import type { McpBackend } from "./mcp-backend.js";
import { createMcpServer } from "./mcp-server.js";

/** Where the route is served. */
export const MCP_PATH = "/mcp";

/** Largest JSON-RPC body accepted: tool arguments are small (a fact value is at most 64 KiB). */
const MAX_BODY = 1024 * 1024;

/** Headers that belong to the connection, not the message; HTTP/2 pseudo-headers start with `:`. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "http2-settings"]);

export interface McpHttpOptions {
  readonly auth: Authenticator;
  /** The backend the tools of `req` act through, as its caller. */
  backendFor(req: FastifyRequest): McpBackend;
}

/** Registers `/mcp` in its own scope (raw bodies, the REST error handler). */
// eslint-disable-next-line @typescript-eslint/require-await -- fastify takes an async plugin's promise as its completion
export async function mcpHttpPlugin(app: FastifyInstance, opts: McpHttpOptions): Promise<void> {
  app.setErrorHandler((e, req, reply) => handleRestError(e, req, reply));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_BODY }, (_req, body, done) => done(null, body));
  // Before the body is read: an anonymous caller costs a header check, not a parse.
  app.addHook("onRequest", (req, _reply, done) => {
    try {
      opts.auth.authenticate(req.headers.authorization, { ip: req.ip });
      done();
    } catch (e) {
      done(e as Error);
    }
  });

  app.post(MCP_PATH, async (req, reply) => {
    const server = createMcpServer(opts.backendFor(req));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(toWebRequest(req));
      return await sendResponse(reply, response);
    } finally {
      await server.close();
    }
  });

  // A stateless server has nothing to push and no session to end: the transport spec's answer is 405.
  app.route({
    method: ["GET", "DELETE"],
    url: MCP_PATH,
    handler: (_req, reply) =>
      reply
        .code(405)
        .header("allow", "POST")
        .type("application/json")
        .send({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this server is stateless; POST JSON-RPC messages" }, id: null }),
  });
}

/** The fastify request as the Web `Request` the MCP transport reads. */
function toWebRequest(req: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":") || HOP_BY_HOP.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  return new Request(`http://${req.host}${req.url}`, { method: req.method, headers, body });
}

/** Copies the transport's answer onto the reply; its body is complete (JSON mode), so it is read whole. */
async function sendResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  const body = await response.text();
  void reply.code(response.status);
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) void reply.header(name, value);
  });
  return reply.send(body === "" ? undefined : body);
}
