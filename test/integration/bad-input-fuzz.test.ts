/**
 * Bad input never becomes a 500: every operation of the contract, fed random
 * JSON bodies and random query strings, answers below 500 (501 for
 * operations whose feature has not landed). Seed with FC_SEED to replay;
 * FUZZ_RUNS raises the number of cases (300 by default).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractRoutes } from "../../src/transport/rest/openapi-document.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";
import { fcParams } from "../unit/core/fc-params.js";

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode();
});
afterAll(async () => {
  await node.stop();
});

function concretePath(template: string, id: string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(/uri$/i.test(name) ? `stigmem://x/${id}` : id));
}

/** Values that stress validators: wrong types, extremes, odd strings. */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, true, -1, 0, 1e308, -1e-320, "", " ", "\u0000", "\ud800", "sha256:", "a".repeat(70_000)),
  fc.string({ unit: "grapheme-composite", maxLength: 40 }),
);
const body = fc.oneof(
  fc.dictionary(
    fc.constantFrom("entity", "relation", "value", "source", "scope", "confidence", "facts", "query", "token_budget", "depth",
      "weights", "limit", "winning_fact_id", "new_value", "atomic", "idempotency_key", "entity_uri", "permissions", "raw_key",
      "allowed_scopes", "expires_at", "valid_until", "garden_id", "cid", "type", "v"),
    nasty,
  ),
  nasty,
);
const query = fc.dictionary(
  fc.constantFrom("entity", "relation", "source", "scope", "limit", "cursor", "min_confidence", "include_expired", "order",
    "after", "as_of", "depth", "status", "page_size", "relation_filter", "refresh"),
  fc.string({ maxLength: 30 }),
);

describe("random input", () => {
  const routes = contractRoutes().filter((r) => !["/metrics", "/docs"].includes(r.path));

  it("never answers 5xx (other than 501) on any contract operation", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        body,
        query,
        fc.constantFrom("00000000-0000-4000-8000-000000000000", "x", "sha256:zz", "%", "..", "a b"),
        async (route, b, q, id) => {
          const search = new URLSearchParams(q).toString();
          const hasBody = route.method !== "get" && route.method !== "delete";
          const res = await fetch(`${node.url}${concretePath(route.path, id)}${search === "" ? "" : `?${search}`}`, {
            method: route.method.toUpperCase(),
            headers: hasBody ? { "content-type": "application/json" } : {},
            body: hasBody ? JSON.stringify(b) : undefined,
          });
          const text = await res.text();
          expect(res.status === 501 || res.status < 500, `${route.method} ${route.path} → ${res.status}: ${text.slice(0, 300)}`).toBe(true);
        },
      ),
      { ...fcParams, numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
