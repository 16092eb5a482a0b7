/**
 * Creating an API key (protocol.md §8, REST POST /v1/auth/keys, Connect
 * AuthService.CreateKey). Needs `admin`; a caller grants only permissions
 * and scopes it holds itself, which is how `admin:federation` is delegated.
 * The key row and its `key_created` audit entry commit together.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { isCoreError } from "../../core/errors.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { SCOPES, type Scope } from "../../core/scope.js";
import { checkTextField } from "../../core/text-field.js";
import { formatTimestamp, isRfc3339, parseRfc3339 } from "../../core/timestamp.js";
import { AppError, type FieldViolation } from "../app-error.js";
import { PERMISSIONS, requirePermission, type Permission, type Principal } from "../principal.js";
import {
  generateRawKey,
  hashKey,
  keyInfo,
  MAX_KEY_LENGTH,
  MAX_KEY_LIFETIME_MS,
  MIN_KEY_LENGTH,
  rawKeyProblem,
  TENANT_ID,
  type KeyInfo,
} from "./api-key.js";
import type { KeyRegistry } from "./key-registry.js";

/** Permissions of a key whose request names none (REST default, proto "empty"). */
export const DEFAULT_KEY_PERMISSIONS: readonly Permission[] = ["read", "write"];
/** Longest key description, in characters. */
export const MAX_DESCRIPTION_LENGTH = 1024;

/** A key to create, as plain values; every field is checked here. */
export interface CreateKeyInput {
  /** Caller-chosen secret (32–256 visible ASCII characters); absent → generated. */
  readonly rawKey?: string | undefined;
  readonly entityUri: string;
  /** Absent → `["read", "write"]`. */
  readonly permissions?: readonly string[] | undefined;
  /** Absent or null → every scope. */
  readonly allowedScopes?: readonly string[] | null | undefined;
  readonly description?: string | null | undefined;
  /** RFC 3339; absent or beyond 90 days → 90 days from now. */
  readonly expiresAt?: string | null | undefined;
}

/** The stored key, plus its secret when the node generated it (shown this once). */
export interface CreatedKey {
  readonly key: KeyInfo;
  readonly rawKey: string | undefined;
}

/**
 * Creates a key for `caller`.
 * @throws AppError permission_denied, key_too_short, validation_error,
 *   invalid_entity_uri, grant_exceeds_caller, key_exists.
 */
export function createKey(
  reg: KeyRegistry,
  caller: Principal,
  input: CreateKeyInput,
  /** Extra fields for the `key_created` audit detail (e.g. `bootstrap`). Never secrets. */
  auditDetail: Record<string, unknown> = {},
): CreatedKey {
  requirePermission(caller, "admin");
  const now = reg.now();
  const checked = checkInput(input, now);
  checkGrant(caller, checked.permissions, checked.allowedScopes);

  const rawKey = input.rawKey ?? generateRawKey();
  const createdAt = formatTimestamp(now);
  const stored = {
    id: randomUUID(),
    keyHash: hashKey(rawKey),
    entityUri: checked.entityUri,
    permissions: checked.permissions,
    allowedScopes: checked.allowedScopes,
    description: checked.description,
    createdAt,
    expiresAt: formatTimestamp(checked.expiresAtMs),
    revokedAt: null,
    createdBy: caller.entityUri,
    tenantId: TENANT_ID,
  };
  try {
    reg.transaction(() => {
      if (reg.store.findByHash(stored.keyHash) !== undefined) throw keyExists();
      reg.store.insert(stored);
      reg.audit.append(
        {
          eventType: "key_created",
          actor: caller.entityUri,
          outcome: "success",
          detail: {
            key_id: stored.id,
            entity_uri: stored.entityUri,
            permissions: [...stored.permissions],
            allowed_scopes: stored.allowedScopes === null ? null : [...stored.allowedScopes],
            expires_at: stored.expiresAt,
            generated: input.rawKey === undefined,
            ...auditDetail,
          },
        },
        now,
      );
    });
  } catch (e) {
    // Another writer registered the same secret between our check and insert.
    if ((e as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE") throw keyExists();
    throw e;
  }
  return { key: keyInfo(stored), rawKey: input.rawKey === undefined ? rawKey : undefined };
}

interface CheckedInput {
  entityUri: string;
  permissions: Permission[];
  allowedScopes: Scope[] | null;
  description: string | null;
  expiresAtMs: number;
}

function checkInput(input: CreateKeyInput, now: number): CheckedInput {
  if (input.rawKey !== undefined && rawKeyProblem(input.rawKey) === "length") {
    throw new AppError(
      "key_too_short",
      `raw_key must be ${MIN_KEY_LENGTH}–${MAX_KEY_LENGTH} characters (got ${[...input.rawKey].length})`,
    );
  }
  const violations: FieldViolation[] = [];
  const violate = (loc: (string | number)[], msg: string, type: string): void => {
    violations.push({ loc: ["body", ...loc], msg, type });
  };
  if (input.rawKey !== undefined && rawKeyProblem(input.rawKey) === "charset") {
    violate(["raw_key"], "raw_key must be visible ASCII characters without spaces", "string_pattern_mismatch");
  }
  if (input.entityUri === "") violate(["entity_uri"], "String should have at least 1 character", "string_too_short");

  const permissions = canonicalSubset(input.permissions ?? DEFAULT_KEY_PERMISSIONS, PERMISSIONS, (i) =>
    violate(["permissions", i], `Input should be ${PERMISSIONS.map((p) => `'${p}'`).join(", ")}`, "enum"),
  );
  const allowedScopes =
    input.allowedScopes === undefined || input.allowedScopes === null
      ? null
      : canonicalSubset(input.allowedScopes, SCOPES, (i) =>
          violate(["allowed_scopes", i], `Input should be ${SCOPES.map((s) => `'${s}'`).join(", ")}`, "enum"),
        );

  const description = input.description ?? null;
  if (description !== null && [...description].length > MAX_DESCRIPTION_LENGTH) {
    violate(["description"], `String should have at most ${MAX_DESCRIPTION_LENGTH} characters`, "string_too_long");
  }

  // protocol.md §8: default and maximum lifetime 90 days; a later expiry is capped.
  const maxExpiry = now + MAX_KEY_LIFETIME_MS;
  let expiresAtMs = maxExpiry;
  if (input.expiresAt !== undefined && input.expiresAt !== null) {
    if (!isRfc3339(input.expiresAt)) {
      violate(["expires_at"], "Input should be a valid RFC 3339 datetime", "datetime_parsing");
    } else {
      const at = parseRfc3339(input.expiresAt, "expires_at");
      if (at <= now) violate(["expires_at"], "expires_at must be in the future", "value_error");
      expiresAtMs = Math.min(at, maxExpiry);
    }
  }
  if (violations.length > 0) {
    throw new AppError("validation_error", "the key request is not valid", { violations });
  }
  return { entityUri: checkEntity(input.entityUri), permissions, allowedScopes, description, expiresAtMs };
}

/** The normalized entity URI (protocol.md §3). */
function checkEntity(raw: string): string {
  try {
    return checkTextField(normalizeEntityUri(raw, "entity_uri"), "entity_uri");
  } catch (e) {
    if (isCoreError(e) && e.code === "invalid_entity_uri") {
      throw new AppError("invalid_entity_uri", e.message, { details: { field: "entity_uri" } });
    }
    if (isCoreError(e)) {
      throw new AppError("validation_error", e.message, {
        violations: [{ loc: ["body", "entity_uri"], msg: e.message, type: e.code }],
      });
    }
    throw e;
  }
}

/** The distinct members of `values` in `universe` order; reports each value outside it by index. */
function canonicalSubset<T extends string>(
  values: readonly string[],
  universe: readonly T[],
  onUnknown: (index: number) => void,
): T[] {
  values.forEach((v, i) => {
    if (!(universe as readonly string[]).includes(v)) onUnknown(i);
  });
  return universe.filter((u) => values.includes(u));
}

/** @throws AppError grant_exceeds_caller naming what the caller lacks. */
function checkGrant(caller: Principal, permissions: readonly Permission[], scopes: readonly Scope[] | null): void {
  const extraPermissions = permissions.filter((p) => !caller.permissions.includes(p));
  let extraScopes: readonly string[] = [];
  if (caller.allowedScopes !== null) {
    const held = caller.allowedScopes as readonly string[];
    // An unrestricted key would reach scopes the caller cannot.
    extraScopes = scopes === null ? SCOPES.filter((s) => !held.includes(s)) : scopes.filter((s) => !held.includes(s));
  }
  if (extraPermissions.length > 0 || extraScopes.length > 0) {
    const parts = [
      extraPermissions.length > 0 ? `permissions ${extraPermissions.join(", ")}` : "",
      extraScopes.length > 0 ? `scopes ${extraScopes.join(", ")}` : "",
    ].filter((s) => s !== "");
    const message = `a key can only grant what its creator holds; you lack ${parts.join(" and ")}`;
    throw new AppError("grant_exceeds_caller", message, {
      details: { exceeding_permissions: extraPermissions, exceeding_scopes: [...extraScopes] },
    });
  }
}

function keyExists(): AppError {
  return new AppError("key_exists", "a key with this secret is already registered");
}
