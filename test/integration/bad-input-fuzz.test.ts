/**
 * Hostile input never becomes a 5xx, a crash, a hang or a stored change: a
 * seeded fuzz of every REST operation of the contract and every Connect
 * method in every protocol and both codecs (JSON and binary), with random
 * and damaged bodies, query strings, path parameters, content types and
 * credentials. After each request that was refused (4xx, 501, or a Connect
 * error), what the node stored is unchanged (facts, fact chain, conflicts,
 * keys, idempotency keys, successful audit entries).
 *
 * The seed is fixed so a run is replayable; FC_SEED changes it. FUZZ_RUNS
 * sets the requests per transport (5,000 each by default: 10,000 in all).
 */
import { isUtf8 } from "node:buffer";
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractRoutes } from "../../src/transport/rest/openapi-document.js";
import { SERVICES } from "../../src/transport/connect/routes.js";
import { applyDamage, damage, messageInit, nastyString, nastyValue } from "../helpers/fuzz-arbitraries.js";
import { isBinary, RawRpcClient, RPC_PROTOCOLS } from "../helpers/raw-rpc.js";
import { storeCounts, type StoreCounts } from "../helpers/store-counts.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const ADMIN_KEY = "fuzz-admin-key-0123456789abcdefghijklmnop";
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
const SEED = process.env.FC_SEED !== undefined && process.env.FC_SEED !== "" ? Number(process.env.FC_SEED) : 15_015;
/** A request that takes this long counts as a hang. */
const HANG_MS = 20_000;
/** The whole run, on a machine busy with the rest of the suite (alone it takes 5–15 s). */
const RUN_MS = 300_000;

let node: TestNode;
let rpc: RawRpcClient;
let knownFactId = "00000000-0000-4000-8000-000000000000";
beforeAll(async () => {
  node = await startTestNode({
    env: { STIGMEM_EMBEDDER: "none", STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY },
  });
  rpc = new RawRpcClient(node.url);
  const res = await fetch(`${node.url}/v1/facts`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(validFact()),
  });
  knownFactId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  rpc.close();
  await node.stop();
});

function validFact(): Record<string, unknown> {
  return {
    entity: "user:alice",
    relation: "memory:role",
    value: { type: "string", v: "engineer" },
    source: "agent:fuzz",
    scope: "company",
    confidence: 0.9,
  };
}

/** Bodies that pass validation, one field of which the fuzz may spoil. */
const TEMPLATES: Record<string, () => Record<string, unknown>> = {
  assertFact: validFact,
  batchAssertFacts: () => ({ facts: [validFact(), { ...validFact(), entity: "user:bob" }], atomic: false }),
  recall: () => ({ query: "who is alice", scope: "company", token_budget: 500 }),
  resolveConflict: () => ({ winning_fact_id: knownFactId, resolution_note: "fuzz" }),
  createKey: () => ({ entity_uri: "agent:fuzzed", permissions: ["read"], allowed_scopes: ["company"] }),
  lint: () => ({ scope: "company" }),
  createGarden: () => ({ slug: "fuzz", name: "Fuzz" }),
  createSubscription: () => ({ target: "company", on_change: "stream" }),
};
const FIELDS = ["entity", "relation", "value", "source", "scope", "confidence", "facts", "query", "token_budget", "depth",
  "weights", "limit", "winning_fact_id", "new_value", "atomic", "idempotency_key", "entity_uri", "permissions", "raw_key",
  "allowed_scopes", "expires_at", "valid_until", "garden_id", "type", "v", "interpret_as", "lambda_mmr", "prefer_cards"];
const QUERY_KEYS = ["entity", "relation", "source", "scope", "limit", "cursor", "min_confidence", "include_expired",
  "include_superseded", "include_contradicted", "order", "after", "as_of", "depth", "status", "page_size", "relation_filter",
  "refresh", "legacy_format", "entity_uri"];

function restBody(operationId: string): fc.Arbitrary<unknown> {
  const template = TEMPLATES[operationId];
  const spoiled =
    template === undefined
      ? fc.dictionary(fc.constantFrom(...FIELDS), nastyValue, { maxKeys: 5 })
      : fc.tuple(fc.constantFrom(...FIELDS), nastyValue, fc.boolean()).map(([key, value, drop]) => {
          const body = template();
          if (drop) delete body[key];
          else body[key] = value;
          return body;
        });
  return fc.oneof(
    { weight: 4, arbitrary: spoiled },
    { weight: 1, arbitrary: fc.constant(template?.() ?? {}) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), nastyValue, { maxKeys: 6 }) },
    { weight: 1, arbitrary: nastyValue },
  );
}

const pathParam = fc.oneof(
  fc.constantFrom("00000000-0000-4000-8000-000000000000", "x", "sha256:zz", `sha256:${"a".repeat(64)}`, "%", "..", "a b", "%ff%fe"),
  fc.constant("KNOWN"),
  nastyString,
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/proto",
  undefined,
);
const authorization = fc.constantFrom<string | undefined>(
  `Bearer ${ADMIN_KEY}`,
  `Bearer ${ADMIN_KEY}`,
  `Bearer ${ADMIN_KEY}`,
  `Bearer ${ADMIN_KEY}`,
  undefined,
  "Bearer stgm_not-a-key-at-all-but-long-enough-to-look",
  "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
);
const queryString = fc.oneof(
  fc.dictionary(fc.constantFrom(...QUERY_KEYS), nastyString, { maxKeys: 4 }).map((q) => new URLSearchParams(q).toString()),
  fc.constantFrom("limit=%ff", "entity=%", "scope=company&scope=public", "cursor=%E0%A4%A", "limit=1e3", "order=sideways"),
);

function concretePath(template: string, param: string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = param === "KNOWN" ? knownFactId : param;
    if (/^%/.test(value)) return value; // already (badly) encoded on purpose
    try {
      return encodeURIComponent(/uri$/i.test(name) ? `stigmem://x/${value}` : value);
    } catch {
      return "%ED%A0%80"; // a lone surrogate has no UTF-8: send the bytes it would have had
    }
  });
}

/** Refused requests must leave the store as it was. */
function expectUnchanged(before: StoreCounts, label: string): void {
  expect(storeCounts(node.inspect()), `${label} was refused but changed the store`).toEqual(before);
}

describe("fuzz", () => {
  const routes = contractRoutes();

  it(`REST: ${RUNS} requests over every contract operation, no 5xx but 501, no stored change when refused`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain((route) =>
          fc.record({
            route: fc.constant(route),
            body: restBody(route.operation.operationId),
            damage,
            contentType,
            authorization,
            query: queryString,
            param: pathParam,
          }),
        ),
        async ({ route, body, damage: d, contentType: ct, authorization: auth, query, param }) => {
          const hasBody = route.method !== "get" && route.method !== "delete";
          const headers: Record<string, string> = {};
          if (hasBody && ct !== undefined) headers["content-type"] = ct;
          if (auth !== undefined) headers.authorization = auth;
          const url = `${node.url}${concretePath(route.path, param)}${query === "" ? "" : `?${query}`}`;
          const bytes = hasBody ? applyDamage(Buffer.from(JSON.stringify(body) ?? "null"), d) : undefined;
          const before = storeCounts(node.inspect());
          const res = await fetch(url, {
            method: route.method.toUpperCase(),
            headers,
            body: bytes,
            signal: AbortSignal.timeout(HANG_MS),
          });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const label = `${route.method.toUpperCase()} ${route.path} → ${res.status}`;
          expect(res.status === 501 || res.status < 500, `${label}: ${text.slice(0, 300)}`).toBe(true);
          if (res.status >= 400) expectUnchanged(before, label);
          // JSON is UTF-8: a body that is not must never be taken in (it used to be stored as U+FFFD).
          if (bytes !== undefined && ct?.startsWith("application/json") === true && !isUtf8(bytes)) {
            expect(res.status, `${label}: accepted bytes that are not UTF-8`).toBeGreaterThanOrEqual(400);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    // The fuzz reached past validation too: some requests succeeded.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  }, RUN_MS);

  const methods = SERVICES.flatMap((service) =>
    service.methods.map((method) => ({
      path: `/${service.typeName}/${method.name}`,
      input: method.input,
      streaming: method.methodKind === "server_streaming",
    })),
  );

  it(`Connect, gRPC, gRPC-Web: ${RUNS} calls over every method, JSON and binary, no server error, no stored change when refused`, async () => {
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods).chain((method) =>
          fc.record({
            method: fc.constant(method),
            init: messageInit(method.input),
            protocol: fc.constantFrom(...RPC_PROTOCOLS),
            damage,
            authorization,
          }),
        ),
        async ({ method, init, protocol, damage: d, authorization: auth }) => {
          const message = create(method.input, init);
          let encoded: Uint8Array;
          try {
            encoded = isBinary(protocol) ? toBinary(method.input, message) : Buffer.from(toJsonString(method.input, message));
          } catch {
            return; // not encodable (e.g. a bad enum number in JSON): nothing to send
          }
          const headers: Record<string, string> = auth === undefined ? {} : { authorization: auth };
          // A server stream a valid request opens (WatchFacts) runs until stopped: a deadline ends it.
          if (method.streaming) Object.assign(headers, protocol.startsWith("grpc") ? { "grpc-timeout": "200m" } : { "connect-timeout-ms": "200" });
          const bytes = applyDamage(encoded, d);
          const before = storeCounts(node.inspect());
          const out = await rpc.call(protocol, method.path, bytes, {
            streaming: method.streaming,
            headers,
            timeoutMs: HANG_MS,
          });
          codes.set(out.code, (codes.get(out.code) ?? 0) + 1);
          const label = `${protocol} ${method.path} → ${out.status} ${out.code} ${out.reason ?? ""}`;
          expect(["internal", "unknown", "data_loss", "unavailable"], `${label}: ${out.message}`).not.toContain(out.code);
          expect(out.status === 501 || out.status < 500, `${label}: ${out.message}`).toBe(true);
          // A gRPC or gRPC-Web answer without grpc-status is an unfinished response.
          if (protocol.startsWith("grpc")) expect(out.code, `${label}: no grpc-status`).not.toMatch(/^http_/);
          if (out.code !== "ok") expectUnchanged(before, label);
          if (!isBinary(protocol) && !isUtf8(bytes)) expect(out.code, `${label}: accepted bytes that are not UTF-8`).not.toBe("ok");
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(codes.get("ok") ?? 0).toBeGreaterThan(0);
  }, RUN_MS);
});
