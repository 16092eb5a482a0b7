/**
 * `stigmem peers …` (protocol.md §10): the operator's side of federation.
 * `add` declares this node to another (signed with this node's key, posted
 * with a key of the other node); the others work directly in this node's
 * data folder, with or without the node running (as `keys` does): the
 * operator acts as `system:cli`, every change is audited like one made over
 * the API, and a running node picks approvals and removals up within two
 * seconds.
 *
 * @module
 */
import fs from "node:fs";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { declareToPeer, DeclareError } from "../federation/declare-to-peer.js";
import { loadNodeKey } from "../federation/node-key.js";
import { isAppError } from "../node/app-error.js";
import { approvePeer, listPeers, rejectPeer, revokePeer, type PeerAdminContext, type PeerInfo } from "../node/federation/manage-peers.js";
import { peerStatuses, type PeerStatusReport } from "../node/federation/peer-status.js";
import { PERMISSIONS, type Principal } from "../node/principal.js";
import { readLockHolder } from "../store/data-folder-lock.js";
import { Storage } from "../store/storage.js";
import { ExitWith } from "./cli-errors.js";
import { printJson } from "./terminal.js";

/** Flags every peers command takes. */
export interface DataOptions {
  data?: string;
  json?: boolean;
}

/** Flags of `peers add`. */
export interface AddOptions extends DataOptions {
  scopes?: string;
  key?: string;
  nodeUrl?: string;
}

/** Flags of `approve`, `reject` and `remove`. */
export interface DecideOptions extends DataOptions {
  fingerprint?: string;
  scopes?: string;
  reason?: string;
}

/** The operator at the console: may do anything a key may. */
const CLI_ACTOR: Principal = Object.freeze({ entityUri: "system:cli", permissions: PERMISSIONS, allowedScopes: null, keyId: null });

function configOf(data: string | undefined, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(
    {
      STIGMEM_DATA_DIR: env.STIGMEM_DATA_DIR,
      STIGMEM_DB_PATH: env.STIGMEM_DB_PATH,
      STIGMEM_NODE_URL: env.STIGMEM_NODE_URL,
      STIGMEM_FEDERATION_KEY: env.STIGMEM_FEDERATION_KEY,
    },
    { data },
  );
}

function openStorage(config: Config, data: string | undefined): Storage {
  if (!fs.existsSync(config.dbPath)) {
    throw new ConfigError(data === undefined ? "STIGMEM_DATA_DIR" : "--data", `no node database at ${config.dbPath} (start the node once first)`);
  }
  return Storage.open(config.dbPath);
}

/** Runs `work` over the data folder's peer table as the offline operator. */
async function withPeers<T>(data: string | undefined, work: (ctx: PeerAdminContext) => Promise<T> | T): Promise<T> {
  const storage = openStorage(configOf(data), data);
  try {
    // A running node notices the change by itself (it re-reads its peer table); nobody to tell here.
    return await work({ stores: { peers: storage.peers, audit: storage.audit }, writes: storage.writes, federation: { peersChanged: () => {} } });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") {
      process.stderr.write(`stigmem: ${e.message}\n`);
      throw new ExitWith(1);
    }
    if (isAppError(e)) throw new ConfigError("peers", e.message);
    throw e;
  } finally {
    storage.close();
  }
}

function list(csv: string): string[] {
  return csv
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A peer as `--json` prints it: the REST field names (`GET /v1/federation/peers`) plus its fingerprint. */
export function peerJson(p: PeerInfo): Record<string, unknown> {
  return {
    peer_id: p.peerId,
    node_id: p.nodeId,
    node_url: p.nodeUrl,
    status: p.status,
    allowed_scopes: p.allowedScopes,
    declared_scopes: p.declaredScopes,
    established_at: p.establishedAt,
    pubkey_fingerprint: p.fingerprint,
    transport: p.transport,
    status_reason: p.statusReason,
  };
}

function describe(p: PeerInfo): string {
  return [p.peerId, p.nodeId, p.status, `scopes=${p.allowedScopes.join(",") || "-"}`, p.nodeUrl, p.fingerprint].join("  ");
}

/** `peers add URL --scopes … --key …`. */
export async function peersAdd(url: string, opts: AddOptions): Promise<void> {
  if (opts.scopes === undefined || list(opts.scopes).length === 0) throw new ConfigError("--scopes", "is required (e.g. public or company,public)");
  const apiKey = opts.key ?? process.env.STIGMEM_PEER_API_KEY;
  if (apiKey === undefined || apiKey === "") throw new ConfigError("--key", "is required: an API key of the other node with the federate permission");
  const config = configOf(opts.data);
  const nodeUrl = opts.nodeUrl ?? config.nodeUrl ?? readLockHolder(config.dataDir)?.url;
  if (nodeUrl === undefined) {
    throw new ConfigError("--node-url", "is required: this node's public URL (or set STIGMEM_NODE_URL, or run it with the node serving this folder)");
  }
  const storage = openStorage(config, opts.data);
  let nodeId: string | undefined;
  try {
    nodeId = storage.meta.get("node_id");
  } finally {
    storage.close();
  }
  if (nodeId === undefined) throw new ConfigError("--data", "this data folder has no node id yet (start the node once first)");
  const { key } = await loadNodeKey({ dataDir: config.dataDir, seed: config.federationKeySeed });
  let result;
  try {
    result = await declareToPeer({ remoteUrl: url, apiKey, signer: key, nodeId, nodeUrl, scopes: list(opts.scopes) });
  } catch (e) {
    if (e instanceof DeclareError) {
      process.stderr.write(`stigmem: peers add: ${url} refused the declaration (${e.code ?? "error"}): ${e.message}\n`);
      throw new ExitWith(1);
    }
    process.stderr.write(`stigmem: peers add: cannot reach ${url}: ${(e as Error).message}\n`);
    throw new ExitWith(1);
  }
  if (opts.json === true) {
    printJson({ peer_id: result.peerId, status: result.status, node_id: nodeId, node_url: nodeUrl, pubkey_fingerprint: key.fingerprint });
  } else {
    process.stdout.write(`${result.peerId}  ${result.status}\n`);
    process.stderr.write(
      result.status === "pending_approval"
        ? `stigmem: declared to ${url}; its operator approves with:\n  stigmem peers approve ${result.peerId} --fingerprint ${key.fingerprint}\n`
        : `stigmem: ${url} could not verify the declaration (it must reach ${nodeUrl}/.well-known/stigmem)\n`,
    );
  }
  if (result.status !== "pending_approval") throw new ExitWith(1);
}

/** `peers list`. */
export async function peersList(opts: DataOptions): Promise<void> {
  const peers = await withPeers(opts.data, (ctx) => listPeers(ctx, CLI_ACTOR));
  if (opts.json === true) printJson(peers.map(peerJson));
  else for (const p of peers) process.stdout.write(`${describe(p)}\n`);
}

/** `peers approve ID --fingerprint …`. */
export async function peersApprove(id: string, opts: DecideOptions): Promise<void> {
  const fingerprint = opts.fingerprint;
  if (fingerprint === undefined || fingerprint === "") throw new ConfigError("--fingerprint", "is required (sha256:… from the peer's operator)");
  const p = await withPeers(opts.data, (ctx) =>
    approvePeer(ctx, CLI_ACTOR, id, { fingerprint, allowedScopes: opts.scopes === undefined ? null : list(opts.scopes) }),
  ).catch((e: unknown) => {
    if (e instanceof ConfigError && /fingerprint/.test(e.message)) throw new ConfigError("--fingerprint", "is not the fingerprint of this peer's key (the attempt is audited)");
    throw e;
  });
  if (opts.json === true) printJson(peerJson(p));
  else process.stderr.write(`stigmem: approved ${describe(p)}\n`);
}

/** `peers reject ID`. */
export async function peersReject(id: string, opts: DecideOptions): Promise<void> {
  const p = await withPeers(opts.data, (ctx) => rejectPeer(ctx, CLI_ACTOR, id, opts.reason ?? ""));
  if (opts.json === true) printJson(peerJson(p));
  else process.stderr.write(`stigmem: rejected ${describe(p)}\n`);
}

/** `peers remove ID`. */
export async function peersRemove(id: string, opts: DecideOptions): Promise<void> {
  const p = await withPeers(opts.data, (ctx) => revokePeer(ctx, CLI_ACTOR, id, opts.reason ?? ""));
  if (opts.json === true) printJson(peerJson(p));
  else process.stderr.write(`stigmem: removed ${describe(p)}\n`);
}

/** A status report as `--json` prints it. */
export function statusJson(r: PeerStatusReport): Record<string, unknown> {
  const s = r.replication;
  return {
    peer_id: r.peer.peerId,
    node_id: r.peer.nodeId,
    node_url: r.peer.nodeUrl,
    status: r.peer.status,
    transport: r.peer.transport,
    cursor: s?.cursor ?? null,
    lag_ms: r.lagMs,
    failing: r.failing,
    last_error: s?.lastError ?? null,
    last_error_at: s?.lastErrorMs == null ? null : new Date(s.lastErrorMs).toISOString(),
    last_page_at: s?.lastPageMs == null ? null : new Date(s.lastPageMs).toISOString(),
    pages: s?.pages ?? 0,
    accepted: s?.accepted ?? 0,
    duplicates: s?.duplicates ?? 0,
    rejected: s?.rejected ?? 0,
  };
}

function seconds(ms: number | null): string {
  if (ms === null) return "never caught up";
  return ms < 1_000 ? "caught up" : `lag ${(ms / 1000).toFixed(ms < 60_000 ? 1 : 0)} s`;
}

/** `peers status`. */
export async function peersStatus(opts: DataOptions): Promise<void> {
  const reports = await withPeers(opts.data, (ctx) => peerStatuses(ctx.stores.peers, Date.now()));
  if (opts.json === true) {
    printJson(reports.map(statusJson));
    return;
  }
  for (const r of reports) {
    const s = r.replication;
    const parts = [r.peer.peerId, r.peer.nodeId, r.peer.status, r.peer.transport ?? "-"];
    if (r.peer.status === "active") {
      parts.push(seconds(r.lagMs), `accepted=${s?.accepted ?? 0}`, `duplicates=${s?.duplicates ?? 0}`, `rejected=${s?.rejected ?? 0}`);
      parts.push(`cursor=${s?.cursor ?? "start"}`);
      if (r.failing) parts.push(`error: ${s!.lastError}`);
    }
    process.stdout.write(`${parts.join("  ")}\n`);
  }
}
