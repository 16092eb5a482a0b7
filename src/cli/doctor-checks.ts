/**
 * What `stigmem doctor` checks, each check a function from what the earlier
 * ones found to findings with a status and, when something needs doing,
 * what to do. The checks read the data folder directly (like `keys`), so
 * they work with the node stopped — and beside a running one, which they
 * then also ask for `/healthz`.
 *
 * Federation has its check (peers reachable, their lag) in {@link CHECKS}.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { loadConfig, type Config, type ConfigFlags } from "../config.js";
import { formatTimestamp } from "../core/timestamp.js";
import { OFFLINE_EMBEDDER_ID, VOCAB_FILE_NAME } from "../embed/offline-embedder.js";
import { OpenAIEmbedder } from "../embed/openai-embedder.js";
import { hashKey } from "../node/auth/api-key.js";
import { peerStatuses } from "../node/federation/peer-status.js";
import { BOOTSTRAP_KEY_FILE } from "../node/auth/bootstrap.js";
import type { KeyStore } from "../store/key-store.js";
import { Storage } from "../store/storage.js";
import { MIGRATIONS } from "../store/migrations/index.js";
import { probeDataFolder, readLockHolder } from "../store/data-folder-lock.js";

/** ok: fine; info: worth knowing; warn: needs attention soon; fail: the node cannot work; skip: not checked. */
export type CheckStatus = "ok" | "info" | "warn" | "fail" | "skip";

/** One finding. */
export interface Finding {
  /** Stable id for scripts (`config`, `database`, `lock`, `keys.expiring`, ...). */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was found, in one sentence. */
  readonly message: string;
  /** What to do about it, when something should be done. */
  readonly fix?: string;
}

/** What the checks share: the inputs, and what earlier checks established. */
export interface DoctorContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: ConfigFlags;
  readonly now: Date;
  config?: Config;
  storage?: Storage;
  /** The URL of the node serving the folder, when one does. */
  runningUrl?: string;
}

export type Check = (ctx: DoctorContext) => Finding[] | Promise<Finding[]>;

/** Days before expiry from which a key is reported. */
export const EXPIRY_WARNING_DAYS = 14;
/** How far back revoked and expired keys are reported. */
export const ENDED_KEYS_DAYS = 30;

/** The configuration parses, with the values that matter at a glance. */
export const checkConfig: Check = (ctx) => {
  try {
    const c = loadConfig(ctx.env, ctx.flags);
    ctx.config = c;
    return [
      {
        id: "config",
        status: "ok",
        message: `${c.host}:${c.port}, data ${c.dataDir}, auth ${c.authRequired ? "required" : "off"}, embedder ${c.embedder}`,
      },
    ];
  } catch (e) {
    return [{ id: "config", status: "fail", message: (e as Error).message, fix: "correct that setting (README.md, Configuration)" }];
  }
};

/** The database exists, opens, and takes a write lock. */
export const checkDatabase: Check = (ctx) => {
  const c = ctx.config;
  if (c === undefined) return [skipped("database")];
  if (!fs.existsSync(c.dbPath)) {
    return [{ id: "database", status: "info", message: `no database yet at ${c.dbPath}`, fix: "`stigmem serve` creates it on first start" }];
  }
  try {
    fs.accessSync(path.dirname(c.dbPath), fs.constants.W_OK);
    fs.accessSync(c.dbPath, fs.constants.R_OK | fs.constants.W_OK);
    const storage = Storage.open(c.dbPath);
    ctx.storage = storage;
    storage.probeWriteLock();
    const { sqliteVersion, schemaVersion } = storage.info();
    return [{ id: "database", status: "ok", message: `${c.dbPath} is writable (schema ${schemaVersion} of ${MIGRATIONS.length}, SQLite ${sqliteVersion})` }];
  } catch (e) {
    return [
      {
        id: "database",
        status: "fail",
        message: `${c.dbPath} is not usable: ${(e as Error).message}`,
        fix: "give the node's user read and write access to the data folder and its files, and free disk space",
      },
    ];
  }
};

/** Whether a node serves the folder, and whether it answers. */
export const checkLock: Check = async (ctx) => {
  const c = ctx.config;
  if (c === undefined) return [skipped("lock")];
  const probe = probeDataFolder(c.dataDir);
  if (!probe.locked) {
    const last = readLockHolder(c.dataDir);
    return [
      {
        id: "lock",
        status: "ok",
        message:
          last === undefined
            ? "no node serves this data folder"
            : `no node serves this data folder (pid ${last.pid} stopped without shutting down; the next start takes over)`,
      },
    ];
  }
  const who = probe.holder === undefined ? "another process" : `pid ${probe.holder.pid}`;
  const url = probe.holder?.url;
  if (url === undefined) {
    return [{ id: "lock", status: "info", message: `the data folder is locked: a node (${who}) is serving it or starting` }];
  }
  ctx.runningUrl = url;
  const answered = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  return answered
    ? [{ id: "lock", status: "info", message: `the data folder is locked: served by a running node (${who}) at ${url}` }]
    : [
        {
          id: "lock",
          status: "warn",
          message: `the data folder is locked by ${who}, but ${url}/healthz does not answer`,
          fix: "look at that node's log; stop it (SIGTERM) and start it again if it hangs",
        },
      ];
};

/** Keys: usable ones, those about to expire, and those revoked or expired lately. */
export const checkKeys: Check = (ctx) => {
  const c = ctx.config;
  if (c === undefined) return [skipped("keys")];
  if (ctx.storage === undefined) return [skipped("keys", "no usable database")];
  const store = ctx.storage.keys;
  const now = formatTimestamp(ctx.now.getTime());
  const out: Finding[] = [];
  const active = store.listActive(now);
  const soon = formatTimestamp(ctx.now.getTime() + EXPIRY_WARNING_DAYS * 86_400_000);
  const expiring = active.filter((k) => k.expiresAt !== null && k.expiresAt <= soon);
  const admins = active.filter((k) => k.permissions.includes("admin"));
  if (!c.authRequired) {
    out.push({ id: "keys", status: "ok", message: `auth is off (loopback only); ${active.length} usable key(s) stored` });
  } else if (active.length === 0) {
    out.push({ id: "keys", status: "info", message: "no usable key: the next start creates the bootstrap admin key" });
  } else if (admins.length === 0) {
    out.push({
      id: "keys",
      status: "warn",
      message: `${active.length} usable key(s), none with admin: no one can manage keys or read /metrics remotely`,
      fix: "stigmem keys create --entity agent:admin --permissions read,write,admin",
    });
  } else {
    out.push({ id: "keys", status: "ok", message: `${active.length} usable key(s), ${admins.length} with admin` });
  }
  for (const k of expiring) {
    const days = Math.max(0, Math.ceil((Date.parse(k.expiresAt!) - ctx.now.getTime()) / 86_400_000));
    out.push({
      id: "keys.expiring",
      status: "warn",
      message: `key ${k.id} (${k.entityUri}) expires in ${days} day(s), at ${k.expiresAt}`,
      fix: `create its successor (stigmem keys create --entity ${k.entityUri} --permissions ${k.permissions.join(",")}), hand it over, then revoke ${k.id}`,
    });
  }
  const since = formatTimestamp(ctx.now.getTime() - ENDED_KEYS_DAYS * 86_400_000);
  for (const k of store.listEndedSince(since, now)) {
    const how = k.revokedAt !== null ? `was revoked at ${k.revokedAt}` : `expired at ${k.expiresAt}`;
    out.push({ id: "keys.ended", status: "info", message: `key ${k.id} (${k.entityUri}) ${how}` });
  }
  out.push(...bootstrapFindings(c, store, now));
  return out;
};

/** A bootstrap key (variable or file) that no longer works is a trap: the variable stops the node from starting. */
function bootstrapFindings(c: Config, store: KeyStore, now: string): Finding[] {
  const dead = (raw: string): boolean => {
    const k = store.findByHash(hashKey(raw));
    return k !== undefined && (k.revokedAt !== null || (k.expiresAt !== null && k.expiresAt <= now));
  };
  const out: Finding[] = [];
  if (c.authRequired && c.bootstrapKey !== undefined && dead(c.bootstrapKey) && store.countActive(now) === 0) {
    out.push({
      id: "keys.bootstrap",
      status: "fail",
      message: "STIGMEM_BOOTSTRAP_KEY names a revoked or expired key and no other key is usable: the node will not start",
      fix: "set STIGMEM_BOOTSTRAP_KEY to a new secret, or create a key with stigmem keys create",
    });
  }
  const file = path.join(c.dataDir, BOOTSTRAP_KEY_FILE);
  if (fs.existsSync(file)) {
    let raw = "";
    try {
      raw = fs.readFileSync(file, "utf8").trim();
    } catch {
      // An unreadable file is reported as such below only if it matters; it holds no usable key for us.
    }
    if (raw !== "" && dead(raw)) {
      out.push({
        id: "keys.bootstrap_file",
        status: "warn",
        message: `${file} holds a key that no longer works`,
        fix: `delete ${file}`,
      });
    }
  }
  return out;
}

/** The embedder, whether its model matches the stored vectors, and the backlog. */
export const checkEmbedder: Check = (ctx) => {
  const c = ctx.config;
  if (c === undefined) return [skipped("embedder")];
  if (c.embedder === "none") {
    return [{ id: "embedder", status: "info", message: "STIGMEM_EMBEDDER=none: recall runs without its semantic channel" }];
  }
  const out: Finding[] = [];
  const expected =
    c.embedder === "offline"
      ? OFFLINE_EMBEDDER_ID
      : new OpenAIEmbedder({ url: c.embedUrl, model: c.embedModel!, dims: c.embedDims, apiKey: undefined }).id;
  if (c.embedder === "offline" && !fs.existsSync(path.join(c.embedCacheDir, VOCAB_FILE_NAME))) {
    out.push({ id: "embedder", status: "info", message: `${expected}: the vocabulary is derived on the next start (a few seconds)` });
  } else {
    out.push({ id: "embedder", status: "ok", message: c.embedder === "openai" ? `${expected} at ${c.embedUrl}` : expected });
  }
  if (ctx.storage === undefined) return out;
  const store = ctx.storage.vectors;
  const { model } = store.state();
  const backlog = store.backlog();
  const running = ctx.runningUrl !== undefined;
  if (model !== null && model !== expected) {
    out.push({
      id: "embedder.model",
      status: "warn",
      message: `the stored vectors are of ${model}; every fact is embedded again with ${expected}`,
      fix: running ? "nothing: the running node re-embeds in the background" : "start the node (it re-embeds in the background) or run stigmem embed backfill",
    });
  } else if (backlog > 0) {
    out.push(
      running
        ? { id: "embedder.backlog", status: "info", message: `${backlog} fact(s) waiting to be embedded by the running node` }
        : {
            id: "embedder.backlog",
            status: "warn",
            message: `${backlog} fact(s) not embedded yet: recall does not find them by meaning`,
            fix: "start the node (it embeds them in the background) or run stigmem embed backfill",
          },
    );
  } else {
    out.push({ id: "embedder.backlog", status: "ok", message: "every fact is embedded" });
  }
  return out;
};

/** A peer this long behind (not caught up for this long) is reported as lagging. */
export const PEER_LAG_WARNING_MS = 10 * 60_000;

/** Federation: peers waiting for approval, and active peers that fail or lag. */
export const checkPeers: Check = (ctx) => {
  const c = ctx.config;
  if (c === undefined) return [skipped("peers")];
  if (!c.federationEnabled) return [{ id: "peers", status: "info", message: "federation is off (STIGMEM_FEDERATION_ENABLED)" }];
  if (ctx.storage === undefined) return [skipped("peers", "no usable database")];
  const reports = peerStatuses(ctx.storage.peers, ctx.now.getTime());
  const active = reports.filter((r) => r.peer.status === "active");
  const out: Finding[] = [{ id: "peers", status: "ok", message: `${active.length} active peer(s), ${reports.length} known` }];
  const running = ctx.runningUrl !== undefined;
  for (const r of reports) {
    const who = `peer ${r.peer.peerId} (${r.peer.nodeUrl})`;
    if (r.peer.status === "pending_approval") {
      out.push({
        id: "peers.pending",
        status: "info",
        message: `${who} waits for approval`,
        fix: `confirm its fingerprint with its operator, then: stigmem peers approve ${r.peer.peerId} --fingerprint ${r.fingerprint}`,
      });
      continue;
    }
    if (r.peer.status !== "active") continue;
    if (r.failing) {
      out.push({
        id: "peers.unreachable",
        status: "warn",
        message: `${who}: the last pull failed: ${r.replication?.lastError ?? "unknown error"}`,
        fix: "check that the peer runs and is reachable at its URL, and that it approved this node (stigmem peers status)",
      });
    } else if (r.lagMs === null) {
      out.push({ id: "peers.lag", status: running ? "info" : "warn", message: `${who}: not caught up yet`, ...(running ? {} : { fix: "start the node: it pulls from its peers" }) });
    } else if (r.lagMs > PEER_LAG_WARNING_MS) {
      out.push({
        id: "peers.lag",
        status: "warn",
        message: `${who}: last caught up ${Math.round(r.lagMs / 60_000)} min ago`,
        fix: running ? "see stigmem peers status for its last error" : "start the node: it pulls from its peers",
      });
    }
    if ((r.replication?.rejected ?? 0) > 0) {
      out.push({ id: "peers.rejected", status: "info", message: `${who}: ${r.replication!.rejected} fact(s) rejected so far (see /v1/federation/audit)` });
    }
  }
  return out;
};

/** The checks, in order; each may use what the earlier ones found. */
export const CHECKS: readonly Check[] = [checkConfig, checkDatabase, checkLock, checkKeys, checkEmbedder, checkPeers];

/** Runs every check; closes what they opened. */
export async function runChecks(ctx: DoctorContext, checks: readonly Check[] = CHECKS): Promise<Finding[]> {
  const findings: Finding[] = [];
  try {
    for (const check of checks) findings.push(...(await check(ctx)));
  } finally {
    ctx.storage?.close();
  }
  return findings;
}

function skipped(id: string, why = "the configuration is invalid"): Finding {
  return { id, status: "skip", message: `not checked: ${why}` };
}
