/**
 * A `fetch` that never leaves the process: each call is dispatched into the
 * node's own fastify application (`inject`), through every hook and the
 * REST gateway, as if the caller of `on` had made it. The `/mcp` route gives
 * it to the SDK, so MCP tools act exactly as the caller's REST calls would:
 * the caller's `Authorization` is re-checked on every call (same key, same
 * principal, same scopes), validation, error codes and audit are the REST
 * ones, and no second mapping of wire to use case exists to drift.
 *
 * Each inner call carries the caller's address (failed-auth auditing), the
 * current trace (`traceparent`: its spans are children of the `/mcp` span)
 * and a request id derived from the outer one, so logs tie them together.
 *
 * @module
 */
import type { FastifyInstance, FastifyRequest, InjectOptions } from "fastify";
import { injectTraceContext } from "./tracing.js";

/** Statuses whose response has no body (RFC 9110 §6.4.1). */
const NO_BODY = new Set([204, 304]);

/** A fetch into `app` on behalf of `on`'s caller; the URL's origin is ignored. */
export function inProcessFetch(app: FastifyInstance, on: FastifyRequest): typeof globalThis.fetch {
  let calls = 0;
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    delete headers.authorization;
    if (on.headers.authorization !== undefined) headers.authorization = on.headers.authorization;
    calls += 1;
    headers["x-request-id"] = `${on.id}.${calls}`;
    injectTraceContext(headers);
    const payload = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const res = await app.inject({
      method: request.method as InjectOptions["method"],
      url: `${url.pathname}${url.search}`,
      headers,
      payload,
      remoteAddress: on.ip,
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) out.append(name, String(one));
    }
    const body = NO_BODY.has(res.statusCode) || request.method === "HEAD" ? null : res.rawPayload;
    return new Response(body, { status: res.statusCode, headers: out });
  };
}
