/**
 * REST handlers of the `auth` tag: GET /v1/me and /v1/auth/keys (create,
 * list, revoke). The JSON body's shape is checked here, FastAPI style
 * (422 `{"detail":[{loc,msg,type}]}`); values are checked by the same
 * `node/auth` use cases the Connect AuthService calls.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import { AppError, type FieldViolation } from "../../node/app-error.js";
import type { KeyInfo } from "../../node/auth/api-key.js";
import { createKey, type CreateKeyInput } from "../../node/auth/create-key.js";
import { listKeys, revokeKey, whoAmI } from "../../node/auth/manage-keys.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

/** Handlers of whoAmI, createKey (201), listKeys and revokeKey (204). */
export const authHandlers: RestHandlers = {
  whoAmI: (_req, _reply, { principal }): Schemas["WhoAmI"] => {
    const me = whoAmI(principal);
    return {
      entity_uri: me.entityUri,
      permissions: [...me.permissions],
      oidc_sub: null,
      tenant_id: "default",
      allowed_scopes: me.allowedScopes === null ? null : [...me.allowedScopes],
      key_id: me.keyId,
    };
  },
  createKey: (req, reply, { node, principal }): Schemas["CreatedKey"] => {
    const created = createKey(node.keys, principal, parseCreateKeyBody(req.body));
    void reply.code(201);
    return created.rawKey === undefined ? keyJson(created.key) : { ...keyJson(created.key), raw_key: created.rawKey };
  },
  listKeys: (_req, _reply, { node, principal }): Schemas["Key"][] => listKeys(node.keys, principal).map(keyJson),
  revokeKey: (req, reply, { node, principal }) => {
    revokeKey(node.keys, principal, (req.params as { key_id: string }).key_id);
    return reply.code(204).send();
  },
};

function keyJson(k: KeyInfo): Schemas["Key"] {
  return {
    id: k.id,
    entity_uri: k.entityUri,
    permissions: [...k.permissions],
    allowed_scopes: k.allowedScopes === null ? null : [...k.allowedScopes],
    description: k.description,
    created_at: k.createdAt,
    expires_at: k.expiresAt,
    tenant_id: k.tenantId,
    oidc_sub: null,
  };
}

/**
 * The KeyCreateRequest body as use-case input.
 * @throws AppError validation_error listing every field of the wrong type.
 */
export function parseCreateKeyBody(body: unknown): CreateKeyInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid([
      {
        loc: ["body"],
        msg: "Input should be a valid dictionary or object to extract fields from",
        type: "model_attributes_type",
      },
    ]);
  }
  const b = body as Record<string, unknown>;
  const violations: FieldViolation[] = [];
  const bad = (field: string, msg: string, type: string, index?: number): void => {
    violations.push({ loc: index === undefined ? ["body", field] : ["body", field, index], msg, type });
  };
  /** A string, or null/absent (→ undefined) when `nullable`. */
  const str = (field: string, nullable: boolean): string | null | undefined => {
    const v = b[field];
    if (v === undefined || (nullable && v === null)) return v;
    if (typeof v !== "string") bad(field, "Input should be a valid string", "string_type");
    return typeof v === "string" ? v : undefined;
  };
  /** A list of strings, or null/absent. */
  const strings = (field: string): string[] | null | undefined => {
    const v = b[field];
    if (v === undefined || v === null) return v;
    if (!Array.isArray(v)) {
      bad(field, "Input should be a valid list", "list_type");
      return undefined;
    }
    v.forEach((item, i) => {
      if (typeof item !== "string") bad(field, "Input should be a valid string", "string_type", i);
    });
    return v.filter((item): item is string => typeof item === "string");
  };

  if (b.entity_uri === undefined) bad("entity_uri", "Field required", "missing");
  const entityUri = str("entity_uri", false) ?? "";
  // raw_key null is read as "generate one", like an absent field.
  const rawKey = str("raw_key", true) ?? undefined;
  const permissions = strings("permissions");
  if (permissions === null) bad("permissions", "Input should be a valid list", "list_type");
  const allowedScopes = strings("allowed_scopes");
  const description = str("description", true);
  const expiresAt = str("expires_at", true);
  const tenant = str("tenant_id", true);
  if (typeof tenant === "string" && tenant !== "default") {
    bad("tenant_id", "Input should be 'default'", "literal_error");
  }
  if (violations.length > 0) throw invalid(violations);
  return {
    rawKey,
    entityUri,
    permissions: permissions ?? undefined,
    allowedScopes,
    description,
    expiresAt,
  };
}

function invalid(violations: FieldViolation[]): AppError {
  return new AppError("validation_error", "the request body is not valid", { violations });
}
