/**
 * Connect AuthService: API keys and WhoAmI over the same `node/auth` use
 * cases as REST /v1/auth/keys and /v1/me. The auth interceptor has already
 * authenticated the call; `principalOf(ctx)` is the caller.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  ApiKeySchema,
  CreateKeyResponseSchema,
  ListKeysResponseSchema,
  RevokeKeyResponseSchema,
  WhoAmIResponseSchema,
  type ApiKey,
  type AuthService,
} from "../../../gen/proto/stigmem/v1/auth_pb.js";
import { ScopeListSchema, type ScopeList } from "../../../gen/proto/stigmem/v1/common_pb.js";
import type { KeyInfo } from "../../node/auth/api-key.js";
import { createKey } from "../../node/auth/create-key.js";
import { listKeys, revokeKey, whoAmI } from "../../node/auth/manage-keys.js";
import type { NodeContext } from "../../node/node-context.js";
import { principalOf } from "./auth-interceptor.js";

/** The AuthService implementation for `node`. */
export function authService(node: NodeContext): ServiceImpl<typeof AuthService> {
  return {
    createKey(req, ctx) {
      const created = createKey(node.keys, principalOf(ctx), {
        rawKey: req.rawKey,
        entityUri: req.entityUri,
        // auth.proto: an empty list means the default, ["read", "write"].
        permissions: req.permissions.length === 0 ? undefined : req.permissions,
        allowedScopes: req.allowedScopes === undefined ? null : req.allowedScopes.scopes,
        description: req.description,
        expiresAt: req.expiresAt,
      });
      return create(CreateKeyResponseSchema, { key: toApiKey(created.key), rawKey: created.rawKey });
    },
    listKeys(_req, ctx) {
      return create(ListKeysResponseSchema, { keys: listKeys(node.keys, principalOf(ctx)).map(toApiKey) });
    },
    revokeKey(req, ctx) {
      revokeKey(node.keys, principalOf(ctx), req.keyId);
      return create(RevokeKeyResponseSchema, {});
    },
    whoAmI(_req, ctx) {
      const me = whoAmI(principalOf(ctx));
      return create(WhoAmIResponseSchema, {
        entityUri: me.entityUri,
        permissions: [...me.permissions],
        tenantId: me.tenantId,
        allowedScopes: scopeList(me.allowedScopes),
        keyId: me.keyId ?? undefined,
      });
    },
  };
}

function toApiKey(k: KeyInfo): ApiKey {
  return create(ApiKeySchema, {
    id: k.id,
    entityUri: k.entityUri,
    permissions: [...k.permissions],
    allowedScopes: scopeList(k.allowedScopes),
    description: k.description ?? undefined,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt ?? undefined,
    tenantId: k.tenantId,
  });
}

/** REST null (every scope) is an absent ScopeList (common.proto). */
function scopeList(scopes: readonly string[] | null): ScopeList | undefined {
  return scopes === null ? undefined : create(ScopeListSchema, { scopes: [...scopes] });
}
