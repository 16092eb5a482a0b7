/**
 * Federating benchmark nodes (`node-process.ts`) the way an operator would:
 * an API key made with the node's CLI on its data folder, the signed
 * declaration of the handshake, and an approval over REST. Also the two
 * ways the benchmarks count what a puller holds, read from its SQLite file
 * (read-only, beside the running node): shared by `bench:federation` and
 * the two-node soak.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import type Database from "better-sqlite3";
import { declareToPeer } from "../../src/federation/declare-to-peer.js";
import { loadNodeKey } from "../../src/federation/node-key.js";
import type { NodeProcess } from "./node-process.js";

/** Settings that let two loopback nodes federate (private addresses allowed). */
export const FEDERATION_ENV: Readonly<Record<string, string>> = { STIGMEM_FEDERATION_ENABLED: "true", STIGMEM_FEDERATION_ALLOW_PRIVATE: "true" };

/** Runs the compiled CLI (`dist/src/cli/main.js`) of `root` and returns its stdout. */
export function cli(root: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, "dist", "src", "cli", "main.js"), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** A key of `n` for the handshake: federate to register with it, admin:federation to approve there. */
export function operatorKey(root: string, n: NodeProcess): string {
  return cli(root, ["keys", "create", "--entity", "agent:bench", "--permissions", "federate,admin:federation,read,write", "--data", n.dataDir]).trim();
}

/** POSTs JSON with a bearer key; throws unless the answer is 2xx. */
export async function post(url: string, key: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const json: unknown = await res.json();
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The node id a node announces in its discovery document. */
export async function nodeIdOf(url: string): Promise<string> {
  return ((await (await fetch(`${url}/.well-known/stigmem`)).json()) as { node_id: string }).node_id;
}

/**
 * `from` declares itself to `to` (with `toKey`, a key of `to`) for the given
 * scopes; `to` approves it over REST. Returns when approved: from then on
 * `from` serves `to`'s puller, and `to`'s puller of `from` runs once `from`
 * has approved `to` the same way.
 */
export async function link(from: NodeProcess, to: NodeProcess, toKey: string, scopes: string[] = ["company", "public"]): Promise<void> {
  const { key } = await loadNodeKey({ dataDir: from.dataDir });
  const nodeId = await nodeIdOf(from.url);
  const d = await declareToPeer({ remoteUrl: to.url, apiKey: toKey, signer: key, nodeId, nodeUrl: from.url, scopes });
  await post(`${to.url}/v1/federation/peers/${d.peerId}/approve`, toKey, { pubkey_fingerprint: key.fingerprint });
}

/** Facts ingested from `nodeId` (a full count: for the end of a run, not for polling). */
export function countFrom(db: Database.Database, nodeId: string): number {
  return (db.prepare("SELECT count(*) AS c FROM facts WHERE received_from = ?").get(nodeId) as { c: number }).c;
}

/** Facts the puller of `db` accepted so far, from its replication counters (a cheap poll). */
export function acceptedSoFar(db: Database.Database): number {
  return (db.prepare("SELECT coalesce(sum(accepted), 0) AS n FROM replication_cursors").get() as { n: number }).n;
}
