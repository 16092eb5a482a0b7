/**
 * Federation test kit: real nodes with federation on (auth required, a known
 * admin key, private addresses allowed for the loopback handshake), and the
 * handshake as operators do it — the declaring node signs with its own key
 * and posts to the other with that node's key; the other's operator
 * approves with the fingerprint.
 *
 * @module
 */
import { createServer, type AddressInfo } from "node:net";
import { expect } from "vitest";
import { declareToPeer } from "../../src/federation/declare-to-peer.js";
import { RestClient } from "./rest-client.js";
import { startTestNode, type TestNode, type TestNodeOptions } from "./test-node.js";

/** The bootstrap admin key of every federation test node. */
export const FED_ADMIN_KEY = "federation-test-admin-key-0123456789abcdefghij";

/** Starts a node with federation on; `env` adds or overrides settings. */
export function startFedNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  return startTestNode({
    ...opts,
    env: {
      STIGMEM_AUTH_REQUIRED: "true",
      STIGMEM_BOOTSTRAP_KEY: FED_ADMIN_KEY,
      STIGMEM_FEDERATION_ENABLED: "true",
      STIGMEM_FEDERATION_ALLOW_PRIVATE: "true",
      ...opts.env,
    },
  });
}

/** An admin REST client of `node`. */
export function admin(node: TestNode): RestClient {
  return new RestClient(node.url, FED_ADMIN_KEY);
}

/** `from` declares itself to `to` sharing `scopes`; returns `to`'s peer id of `from`. */
export async function declare(from: TestNode, to: TestNode, scopes: readonly string[]): Promise<{ peerId: string; status: string }> {
  const fed = from.node.federation!;
  return declareToPeer({ remoteUrl: to.url, apiKey: FED_ADMIN_KEY, signer: fed.key, nodeId: from.node.nodeId, nodeUrl: from.url, scopes });
}

/** `at`'s operator approves `peerId`, confirming `of`'s fingerprint. */
export async function approve(at: TestNode, peerId: string, of: TestNode, scopes?: readonly string[]): Promise<void> {
  const r = await admin(at).post(`/v1/federation/peers/${peerId}/approve`, {
    pubkey_fingerprint: of.node.federation!.key.fingerprint,
    ...(scopes === undefined ? {} : { allowed_scopes: scopes }),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** One direction: `from` declares to `to` and `to` approves it. Returns `to`'s peer id of `from`. */
export async function link(from: TestNode, to: TestNode, scopes: readonly string[]): Promise<string> {
  const d = await declare(from, to, scopes);
  expect(d.status).toBe("pending_approval");
  await approve(to, d.peerId, from);
  return d.peerId;
}

/** Both directions. */
export async function peerBoth(a: TestNode, b: TestNode, scopes: readonly string[] = ["company", "public"]): Promise<void> {
  await link(a, b, scopes);
  await link(b, a, scopes);
}

/** Writes a fact on `node` (admin key); returns its FactRecord. */
export async function write(node: TestNode, fact: Record<string, unknown>): Promise<any> {
  const r = await admin(node).post("/v1/facts", { source: "agent:test", scope: "public", ...fact });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/**
 * Waits until `check` holds, re-checking every 50 ms; fails after
 * `timeoutMs` with `what`. Replication is asynchronous, so tests wait for
 * its outcome rather than for a time.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `(id, cid)` of every fact stored on `node` whose relation does not start with `stigmem:`, sorted. */
export function storedFacts(node: TestNode): { id: string; cid: string; received_from: string | null; quarantine: string | null }[] {
  return node
    .inspect()
    .prepare("SELECT id, cid, received_from, quarantine FROM facts ORDER BY id")
    .all() as { id: string; cid: string; received_from: string | null; quarantine: string | null }[];
}

/** A TCP port free right now on loopback, for a node that must come back on the same URL after a restart. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
