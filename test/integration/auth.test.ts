/**
 * API keys end to end on a real auth-required node seeded with
 * STIGMEM_BOOTSTRAP_KEY: REST and Connect create, list and revoke through
 * the same use cases; revoked and expired keys fail at once; refusals carry
 * the documented codes and are audited.
 */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { AuthService } from "../../gen/proto/stigmem/v1/auth_pb.js";
import { createKey } from "../../src/node/auth/create-key.js";
import { PERMISSIONS } from "../../src/node/principal.js";
import { SERVICES } from "../../src/transport/connect/routes.js";
import { contractRoutes } from "../../src/transport/rest/openapi-document.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const ADMIN_KEY = `test-admin-${"A1b2C3d4".repeat(5)}`;
const ALL = ["read", "write", "instruction:write", "federate", "admin:federation", "admin", "audit.read"];

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await node.stop();
});

async function rest(method: string, path: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(node.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === "" ? undefined : (JSON.parse(text)) };
}

async function newKey(body: Record<string, unknown>, key = ADMIN_KEY): Promise<{ id: string; raw_key: string }> {
  const res = await rest("POST", "/v1/auth/keys", key, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; raw_key: string };
}

function auditRows(eventType: string): { actor: string; scope: string | null; detail: Record<string, unknown> }[] {
  return (
    node.inspect().prepare("SELECT actor, scope, detail FROM audit_log WHERE event_type = ? ORDER BY seq").all(eventType) as {
      actor: string;
      scope: string | null;
      detail: string;
    }[]
  ).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

describe("REST", () => {
  it("answers /v1/me for the seeded bootstrap key", async () => {
    const res = await rest("GET", "/v1/me", ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entity_uri: "agent:admin",
      permissions: ALL,
      oidc_sub: null,
      tenant_id: "default",
      allowed_scopes: null,
      key_id: expect.any(String),
    });
  });

  it("answers 401 auth_required with WWW-Authenticate on every protected operation without a key", async () => {
    const protectedRoutes = contractRoutes().filter((r) => r.operation.security === undefined);
    expect(protectedRoutes.length).toBeGreaterThan(30);
    for (const r of protectedRoutes) {
      const path = r.path.replace(/\{[^}]+\}/g, "x");
      const res = await rest(r.method.toUpperCase(), path, undefined, r.method === "get" || r.method === "delete" ? undefined : {});
      const label = `${r.method} ${r.path}`;
      expect(res.status, label).toBe(401);
      expect(res.headers.get("www-authenticate"), label).toBe("Bearer");
      expect(res.body.code, label).toBe("auth_required");
    }
  });

  it("answers 401 invalid_api_key for an unknown or malformed key", async () => {
    for (const auth of [`Bearer stgm_${"x".repeat(43)}`, "Bearer short", `Basic ${ADMIN_KEY}`]) {
      const res = await fetch(`${node.url}/v1/me`, { headers: { authorization: auth } });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(((await res.json()) as any).code).toBe("invalid_api_key");
    }
  });

  it("creates, lists and revokes a key; the revoked key fails at once", async () => {
    const created = await rest("POST", "/v1/auth/keys", ADMIN_KEY, {
      entity_uri: "Agent:Worker One",
      permissions: ["read", "write"],
      allowed_scopes: ["company", "team"],
      description: "worker",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      entity_uri: "agent:worker-one",
      permissions: ["read", "write"],
      allowed_scopes: ["team", "company"],
      description: "worker",
      tenant_id: "default",
      oidc_sub: null,
    });
    expect(created.body.raw_key).toMatch(/^stgm_[A-Za-z0-9_-]{43}$/);
    const key = created.body.raw_key as string;

    const me = await rest("GET", "/v1/me", key);
    expect(me.body).toMatchObject({ entity_uri: "agent:worker-one", key_id: created.body.id, allowed_scopes: ["team", "company"] });

    const own = await rest("GET", "/v1/auth/keys", key);
    expect(own.body.map((k: { id: string }) => k.id)).toEqual([created.body.id]);
    expect(JSON.stringify(own.body)).not.toContain(key);
    const all = await rest("GET", "/v1/auth/keys", ADMIN_KEY);
    expect(all.body.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(all.body.every((k: Record<string, unknown>) => !("raw_key" in k))).toBe(true);

    const revoked = await rest("DELETE", `/v1/auth/keys/${created.body.id}`, ADMIN_KEY);
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeUndefined();
    const after = await rest("GET", "/v1/me", key);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("invalid_api_key");
    expect((await rest("DELETE", `/v1/auth/keys/${created.body.id}`, ADMIN_KEY)).status).toBe(404);
    expect(auditRows("key_revoked").at(-1)).toMatchObject({ actor: "agent:admin", detail: { key_id: created.body.id } });
  });

  it("lets an owner revoke its own key but not someone else's (404)", async () => {
    const a = await newKey({ entity_uri: "agent:owner-a", permissions: ["read"] });
    const b = await newKey({ entity_uri: "agent:owner-b", permissions: ["read"] });
    expect((await rest("DELETE", `/v1/auth/keys/${b.id}`, a.raw_key)).status).toBe(404);
    expect((await rest("DELETE", `/v1/auth/keys/${a.id}`, a.raw_key)).status).toBe(204);
    expect((await rest("GET", "/v1/me", b.raw_key)).status).toBe(200);
  });

  it("answers 401 api_key_expired once a key's expiry passes", async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const k = await newKey({ entity_uri: "agent:brief", permissions: ["read"], expires_at: expiresAt });
    expect((await rest("GET", "/v1/me", k.raw_key)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 50));
    const res = await rest("GET", "/v1/me", k.raw_key);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.body.code).toBe("api_key_expired");
  });

  it("refuses grants beyond the caller's own with 403 grant_exceeds_caller", async () => {
    const ops = await newKey({ entity_uri: "agent:ops", permissions: ["read", "admin", "admin:federation"], allowed_scopes: ["company"] });
    const tooMuch = await rest("POST", "/v1/auth/keys", ops.raw_key, { entity_uri: "agent:x", permissions: ["write"], allowed_scopes: ["company"] });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body).toMatchObject({ code: "grant_exceeds_caller", exceeding_permissions: ["write"] });
    const widerScopes = await rest("POST", "/v1/auth/keys", ops.raw_key, { entity_uri: "agent:x", permissions: ["read"] });
    expect(widerScopes.body.code).toBe("grant_exceeds_caller");
    await newKey({ entity_uri: "agent:fed-admin", permissions: ["admin:federation"], allowed_scopes: ["company"] }, ops.raw_key);
    expect(auditRows("permission_denied").filter((e) => e.detail.code === "grant_exceeds_caller").length).toBeGreaterThanOrEqual(2);
  });

  it("answers 422 key_too_short, 422 detail[] for bad fields, 409 key_exists for a taken secret", async () => {
    const short = await rest("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "a:b", raw_key: "x".repeat(31) });
    expect(short.status).toBe(422);
    expect(short.body.code).toBe("key_too_short");
    const bad = await rest("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "", permissions: ["read", "fly"] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([
      { loc: ["body", "entity_uri"], msg: expect.any(String), type: "string_too_short" },
      { loc: ["body", "permissions", 1], msg: expect.any(String), type: "enum" },
    ]);
    const entity = await rest("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "  " });
    expect(entity.status).toBe(400);
    expect(entity.body.code).toBe("invalid_entity_uri");
    const raw = `custom-secret-${"z".repeat(30)}`;
    const first = await rest("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "agent:custom", raw_key: raw, permissions: ["read"] });
    expect(first.status).toBe(201);
    expect(first.body.raw_key).toBeUndefined();
    expect((await rest("GET", "/v1/me", raw)).body.entity_uri).toBe("agent:custom");
    const dup = await rest("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "agent:other", raw_key: raw });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("key_exists");
  });

  it("answers a read-only key 403 permission_denied on createKey, and audits it", async () => {
    const reader = await newKey({ entity_uri: "agent:reader", permissions: ["read"] });
    const res = await rest("POST", "/v1/auth/keys", reader.raw_key, { entity_uri: "agent:x", permissions: ["read"] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "permission_denied", required_permission: "admin" });
    expect(auditRows("permission_denied").at(-1)).toEqual({
      actor: "agent:reader",
      scope: null,
      detail: {
        code: "permission_denied",
        operation: "createKey",
        transport: "rest",
        required_permission: "admin",
        required_scope: null,
        key_id: reader.id,
      },
    });
  });
});

const transports: [string, () => Transport][] = [
  ["Connect", () => createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" })],
  ["gRPC", () => createGrpcTransport({ baseUrl: node.url })],
];

async function connectError(p: Promise<unknown>): Promise<{ code: Code; reason: string | undefined }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  expect(err).toBeDefined();
  return { code: err!.code, reason: err!.findDetails(ErrorInfoSchema)[0]?.reason };
}

describe.each(transports)("AuthService over %s", (_name, makeTransport) => {
  const client = () => createClient(AuthService, makeTransport());
  const opts = (key?: string) => (key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } });

  it("answers Unauthenticated with reason auth_required or invalid_api_key", async () => {
    expect(await connectError(client().whoAmI({}))).toEqual({ code: Code.Unauthenticated, reason: "auth_required" });
    expect(await connectError(client().whoAmI({}, opts(`stgm_${"q".repeat(43)}`)))).toEqual({
      code: Code.Unauthenticated,
      reason: "invalid_api_key",
    });
  });

  it("answers every protected service Unauthenticated without a key, implemented or not", async () => {
    let checked = 0;
    for (const service of SERVICES) {
      if (service.typeName === "stigmem.v1.NodeService") continue;
      const method = service.methods.find((m) => m.methodKind === "unary");
      if (method === undefined) continue;
      checked++;
      const c = createClient(service, makeTransport()) as unknown as Record<string, (req: object) => Promise<unknown>>;
      expect(await connectError(c[method.localName]!({})), `${service.typeName}/${method.name}`).toEqual({
        code: Code.Unauthenticated,
        reason: "auth_required",
      });
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it("creates, lists and revokes keys through the same use cases as REST", async () => {
    const created = await client().createKey(
      { entityUri: "Agent:Grpc", permissions: ["read"], allowedScopes: { scopes: ["public"] }, description: "via rpc" },
      opts(ADMIN_KEY),
    );
    expect(created.rawKey).toMatch(/^stgm_[A-Za-z0-9_-]{43}$/);
    expect(created.key).toMatchObject({ entityUri: "agent:grpc", permissions: ["read"], description: "via rpc", tenantId: "default" });
    expect(created.key?.allowedScopes?.scopes).toEqual(["public"]);
    const raw = created.rawKey!;

    const me = await client().whoAmI({}, opts(raw));
    expect(me).toMatchObject({ entityUri: "agent:grpc", permissions: ["read"], tenantId: "default", keyId: created.key!.id });
    expect(me.allowedScopes?.scopes).toEqual(["public"]);
    expect(me.oidcSub).toBeUndefined();

    const listed = await client().listKeys({}, opts(raw));
    expect(listed.keys.map((k) => k.id)).toEqual([created.key!.id]);
    // The REST twin sees the same key.
    expect((await rest("GET", "/v1/auth/keys", raw)).body[0].id).toBe(created.key!.id);

    await client().revokeKey({ keyId: created.key!.id }, opts(ADMIN_KEY));
    expect(await connectError(client().whoAmI({}, opts(raw)))).toEqual({ code: Code.Unauthenticated, reason: "invalid_api_key" });
    expect(await connectError(client().revokeKey({ keyId: created.key!.id }, opts(ADMIN_KEY)))).toEqual({
      code: Code.NotFound,
      reason: "not_found",
    });
  });

  it("defaults empty permissions to read and write; an absent ScopeList means every scope", async () => {
    const created = await client().createKey({ entityUri: "agent:defaults" }, opts(ADMIN_KEY));
    expect(created.key?.permissions).toEqual(["read", "write"]);
    expect(created.key?.allowedScopes).toBeUndefined();
  });

  it("maps refusals: PermissionDenied (audited), InvalidArgument key_too_short, AlreadyExists key_exists", async () => {
    const reader = await newKey({ entity_uri: "agent:rpc-reader", permissions: ["read"] });
    expect(await connectError(client().createKey({ entityUri: "agent:x", permissions: ["read"] }, opts(reader.raw_key)))).toEqual({
      code: Code.PermissionDenied,
      reason: "permission_denied",
    });
    expect(auditRows("permission_denied").at(-1)).toMatchObject({
      actor: "agent:rpc-reader",
      detail: { operation: "stigmem.v1.AuthService/CreateKey", transport: "connect", required_permission: "admin" },
    });
    expect(await connectError(client().createKey({ entityUri: "a:b", rawKey: "short" }, opts(ADMIN_KEY)))).toEqual({
      code: Code.InvalidArgument,
      reason: "key_too_short",
    });
    expect(await connectError(client().createKey({ entityUri: "a:b", rawKey: ADMIN_KEY }, opts(ADMIN_KEY)))).toEqual({
      code: Code.AlreadyExists,
      reason: "key_exists",
    });
  });
});

describe("auth_failed", () => {
  it("is audited once per IP per minute, without the presented secret", async () => {
    // A fresh node, so no earlier failure from 127.0.0.1 shares the window.
    const fresh = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY } });
    try {
      // Both attempts must fall in one clock minute.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
      const count = () =>
        (fresh.inspect().prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event_type = 'auth_failed'").get() as { n: number }).n;
      const wrong = `stgm_${"w".repeat(43)}`;
      for (const secret of [wrong, `${wrong}2`]) {
        const res = await fetch(`${fresh.url}/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
        expect(res.status).toBe(401);
      }
      expect(count()).toBe(1);
      const detail = (fresh.inspect().prepare("SELECT detail FROM audit_log WHERE event_type = 'auth_failed'").get() as { detail: string })
        .detail;
      expect(JSON.parse(detail)).toMatchObject({ ip: "127.0.0.1", reason: "invalid_api_key" });
      expect(detail).not.toContain("wwww");
      // A request without any key is not an attempt and is not audited.
      await fetch(`${fresh.url}/v1/me`);
      expect(count()).toBe(1);
      expect(fresh.node.keys.audit.verify().valid).toBe(true);
    } finally {
      await fresh.stop();
    }
  });
});

describe("no-auth mode", () => {
  it("answers /v1/me as anon:trusted without a key, and as the key's principal with one", async () => {
    const open = await startTestNode();
    try {
      const anon = await (await fetch(`${open.url}/v1/me`)).json();
      expect(anon).toEqual({
        entity_uri: "anon:trusted",
        permissions: ["read", "write", "federate"],
        oidc_sub: null,
        tenant_id: "default",
        allowed_scopes: null,
        key_id: null,
      });
      // anon:trusted lacks admin, so the key is made through the use case directly.
      const root = { entityUri: "system:test", permissions: PERMISSIONS, allowedScopes: null, keyId: null };
      const created = createKey(open.node.keys, root, { entityUri: "agent:local", permissions: ["read"], allowedScopes: ["local"] });
      const me = await (await fetch(`${open.url}/v1/me`, { headers: { authorization: `Bearer ${created.rawKey}` } })).json();
      expect(me).toMatchObject({ entity_uri: "agent:local", permissions: ["read"], allowed_scopes: ["local"], key_id: created.key.id });
      const bad = await fetch(`${open.url}/v1/me`, { headers: { authorization: `Bearer stgm_${"n".repeat(43)}` } });
      expect(bad.status).toBe(401);
    } finally {
      await open.stop();
    }
  });
});
