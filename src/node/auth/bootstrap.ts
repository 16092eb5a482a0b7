/**
 * The bootstrap admin key (protocol.md §8). When auth is required and no
 * usable (unrevoked, unexpired) key exists at start, the node registers an
 * `agent:admin` key holding all seven permissions, so a fresh node is never
 * unreachable:
 *
 * - with `STIGMEM_BOOTSTRAP_KEY` set, that secret is registered;
 * - otherwise a key is generated, written to `<data_dir>/bootstrap-admin.key`
 *   (mode 0600, created with O_EXCL so nothing is overwritten or followed)
 *   and printed once to stderr. The file is written before the key commits,
 *   so a committed bootstrap key always has its file.
 *
 * The secret never reaches the log. A node that lost every key recovers
 * with the offline `stigmem keys create`.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError, type Config } from "../../config.js";
import { formatTimestamp } from "../../core/timestamp.js";
import type { Logger } from "../../logger.js";
import { PERMISSIONS, type Principal } from "../principal.js";
import { generateRawKey, hashKey } from "./api-key.js";
import { createKey, type CreatedKey } from "./create-key.js";
import type { KeyRegistry } from "./key-registry.js";

/** File name of a generated bootstrap key, inside the data folder. */
export const BOOTSTRAP_KEY_FILE = "bootstrap-admin.key";
/** Entity the bootstrap key acts as. */
export const BOOTSTRAP_ENTITY = "agent:admin";

/** The node itself, creating the bootstrap key: holds everything, so it may grant everything. */
const BOOTSTRAP_ACTOR: Principal = Object.freeze({
  entityUri: "system:bootstrap",
  permissions: PERMISSIONS,
  allowedScopes: null,
  keyId: null,
});

/** What the bootstrap did, for the caller's log line and for tests. */
export type BootstrapOutcome =
  | { readonly created: false }
  | { readonly created: true; readonly keyId: string; readonly seeded: boolean; readonly file: string | null };

/**
 * Ensures an auth-required node has a usable key; see the module comment.
 * `print` receives the one-time stderr notice of a generated key.
 * @throws ConfigError when STIGMEM_BOOTSTRAP_KEY names a revoked or expired key.
 * @throws Error when a generated key's file already exists.
 */
export function bootstrapAdminKey(
  node: { readonly config: Config; readonly keys: KeyRegistry; readonly log: Logger },
  print: (text: string) => void = (text) => process.stderr.write(text),
): BootstrapOutcome {
  const { config, keys, log } = node;
  if (!config.authRequired) return { created: false };
  if (keys.store.countActive(formatTimestamp(keys.now())) > 0) {
    if (config.bootstrapKey !== undefined && keys.store.findByHash(hashKey(config.bootstrapKey)) === undefined) {
      log.warn({ variable: "STIGMEM_BOOTSTRAP_KEY" }, "STIGMEM_BOOTSTRAP_KEY is ignored: the node already has usable keys");
    }
    return { created: false };
  }

  if (config.bootstrapKey !== undefined) {
    if (keys.store.findByHash(hashKey(config.bootstrapKey)) !== undefined) {
      throw new ConfigError(
        "STIGMEM_BOOTSTRAP_KEY",
        "this key was revoked or has expired and no other key is usable; " +
          "set a new one, or create a key with `stigmem keys create`",
      );
    }
    const created = register(keys, config.bootstrapKey, { bootstrap: true, seeded: true });
    log.info(
      { key_id: created.key.id, entity_uri: BOOTSTRAP_ENTITY },
      "bootstrap admin key registered from STIGMEM_BOOTSTRAP_KEY",
    );
    return { created: true, keyId: created.key.id, seeded: true, file: null };
  }

  const raw = generateRawKey();
  const file = path.join(config.dataDir, BOOTSTRAP_KEY_FILE);
  writeKeyFile(file, raw);
  let created: CreatedKey;
  try {
    created = register(keys, raw, { bootstrap: true, seeded: false, generated: true });
  } catch (e) {
    fs.rmSync(file, { force: true });
    throw e;
  }
  print(
    `stigmem: no usable API key existed, so a bootstrap admin key was created for ${BOOTSTRAP_ENTITY}\n` +
      `stigmem: (all permissions; expires ${created.key.expiresAt}). It is shown only this once:\n\n` +
      `    ${raw}\n\n` +
      `stigmem: it is also in ${file} (mode 0600); delete that file once the key is stored safely.\n`,
  );
  log.warn(
    { key_id: created.key.id, entity_uri: BOOTSTRAP_ENTITY, file },
    "bootstrap admin key created (printed once to stderr)",
  );
  return { created: true, keyId: created.key.id, seeded: false, file };
}

function register(keys: KeyRegistry, raw: string, auditDetail: Record<string, unknown>): CreatedKey {
  return createKey(
    keys,
    BOOTSTRAP_ACTOR,
    { rawKey: raw, entityUri: BOOTSTRAP_ENTITY, permissions: PERMISSIONS, description: "bootstrap admin key" },
    auditDetail,
  );
}

/** Writes the key to a new 0600 file; refuses to touch an existing one (or a symlink). */
function writeKeyFile(file: string, raw: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new Error(
        `${file} already exists but no usable API key is left; move the file away to get a new bootstrap key, ` +
          "or create a key with `stigmem keys create`",
        { cause: e },
      );
    }
    throw e;
  }
  try {
    fs.writeSync(fd, `${raw}\n`);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  fs.closeSync(fd);
}
