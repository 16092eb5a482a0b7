/**
 * Crashes (protocol.md §10 "Partial failure"): nodes in child processes
 * killed with SIGKILL. A publisher killed mid-backlog leaves its puller
 * serving, and the puller resumes from its last persisted cursor once the
 * publisher is back; a puller killed while ingesting resumes from its own
 * persisted cursor. Either way: the same CID set on both sides, nothing
 * skipped, and nothing ingested twice (every page and its cursor committed
 * together, so no page is fetched again after a crash: no duplicates).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { declareToPeer } from "../../src/federation/declare-to-peer.js";
import { loadNodeKey } from "../../src/federation/node-key.js";
import { FED_ADMIN_KEY, freePort, until } from "../helpers/federation.js";
import { spawnNode, type NodeProcess } from "../helpers/node-process.js";
import { RestClient } from "../helpers/rest-client.js";

const BACKLOG = 8_000;
const dirs: string[] = [];
const live: NodeProcess[] = [];
afterAll(async () => {
  await Promise.all(live.map((n) => n.kill()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "stigmem-crash-"));
  dirs.push(d);
  return d;
}

async function start(dataDir: string, port: number): Promise<NodeProcess> {
  const n = await spawnNode(dataDir, port);
  live.push(n);
  return n;
}

/** `from` declares itself to `to`, which approves it (both child processes). */
async function link(from: NodeProcess, to: NodeProcess): Promise<void> {
  const { key } = await loadNodeKey({ dataDir: from.dataDir });
  const d = await declareToPeer({ remoteUrl: to.url, apiKey: FED_ADMIN_KEY, signer: key, nodeId: from.nodeId, nodeUrl: from.url, scopes: ["public"] });
  const ok = await new RestClient(to.url, FED_ADMIN_KEY).post(`/v1/federation/peers/${d.peerId}/approve`, { pubkey_fingerprint: key.fingerprint });
  expect(ok.status).toBe(200);
}

async function backlog(n: NodeProcess, count: number): Promise<void> {
  const api = new RestClient(n.url, FED_ADMIN_KEY);
  for (let i = 0; i < count; i += 500) {
    const facts = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
      entity: `user:b${i + j}`,
      relation: "memory:n",
      value: { type: "number", v: i + j },
      source: "agent:load",
      scope: "public",
    }));
    const r = await api.post("/v1/facts:batch", { facts });
    expect(r.body.accepted).toBe(facts.length);
  }
}

const cids = (n: NodeProcess, where: string): string[] =>
  (n.inspect().prepare(`SELECT cid FROM facts WHERE ${where} ORDER BY cid`).all() as { cid: string }[]).map((r) => r.cid);

const ingested = (n: NodeProcess, from: string): number =>
  (n.inspect().prepare("SELECT count(*) AS c FROM facts WHERE received_from = ?").get(from) as { c: number }).c;

/** Sums the `facts_ingested` audit entries of `n`: what was written, and what arrived a second time. */
function ingestTotals(n: NodeProcess): { accepted: number; duplicates: number } {
  const rows = n.inspect().prepare("SELECT detail FROM audit_log WHERE event_type = 'facts_ingested'").all() as { detail: string }[];
  return rows.reduce(
    (t, r) => {
      const d = JSON.parse(r.detail) as { accepted: number; duplicates: number };
      return { accepted: t.accepted + d.accepted, duplicates: t.duplicates + d.duplicates };
    },
    { accepted: 0, duplicates: 0 },
  );
}

describe("crashes", () => {
  it("a publisher killed mid-backlog: the puller keeps serving and resumes from its persisted cursor", async () => {
    const [pDir, qDir] = [folder(), folder()];
    const [pPort, qPort] = [await freePort(), await freePort()];
    let p = await start(pDir, pPort);
    const q = await start(qDir, qPort);
    await backlog(p, BACKLOG);
    await link(q, p);
    await link(p, q);
    await until("q is part-way through p's backlog", () => ingested(q, p.nodeId) > 0);
    await p.kill("SIGKILL");
    const partial = ingested(q, p.nodeId);
    const health = await fetch(`${q.url}/healthz`);
    expect(health.status).toBe(200);
    const query = await new RestClient(q.url, FED_ADMIN_KEY).get("/v1/facts?limit=1");
    expect(query.status).toBe(200);
    p = await start(pDir, pPort);
    await until("q has all of p's facts", () => ingested(q, p.nodeId) === BACKLOG, 60_000);
    expect(cids(q, `received_from = '${p.nodeId}'`)).toEqual(cids(p, "received_from IS NULL"));
    expect(ingestTotals(q)).toEqual({ accepted: BACKLOG, duplicates: 0 });
    // The kill did land mid-backlog.
    expect(partial).toBeLessThan(BACKLOG);
  });

  it("a puller killed while ingesting: resumes with nothing ingested twice and nothing skipped", async () => {
    const [pDir, qDir] = [folder(), folder()];
    const [pPort, qPort] = [await freePort(), await freePort()];
    const p = await start(pDir, pPort);
    let q = await start(qDir, qPort);
    await backlog(p, BACKLOG);
    await link(q, p);
    await link(p, q);
    await until("q is part-way through p's backlog", () => ingested(q, p.nodeId) > 0);
    const atKill = ingested(q, p.nodeId);
    await q.kill("SIGKILL");
    expect(atKill).toBeLessThan(BACKLOG);
    q = await start(qDir, qPort);
    await until("q has all of p's facts", () => ingested(q, p.nodeId) === BACKLOG, 60_000);
    expect(cids(q, `received_from = '${p.nodeId}'`)).toEqual(cids(p, "received_from IS NULL"));
    expect(ingestTotals(q)).toEqual({ accepted: BACKLOG, duplicates: 0 });
  });
});
