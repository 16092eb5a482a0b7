/**
 * Typed errors: each class from a real node over every transport, carrying
 * the same stable code, message, context and field list whichever wire
 * failed. Rate limits and internal errors cannot be provoked on this node
 * (no limits configured, no bug on call), so their mapping is checked on
 * the wire shapes protocol.md §7 and common.proto define.
 */
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema, RetryInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { connectError } from "../../sdks/typescript/src/connect/connect-error.js";
import {
  AuthError,
  ConflictError,
  InternalError,
  isStigmemError,
  NotFoundError,
  NotImplementedError,
  PermissionError,
  RateLimitError,
  UnavailableError,
  ValidationError,
  value,
  type StigmemClient,
  type StigmemError,
} from "../../sdks/typescript/src/public-api.js";
import { restError } from "../../sdks/typescript/src/rest/rest-error.js";
import type { TestNode } from "../helpers/test-node.js";
import { clientOf, startSdkNode, TRANSPORTS } from "./sdk-node.js";

let node: TestNode;
let readerKey: string;
beforeAll(async () => {
  node = await startSdkNode();
  readerKey = (await clientOf(node, "rest").keys.create({ entityUri: "agent:reader", permissions: ["read"] })).rawKey!;
});
afterAll(async () => {
  await node.stop();
});

/** The rejection of `p`, which must fail. */
async function failure(p: Promise<unknown>): Promise<StigmemError> {
  try {
    await p;
  } catch (e) {
    if (isStigmemError(e)) return e;
    throw e;
  }
  throw new Error("the call succeeded");
}

/** What must not depend on the transport. */
const portable = (e: StigmemError) => ({
  name: e.name,
  code: e.code,
  message: e.message,
  details: e.details,
  fields: e instanceof ValidationError ? e.fields : undefined,
});

/** Each error class, provoked through the facade. */
const CASES: Record<string, (c: StigmemClient, t: string) => Promise<unknown>> = {
  auth_required: (_c, t) => clientOf(node, t as never, { apiKey: undefined }).me(),
  invalid_api_key: (_c, t) => clientOf(node, t as never, { apiKey: "not-a-key-of-this-node-0123456789abcdef" }).me(),
  permission_denied: (_c, t) => clientOf(node, t as never, { apiKey: readerKey }).keys.create({ entityUri: "agent:x" }),
  not_found: (c) => c.facts.get("00000000-0000-4000-8000-000000000000"),
  cid_malformed: (c) => c.facts.get("sha256:nothex"),
  validation_error: (c) => c.facts.assert({ entity: "user:v", relation: "memory:x", value: value.string("x"), source: "agent:v", confidence: 2 }),
  invalid_cursor: (c) => c.facts.query({ cursor: "not-a-cursor" }),
  time_travel_plugin_not_loaded: (c) => c.facts.query({ asOf: "2020-01-01T00:00:00Z" }),
  key_exists: (c) => c.keys.create({ entityUri: "agent:dup", rawKey: "sdk-tests-admin-key-0123456789abcdefghij" }),
};

describe.each(TRANSPORTS)("typed errors over %s", (transport) => {
  let c: StigmemClient;
  beforeAll(() => {
    c = clientOf(node, transport);
  });

  it.each([
    ["auth_required", AuthError],
    ["invalid_api_key", AuthError],
    ["permission_denied", PermissionError],
    ["not_found", NotFoundError],
    ["cid_malformed", ValidationError],
    ["validation_error", ValidationError],
    ["invalid_cursor", ValidationError],
    ["time_travel_plugin_not_loaded", NotImplementedError],
    ["key_exists", ConflictError],
  ] as const)("%s is a %s", async (code, cls) => {
    const e = await failure(CASES[code]!(c, transport));
    expect(e).toBeInstanceOf(cls);
    expect(e.code).toBe(code);
    expect(e.transport).toBe(transport);
    expect(e.message.length).toBeGreaterThan(0);
    if (transport === "rest") expect(e.httpStatus).toBeGreaterThanOrEqual(400);
    else expect(e.connectCode).toMatch(/^[a-z_]+$/);
  });

  it("lists the offending fields of a validation failure", async () => {
    const e = (await failure(CASES.validation_error!(c, transport))) as ValidationError;
    expect(e.fields).toEqual([{ field: "body.confidence", message: expect.stringMatching(/./), reason: expect.stringMatching(/./) }]);
  });

  it("carries the context fields of the code", async () => {
    const e = await failure(CASES.permission_denied!(c, transport));
    expect(e.details).toMatchObject({ required_permission: "admin" });
    expect((await failure(CASES.cid_malformed!(c, transport))).details).toMatchObject({ cid: "sha256:nothex" });
  });

  it("answers a conflict resolved twice with ConflictError conflict_already_resolved", async () => {
    const a = await c.facts.assert({ entity: `user:${transport}-c`, relation: "pref:x", value: value.string("1"), source: "agent:a" });
    await c.facts.assert({ entity: `user:${transport}-c`, relation: "pref:x", value: value.string("2"), source: "agent:b" });
    const open = (await c.conflicts.list()).conflicts.find((x) => x.entity === `user:${transport}-c`)!;
    await c.conflicts.resolve(open.conflictId, { winningFactId: a.fact.id });
    const e = await failure(c.conflicts.resolve(open.conflictId, { winningFactId: a.fact.id }));
    expect(e).toBeInstanceOf(ConflictError);
    expect(e).toMatchObject({ code: "conflict_already_resolved", details: { conflict_id: open.conflictId } });
  });

  it("answers an unreachable node with UnavailableError", async () => {
    const gone = clientOf(node, transport, { baseUrl: "http://127.0.0.1:1" });
    const e = await failure(gone.node.info());
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.code).toBe("unavailable");
  });
});

describe("the same error whichever the transport", () => {
  it.each(Object.keys(CASES))("%s", async (code) => {
    const seen = await Promise.all(TRANSPORTS.map(async (t) => portable(await failure(CASES[code]!(clientOf(node, t), t)))));
    for (const [i, t] of TRANSPORTS.entries()) expect(seen[i], t).toEqual(seen[0]);
  });
});

describe("errors without a node to provoke them", () => {
  it("reads a 429 as RateLimitError with retryAfter from Retry-After or the body", () => {
    const body = { error: "quota_exceeded", dimension: "write", principal: "agent:x", retry_after: 7 };
    const withHeader = restError(new Response(null, { status: 429, headers: { "retry-after": "12" } }), body) as RateLimitError;
    expect(withHeader).toBeInstanceOf(RateLimitError);
    expect(withHeader).toMatchObject({ code: "quota_exceeded", retryAfter: 12, details: { dimension: "write", retry_after: "7" } });
    expect((restError(new Response(null, { status: 429 }), body) as RateLimitError).retryAfter).toBe(7);
  });

  it("reads resource_exhausted with RetryInfo as the same RateLimitError", () => {
    const err = new ConnectError("quota exceeded for write", Code.ResourceExhausted, undefined, [
      { desc: ErrorInfoSchema, value: { reason: "quota_exceeded", domain: "stigmem", metadata: { dimension: "write" } } },
      { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: durationFromMs(12_000) }) },
    ]);
    const e = connectError(err, "grpc") as RateLimitError;
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e).toMatchObject({ code: "quota_exceeded", retryAfter: 12, details: { dimension: "write" }, connectCode: "resource_exhausted" });
  });

  it("reads a 500 and Connect internal as InternalError, a proxy's 502 as UnavailableError", () => {
    expect(restError(new Response(null, { status: 500 }), { code: "internal", message: "internal error", detail: "internal error" })).toBeInstanceOf(InternalError);
    expect(connectError(new ConnectError("internal error", Code.Internal), "connect")).toBeInstanceOf(InternalError);
    const proxy = restError(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }), "<html>bad gateway</html>");
    expect(proxy).toBeInstanceOf(UnavailableError);
    expect(proxy).toMatchObject({ code: "unavailable", message: "HTTP 502 Bad Gateway" });
  });

  it("stays JSON-serializable and recognisable by name", () => {
    const e = restError(new Response(null, { status: 404 }), { code: "not_found", message: "no fact x", detail: "no fact x" });
    const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: "NotFoundError", code: "not_found", message: "no fact x", httpStatus: 404 });
    expect(isStigmemError(e)).toBe(true);
    expect(isStigmemError(new Error("x"))).toBe(false);
  });
});
