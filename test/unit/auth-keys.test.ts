/**
 * The API-key use cases against a real SQLite file: generated key format,
 * hash-only storage, validation and grant rules, list and revoke visibility,
 * audit entries committed with each change, and the 60 s lookup cache.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AppError, isAppError } from "../../src/node/app-error.js";
import { hashKey, keyPrincipal, MAX_KEY_LIFETIME_MS } from "../../src/node/auth/api-key.js";
import { createKey } from "../../src/node/auth/create-key.js";
import { KEY_CACHE_TTL_MS, KeyRegistry } from "../../src/node/auth/key-registry.js";
import { listKeys, revokeKey, whoAmI } from "../../src/node/auth/manage-keys.js";
import { ANON_TRUSTED, PERMISSIONS, type Principal } from "../../src/node/principal.js";
import Database from "better-sqlite3";
import { Storage } from "../../src/store/storage.js";

const T0 = Date.parse("2030-01-01T00:00:00Z");
const DAY = 86_400_000;

const ROOT: Principal = { entityUri: "system:test", permissions: PERMISSIONS, allowedScopes: null, keyId: null };

let dir: string;
let storage: Storage;
/** A connection of the test's own, for looking at what the registry stored. */
let db: Database.Database;
let now: number;
let reg: KeyRegistry;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-keys-"));
  storage = Storage.open(path.join(dir, "stigmem.db"));
  db = new Database(path.join(dir, "stigmem.db"), { readonly: true });
  now = T0;
  reg = new KeyRegistry(storage, () => now);
});
afterEach(() => {
  db.close();
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The AppError `fn` throws. */
function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

function auditTypes(): string[] {
  return (db.prepare("SELECT event_type FROM audit_log ORDER BY seq").all() as { event_type: string }[]).map(
    (r) => r.event_type,
  );
}

/** A principal holding exactly the created key's grants. */
function principalFor(id: string): Principal {
  return keyPrincipal(reg.store.findById(id)!);
}

describe("createKey", () => {
  it("generates stgm_ + base64url(32 bytes) and stores only its SHA-256", () => {
    const { key, rawKey } = createKey(reg, ROOT, { entityUri: " Agent:Bob Smith " });
    expect(rawKey).toMatch(/^stgm_[A-Za-z0-9_-]{43}$/);
    expect(rawKey).toHaveLength(48);
    expect(key).toMatchObject({
      entityUri: "agent:bob-smith",
      permissions: ["read", "write"],
      allowedScopes: null,
      description: null,
      tenantId: "default",
      createdAt: "2030-01-01T00:00:00.000000+00:00",
      expiresAt: "2030-04-01T00:00:00.000000+00:00",
    });
    const rows = db.prepare("SELECT * FROM api_keys").all() as { key_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).toBe(createHash("sha256").update(rawKey!).digest("hex"));
    const everything = JSON.stringify([rows, db.prepare("SELECT * FROM audit_log").all()]);
    expect(everything).not.toContain(rawKey!);
    expect(everything).not.toContain(rawKey!.slice(5));
  });

  it("registers a caller-supplied key without returning it", () => {
    const raw = "k".repeat(32);
    const created = createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:x" });
    expect(created.rawKey).toBeUndefined();
    expect(reg.store.findByHash(hashKey(raw))?.id).toBe(created.key.id);
  });

  it.each([
    ["31 characters", "a".repeat(31), "key_too_short"],
    ["257 characters", "a".repeat(257), "key_too_short"],
    ["a space", `${"a".repeat(31)} b`, "validation_error"],
    ["non-ASCII", `${"a".repeat(31)}é`, "validation_error"],
  ])("refuses a raw key with %s", (_label, raw, code) => {
    expect(thrown(() => createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:x" })).code).toBe(code);
    expect(auditTypes()).toEqual([]);
  });

  it.each([32, 256])("accepts a raw key of %i characters", (n) => {
    expect(createKey(reg, ROOT, { rawKey: "b".repeat(n), entityUri: "agent:x" }).key.id).toBeTruthy();
  });

  it("answers key_exists for a secret already registered, revoked or not", () => {
    const raw = "s".repeat(40);
    const first = createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:x" });
    expect(thrown(() => createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:y" })).code).toBe("key_exists");
    revokeKey(reg, ROOT, first.key.id);
    expect(thrown(() => createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:y" })).code).toBe("key_exists");
    expect(auditTypes()).toEqual(["key_created", "key_revoked"]);
  });

  it("defaults expiry to 90 days and caps a later one; refuses a past or malformed one", () => {
    const capped = createKey(reg, ROOT, { entityUri: "a:b", expiresAt: "2031-01-01T00:00:00Z" }).key;
    expect(Date.parse(capped.expiresAt!)).toBe(T0 + MAX_KEY_LIFETIME_MS);
    const soon = createKey(reg, ROOT, { entityUri: "a:b", expiresAt: "2030-01-02T01:00:00+01:00" }).key;
    expect(soon.expiresAt).toBe("2030-01-02T00:00:00.000000+00:00");
    for (const bad of ["2029-12-31T23:59:59Z", "2030-01-01T00:00:00Z", "tomorrow", "2030-02-30T00:00:00Z"]) {
      const e = thrown(() => createKey(reg, ROOT, { entityUri: "a:b", expiresAt: bad }));
      expect(e.code, bad).toBe("validation_error");
      expect(e.violations[0]?.loc).toEqual(["body", "expires_at"]);
    }
  });

  it("lists every unknown permission and scope as a 422 violation; dedups and orders the rest", () => {
    const e = thrown(() =>
      createKey(reg, ROOT, { entityUri: "a:b", permissions: ["read", "fly"], allowedScopes: ["company", "galaxy"] }),
    );
    expect(e.code).toBe("validation_error");
    expect(e.violations.map((v) => [v.loc, v.type])).toEqual([
      [["body", "permissions", 1], "enum"],
      [["body", "allowed_scopes", 1], "enum"],
    ]);
    const ok = createKey(reg, ROOT, {
      entityUri: "a:b",
      permissions: ["admin", "read", "read"],
      allowedScopes: ["public", "local"],
    }).key;
    expect(ok.permissions).toEqual(["read", "admin"]);
    expect(ok.allowedScopes).toEqual(["local", "public"]);
  });

  it("answers invalid_entity_uri for an entity that normalizes to nothing, 422 for an empty string", () => {
    expect(thrown(() => createKey(reg, ROOT, { entityUri: " \t " })).code).toBe("invalid_entity_uri");
    expect(thrown(() => createKey(reg, ROOT, { entityUri: "stigmem:// /b/c" })).code).toBe("invalid_entity_uri");
    expect(thrown(() => createKey(reg, ROOT, { entityUri: "" })).code).toBe("validation_error");
  });

  it("needs admin", () => {
    const reader = principalFor(createKey(reg, ROOT, { entityUri: "a:r", permissions: ["read"] }).key.id);
    const e = thrown(() => createKey(reg, reader, { entityUri: "a:x", permissions: ["read"] }));
    expect(e.code).toBe("permission_denied");
    expect(e.details.required_permission).toBe("admin");
  });

  it("grants only permissions and scopes the caller holds", () => {
    const delegate = principalFor(
      createKey(reg, ROOT, {
        entityUri: "agent:ops",
        permissions: ["read", "write", "admin", "admin:federation"],
        allowedScopes: ["company", "team"],
      }).key.id,
    );
    const tooMuch = thrown(() => createKey(reg, delegate, { entityUri: "a:x", permissions: ["read", "audit.read"], allowedScopes: ["company"] }));
    expect(tooMuch.code).toBe("grant_exceeds_caller");
    expect(tooMuch.details).toMatchObject({ exceeding_permissions: ["audit.read"], exceeding_scopes: [] });
    // An unrestricted key would reach scopes the delegate cannot.
    const allScopes = thrown(() => createKey(reg, delegate, { entityUri: "a:x", permissions: ["read"] }));
    expect(allScopes.details).toMatchObject({ exceeding_scopes: ["local", "public"] });
    expect(thrown(() => createKey(reg, delegate, { entityUri: "a:x", permissions: ["read"], allowedScopes: ["public"] })).code).toBe(
      "grant_exceeds_caller",
    );
    // admin:federation is delegated the same way.
    const ok = createKey(reg, delegate, { entityUri: "agent:fed", permissions: ["admin:federation"], allowedScopes: ["team"] });
    expect(ok.key.permissions).toEqual(["admin:federation"]);
  });

  it("audits key_created with the key's grants in the same transaction", () => {
    const { key } = createKey(reg, ROOT, { entityUri: "agent:x", permissions: ["read"], allowedScopes: ["company"] });
    const entry = db.prepare("SELECT actor, outcome, detail FROM audit_log WHERE event_type = 'key_created'").get() as {
      actor: string;
      outcome: string;
      detail: string;
    };
    expect(entry.actor).toBe("system:test");
    expect(entry.outcome).toBe("success");
    expect(JSON.parse(entry.detail)).toMatchObject({
      key_id: key.id,
      entity_uri: "agent:x",
      permissions: ["read"],
      allowed_scopes: ["company"],
      generated: true,
    });
    expect(reg.audit.verify().valid).toBe(true);
  });
});

describe("listKeys and revokeKey", () => {
  it("shows an owner its own keys and an admin all; hides revoked and expired keys", () => {
    const a1 = createKey(reg, ROOT, { entityUri: "agent:a", permissions: ["read"] }).key;
    const a2 = createKey(reg, ROOT, { entityUri: "agent:a", permissions: [] }).key;
    const b = createKey(reg, ROOT, { entityUri: "agent:b", permissions: ["read"], expiresAt: "2030-01-02T00:00:00Z" }).key;
    const admin = createKey(reg, ROOT, { entityUri: "agent:root", permissions: ["admin"] }).key;
    expect(listKeys(reg, principalFor(a2.id)).map((k) => k.id)).toEqual([a1.id, a2.id]);
    expect(listKeys(reg, principalFor(admin.id)).map((k) => k.id)).toEqual([a1.id, a2.id, b.id, admin.id]);
    revokeKey(reg, principalFor(a1.id), a1.id);
    now = T0 + 2 * DAY;
    expect(listKeys(reg, principalFor(admin.id)).map((k) => k.id)).toEqual([a2.id, admin.id]);
    expect(listKeys(reg, ANON_TRUSTED)).toEqual([]);
  });

  it("lets the owner or an admin revoke; others, unknown ids and second revocations get not_found", () => {
    const a = createKey(reg, ROOT, { entityUri: "agent:a", permissions: ["read"] }).key;
    const b = createKey(reg, ROOT, { entityUri: "agent:b", permissions: ["read", "write"] }).key;
    const admin = createKey(reg, ROOT, { entityUri: "agent:root", permissions: ["admin"] }).key;
    expect(thrown(() => revokeKey(reg, principalFor(b.id), a.id)).code).toBe("not_found");
    expect(thrown(() => revokeKey(reg, principalFor(b.id), "no-such-key")).code).toBe("not_found");
    revokeKey(reg, principalFor(admin.id), a.id);
    expect(thrown(() => revokeKey(reg, principalFor(admin.id), a.id)).code).toBe("not_found");
    revokeKey(reg, principalFor(b.id), b.id);
    const revoked = db.prepare("SELECT actor, detail FROM audit_log WHERE event_type = 'key_revoked' ORDER BY seq").all() as {
      actor: string;
      detail: string;
    }[];
    expect(revoked.map((r) => [r.actor, JSON.parse(r.detail).key_id])).toEqual([
      ["agent:root", a.id],
      ["agent:b", b.id],
    ]);
    expect(reg.audit.verify().valid).toBe(true);
  });

  it("describes the caller", () => {
    expect(whoAmI(ANON_TRUSTED)).toEqual({
      entityUri: "anon:trusted",
      permissions: ["read", "write", "federate"],
      oidcSub: null,
      tenantId: "default",
      allowedScopes: null,
      keyId: null,
    });
  });
});

describe("KeyRegistry cache", () => {
  it("serves a found key for 60 s, then re-reads it; revoke flushes at once", () => {
    const raw = "c".repeat(40);
    const { key } = createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:c" });
    expect(reg.lookup(hashKey(raw))?.revokedAt).toBeNull();
    // Another process (the offline CLI) revokes it: this registry's cache still holds it.
    const other = new KeyRegistry(storage, () => now);
    revokeKey(other, ROOT, key.id);
    now += KEY_CACHE_TTL_MS - 1;
    expect(reg.lookup(hashKey(raw))?.revokedAt).toBeNull();
    now += 1;
    expect(reg.lookup(hashKey(raw))?.revokedAt).not.toBeNull();

    const raw2 = "d".repeat(40);
    const second = createKey(reg, ROOT, { rawKey: raw2, entityUri: "agent:d" }).key;
    expect(reg.lookup(hashKey(raw2))?.revokedAt).toBeNull();
    revokeKey(reg, ROOT, second.id);
    expect(reg.lookup(hashKey(raw2))?.revokedAt).not.toBeNull();
  });

  it("does not cache misses, so a new key works at once", () => {
    const raw = "e".repeat(40);
    expect(reg.lookup(hashKey(raw))).toBeUndefined();
    createKey(reg, ROOT, { rawKey: raw, entityUri: "agent:e" });
    expect(reg.lookup(hashKey(raw))).toBeDefined();
  });
});
