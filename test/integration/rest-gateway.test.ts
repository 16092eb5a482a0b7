/**
 * The REST gateway is built from openapi/stigmem.yaml: every operation is
 * routed, unimplemented ones answer 501 not_implemented, and malformed
 * requests get clear 4xx bodies, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractRoutes } from "../../src/transport/rest/openapi-document.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode();
});
afterAll(async () => {
  await node.stop();
});

/** Fills path parameters with plausible values. */
function concretePath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    /uri$/i.test(name) ? "stigmem://testnode/user/alice" : "00000000-0000-4000-8000-000000000000",
  );
}

describe("REST gateway", () => {
  it("routes every operation of the contract (never a 404 for a documented route, never a 500)", async () => {
    const routes = contractRoutes();
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      const res = await fetch(node.url + concretePath(r.path), {
        method: r.method.toUpperCase(),
        headers: r.method === "get" || r.method === "delete" ? {} : { "content-type": "application/json" },
        body: r.method === "get" || r.method === "delete" ? undefined : "{}",
      });
      const label = `${r.method.toUpperCase()} ${r.path} (${r.operation.operationId})`;
      expect(res.status === 501 || res.status < 500, `${label} answered ${res.status}`).toBe(true);
      if (res.status === 404) {
        const body = (await res.json()) as { message: string };
        expect(body.message, label).not.toMatch(/^no route for/);
      } else if (res.status === 501) {
        const body = (await res.json()) as { code: string; operation_id: string };
        expect(body, label).toMatchObject({ code: "not_implemented", operation_id: r.operation.operationId });
      } else {
        await res.arrayBuffer();
      }
    }
  });

  it("answers 422 json_invalid for a malformed JSON body", async () => {
    const res = await fetch(`${node.url}/v1/facts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"entity": ',
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; message: string; detail: { type: string }[] };
    expect(body.detail[0]?.type).toBe("json_invalid");
    expect(body).toMatchObject({ code: "validation_error", message: "request body is not valid JSON" });
  });

  it("answers a JSON 404 for an unknown route", async () => {
    const res = await fetch(`${node.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: "not_found", message: "no route for GET /v1/nope", detail: "no route for GET /v1/nope" });
  });

  it("puts code and message at the top of every error, and detail in the reference's shape for the route", async () => {
    const get = async (p: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(node.url + p);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // Most routes: detail is the message text (the reference's SDKs print it).
    const missing = await get("/v1/facts/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "not_found", detail: missing.body.message });
    expect(typeof missing.body.message).toBe("string");
    const factCursor = await get("/v1/facts?cursor=not-a-cursor");
    expect(factCursor.body).toMatchObject({ code: "invalid_cursor", detail: factCursor.body.message });
    // Codes the reference raises with a dict keep the nested form, context fields included.
    const malformed = await get("/v1/facts/sha256:XYZ");
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toEqual({ code: "cid_malformed", message: malformed.body.message, cid: "sha256:XYZ" });
    expect(malformed.body).toMatchObject({ code: "cid_malformed", cid: "sha256:XYZ" });
    // The graph route nests its cursor errors, as the reference's does.
    const graphCursor = await get("/v1/graph/neighbors?entity=user:a&scope=local&cursor=not-a-cursor");
    expect(graphCursor.body).toMatchObject({ code: "invalid_cursor", detail: { code: "invalid_cursor" } });
    // Field validation: FastAPI's list, plus the code and a sentence naming the field.
    const res = await fetch(`${node.url}/v1/facts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entity: "user:a", relation: "r:x", value: { type: "string", v: "x" }, source: "agent:a", confidence: 2 }),
    });
    const invalid = (await res.json()) as { code: string; message: string; detail: { loc: unknown[]; msg: string }[] };
    expect(res.status).toBe(422);
    expect(invalid.code).toBe("validation_error");
    expect(invalid.detail[0]?.loc).toEqual(["body", "confidence"]);
    expect(invalid.message).toContain("body.confidence");
  });

  it("echoes a caller's request id and makes one otherwise", async () => {
    const given = await fetch(`${node.url}/healthz`, { headers: { "x-request-id": "trace-123" } });
    expect(given.headers.get("x-request-id")).toBe("trace-123");
    const made = await fetch(`${node.url}/healthz`);
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the contract as JSON and renders it at /docs without network access", async () => {
    const spec = (await (await fetch(`${node.url}/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(spec.paths)).toContain("/v1/facts");
    const page = await fetch(`${node.url}/docs`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    for (const asset of html.matchAll(/(?:src|href)="(\/docs\/assets\/[^"]+)"/g)) {
      const res = await fetch(node.url + asset[1]);
      expect(res.status, asset[1]).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset[1]).toBeGreaterThan(0);
    }
  });

  it("reports status, constants and versions at /v1/doctor", async () => {
    const res = await fetch(`${node.url}/v1/doctor`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { versions: Record<string, string>; constants: Record<string, number> };
    expect(body).toMatchObject({ status: "ok", memory_garden_acl_filtering: true, node_id: node.node.nodeId });
    expect(body.versions.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(body.constants.max_value_bytes).toBe(65536);
  });

  it("exposes Prometheus metrics per route and method", async () => {
    await fetch(`${node.url}/healthz`);
    const text = await (await fetch(`${node.url}/metrics`)).text();
    expect(text).toMatch(/stigmem_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/^stigmem_facts_total \d+$/m);
    expect(text).toMatch(/stigmem_http_request_duration_seconds_bucket\{le="\+Inf",route="\/healthz",method="GET"\} \d+/);
  });
});
