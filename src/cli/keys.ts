/**
 * `stigmem keys create|list|revoke`: manages API keys directly in a data
 * folder, without a running node, so an operator locked out of every key
 * can get back in (protocol.md §8). The operator acts as `system:cli`, who
 * holds every permission; each change is audited like one made over the API.
 *
 * A running node caches authenticated keys for up to 60 s, so a key revoked
 * here stops working there within a minute (at once when revoked over the API).
 *
 * @module
 */
import fs from "node:fs";
import { ConfigError, loadConfig } from "../config.js";
import { isAppError } from "../node/app-error.js";
import type { KeyInfo } from "../node/auth/api-key.js";
import { createKey } from "../node/auth/create-key.js";
import { KeyRegistry } from "../node/auth/key-registry.js";
import { listKeys, revokeKey } from "../node/auth/manage-keys.js";
import { PERMISSIONS, type Principal } from "../node/principal.js";
import { Storage } from "../store/storage.js";
import { ExitWith } from "./cli-errors.js";
import { printJson } from "./terminal.js";

/** Flags of `keys create`. */
export interface CreateOptions {
  entity?: string;
  permissions?: string;
  scopes?: string;
  description?: string;
  expiresInDays?: string;
  data?: string;
  json?: boolean;
}

/** The operator at the console: may do anything a key may. */
const CLI_ACTOR: Principal = Object.freeze({
  entityUri: "system:cli",
  permissions: PERMISSIONS,
  allowedScopes: null,
  keyId: null,
});

/** `keys create`: bad flags throw ConfigError (exit 2). */
export function keysCreate(opts: CreateOptions): void {
  const { entity, permissions, scopes, description } = opts;
  if (entity === undefined || entity.trim() === "") throw new ConfigError("--entity", "is required");
  if (permissions === undefined) throw new ConfigError("--permissions", "is required (e.g. read,write)");
  const days = opts.expiresInDays;
  if (days !== undefined && (!/^\d{1,2}$/.test(days) || Number(days) < 1 || Number(days) > 90)) {
    throw new ConfigError("--expires-in-days", `must be a whole number of days from 1 to 90 (got "${days}")`);
  }
  const { reg, close } = openRegistry(opts.data, true);
  try {
    const created = createKey(reg, CLI_ACTOR, {
      entityUri: entity,
      permissions: list(permissions),
      allowedScopes: scopes === undefined ? null : list(scopes),
      description: description ?? null,
      expiresAt: days === undefined ? undefined : new Date(reg.now() + Number(days) * 86_400_000).toISOString(),
    });
    if (opts.json === true) {
      printJson({ raw_key: created.rawKey, key: keyJson(created.key) });
    } else {
      process.stdout.write(`${created.rawKey}\n`);
      process.stderr.write(`stigmem: created key ${describe(created.key)}\nstigmem: the key above is shown only once.\n`);
    }
  } catch (e) {
    throw asUsage(e);
  } finally {
    close();
  }
}

/** `keys list`. */
export function keysList(opts: { data?: string; json?: boolean }): void {
  const { reg, close } = openRegistry(opts.data, false);
  try {
    const keys = listKeys(reg, CLI_ACTOR);
    if (opts.json === true) printJson(keys.map(keyJson));
    else for (const k of keys) process.stdout.write(`${describe(k)}\n`);
  } finally {
    close();
  }
}

/** `keys revoke ID`: exit 1 when no usable key has that id. */
export function keysRevoke(id: string, opts: { data?: string; json?: boolean }): void {
  const { reg, close } = openRegistry(opts.data, false);
  try {
    revokeKey(reg, CLI_ACTOR, id);
    if (opts.json === true) printJson({ revoked: id });
    else process.stderr.write(`stigmem: revoked key ${id}\n`);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") {
      process.stderr.write(`stigmem: no usable key with id ${id}\n`);
      throw new ExitWith(1);
    }
    throw e;
  } finally {
    close();
  }
}

/**
 * The key registry of the data folder named by `--data` (else
 * STIGMEM_DATA_DIR / STIGMEM_DB_PATH). Only `create` may start a new folder:
 * keys can be provisioned before the node's first start.
 */
function openRegistry(data: string | undefined, mayCreate: boolean): { reg: KeyRegistry; close: () => void } {
  const config = loadConfig(
    { STIGMEM_DATA_DIR: process.env.STIGMEM_DATA_DIR, STIGMEM_DB_PATH: process.env.STIGMEM_DB_PATH },
    { data },
  );
  if (!mayCreate && !fs.existsSync(config.dbPath)) {
    throw new ConfigError(data === undefined ? "STIGMEM_DATA_DIR" : "--data", `no node database at ${config.dbPath}`);
  }
  const storage = Storage.open(config.dbPath);
  return { reg: new KeyRegistry(storage), close: () => storage.close() };
}

function list(csv: string): string[] {
  return csv
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A key as `--json` prints it: the REST field names (`GET /v1/auth/keys`). */
export function keyJson(k: KeyInfo): Record<string, unknown> {
  return {
    id: k.id,
    entity_uri: k.entityUri,
    permissions: k.permissions,
    allowed_scopes: k.allowedScopes,
    description: k.description,
    created_at: k.createdAt,
    expires_at: k.expiresAt,
  };
}

function describe(k: KeyInfo): string {
  const scopes = k.allowedScopes === null ? "all-scopes" : `scopes=${k.allowedScopes.join(",") || "-"}`;
  const parts = [
    k.id,
    k.entityUri,
    `permissions=${k.permissions.join(",") || "-"}`,
    scopes,
    `expires=${k.expiresAt ?? "never"}`,
  ];
  if (k.description !== null) parts.push(JSON.stringify(k.description));
  return parts.join("  ");
}

/** Invalid flag values found by the use case become one usage line naming the flag. */
function asUsage(e: unknown): unknown {
  if (!isAppError(e)) return e;
  const flag: Record<string, string> = {
    entity_uri: "--entity",
    permissions: "--permissions",
    allowed_scopes: "--scopes",
    description: "--description",
    expires_at: "--expires-in-days",
  };
  const field = e.violations[0]?.loc[1] ?? e.details.field;
  const name = typeof field === "string" ? (flag[field] ?? "keys create") : "keys create";
  const message =
    e.violations.length > 0 ? e.violations.map((v) => `${v.loc.slice(1).join(".")}: ${v.msg}`).join("; ") : e.message;
  return new ConfigError(name, message);
}
