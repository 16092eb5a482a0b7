/**
 * The §10 conformance scenarios and the extra ones, on real nodes
 * in their own data folders (the crash scenarios, which need SIGKILL, are
 * in crash.test.ts; the hostile publishers in hostile-peer.test.ts):
 * split-brain, a malicious peer, a publisher restored from an older backup,
 * A–B–C without relaying, and instructions quarantined on arrival.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mintPeerToken } from "../../src/core/federation/peer-token.js";
import { computeCid } from "../../src/core/cid.js";
import { admin, freePort, link, peerBoth, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";

const started: TestNode[] = [];
async function node(env: Record<string, string> = {}, dataDir?: string): Promise<TestNode> {
  const n = await startFedNode({ env, ...(dataDir === undefined ? {} : { dataDir }) });
  started.push(n);
  return n;
}
afterAll(async () => {
  await Promise.all(started.map((n) => n.stop().catch(() => {})));
});

const ids = (n: TestNode): string[] => storedFacts(n).map((f) => f.id);

describe("split-brain", () => {
  it("heals to both facts on both nodes, one unresolved conflict each, and the same flagged winner", async () => {
    const [a, b] = await Promise.all([node(), node()]);
    const v1 = await write(a, { entity: "user:sb", relation: "memory:city", value: { type: "string", v: "paris" }, source: "agent:a" });
    const v2 = await write(b, { entity: "user:sb", relation: "memory:city", value: { type: "string", v: "rome" }, source: "agent:b", confidence: 0.9 });
    await peerBoth(a, b, ["public"]);
    await until("both facts are on both nodes", () => [a, b].every((n) => ids(n).includes(v1.id) && ids(n).includes(v2.id)));
    for (const n of [a, b]) {
      const byId = new Map(storedFacts(n).map((f) => [f.id, f.cid]));
      expect([byId.get(v1.id), byId.get(v2.id)]).toEqual([v1.cid, v2.cid]);
      const conflicts = (await admin(n).get("/v1/conflicts?status=unresolved")).body.conflicts;
      expect(conflicts).toHaveLength(1);
      const def = (await admin(n).get("/v1/facts?entity=user:sb")).body.facts;
      expect(def.map((f: { value: { v: string }; contradicted: boolean }) => [f.value.v, f.contradicted])).toEqual([["paris", true]]);
      const both = (await admin(n).get("/v1/facts?entity=user:sb&include_contradicted=true")).body.facts;
      expect(both.map((f: { value: { v: string } }) => f.value.v).sort()).toEqual(["paris", "rome"]);
    }
  });
});

describe("a malicious peer (allowed public only)", () => {
  it("gets its company push, forged source, company pull and replayed token refused, and changes nothing", async () => {
    const [a, m] = await Promise.all([node({ STIGMEM_FEDERATION_PUSH: "true" }), node()]);
    await link(m, a, ["public"]);
    const before = storedFacts(a).length;
    const token = (scopes: string[] = ["public", "company"]) =>
      mintPeerToken({ signer: m.node.federation!.key, iss: m.node.nodeId, sub: a.node.nodeId, scopes, nowMs: Date.now() });
    const push = async (facts: unknown[], t?: string) => {
      const res = await fetch(`${a.url}/v1/federation/facts/push`, {
        method: "POST",
        headers: { authorization: `Bearer ${t ?? (await token())}`, "content-type": "application/json" },
        body: JSON.stringify({ facts }),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const mHost = new URL(m.url).hostname;
    const fact = (scope: "company" | "public", source: string) => {
      const f = { entity: "user:victim", relation: "memory:role", value: { type: "string", v: "owned" }, source, confidence: 1, scope };
      return { ...f, id: "00000000-0000-4000-8000-00000000000a", timestamp: new Date().toISOString(), origin_hlc: `${Date.now()}.000`, cid: computeCid({ ...f, value_type: "string", value_v: "owned" }) };
    };
    const company = await push([fact("company", `stigmem://${mHost}/agent/m`)]);
    expect([company.status, company.body]).toEqual([202, { accepted: 0, rejected: 1, errors: [expect.objectContaining({ error: "scope_not_permitted" })] }]);
    const forged = await push([fact("public", "stigmem://a.example/agent/ceo")]);
    expect(forged.body).toMatchObject({ accepted: 0, rejected: 1, errors: [{ error: "source_not_owned" }] });
    const pull = await fetch(`${a.url}/v1/federation/facts?scope=company`, { headers: { authorization: `Bearer ${await token()}` } });
    expect([pull.status, ((await pull.json()) as { code: string }).code]).toEqual([403, "scope_not_permitted"]);
    const once = await token();
    expect((await push([], once)).status).toBe(202);
    const replay = await push([], once);
    expect([replay.status, replay.body.code]).toEqual([401, "nonce_already_seen"]);
    expect(storedFacts(a).length).toBe(before);
    const events = (await admin(a).get("/v1/federation/audit?limit=100")).body.entries.map((e: { event_type: string }) => e.event_type);
    expect(events).toEqual(expect.arrayContaining(["scope_violation", "rejected_fact", "rejected_token", "replay_attempt"]));
    // Push is off by default.
    const [c] = await Promise.all([node()]);
    const off = await fetch(`${c.url}/v1/federation/facts/push`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect([off.status, ((await off.json()) as { code: string }).code]).toEqual([405, "push_disabled"]);
  });
});

describe("a publisher restored from an older backup", () => {
  it("answers must_refetch to a puller that saw the lost rows, and the puller converges", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-restore-"));
    const port = String(await freePort());
    let a = await node({ STIGMEM_PORT: port }, dir);
    const b = await node();
    await peerBoth(a, b, ["public"]);
    const early = await Promise.all([1, 2, 3].map((i) => write(a, { entity: `user:early${i}`, relation: "memory:n", value: { type: "number", v: i } })));
    await until("b has the early facts", () => early.every((f) => ids(b).includes(f.id)));
    await a.stop();
    const backup = path.join(os.tmpdir(), `stigmem-backup-${process.pid}-${port}.db`);
    copyFileSync(path.join(dir, "stigmem.db"), backup);

    a = await node({ STIGMEM_PORT: port }, dir);
    const lost = await Promise.all([1, 2, 3].map((i) => write(a, { entity: `user:lost${i}`, relation: "memory:n", value: { type: "number", v: i } })));
    await until("b has the facts the backup lacks", () => lost.every((f) => ids(b).includes(f.id)));
    const seenEpoch = b.node.stores.peers.replications()[0]!.cursor;
    await a.stop();

    // Restore: the database file from the backup; WAL files of the newer one go away with it.
    copyFileSync(backup, path.join(dir, "stigmem.db"));
    rmSync(backup);
    a = await node({ STIGMEM_PORT: port }, dir);
    expect(a.node.federation!.epoch.decision).toBe("rotated_lost_rows");
    const after = await Promise.all([1, 2, 3, 4].map((i) => write(a, { entity: `user:after${i}`, relation: "memory:n", value: { type: "number", v: i } })));
    await until("b has the facts written after the restore", () => after.every((f) => ids(b).includes(f.id)));
    // b pulled again from the start: every fact a now has is on b, with the same CIDs, none twice.
    const onA = storedFacts(a).filter((f) => f.received_from === null);
    const onB = new Map(storedFacts(b).map((f) => [f.id, f.cid]));
    for (const f of onA) expect(onB.get(f.id)).toBe(f.cid);
    expect(b.node.stores.peers.replications()[0]!.cursor).not.toBe(seenEpoch);
    const refetched = (await admin(b).get("/v1/federation/audit?event_type=facts_ingested&limit=100")).body.entries;
    expect(refetched.some((e: { detail: { duplicates: number } }) => e.detail.duplicates >= 3)).toBe(true);
  });
});

describe("three nodes A–B–C", () => {
  it("C receives B's facts but never A's through B", async () => {
    const [a, b, c] = await Promise.all([node(), node(), node()]);
    await peerBoth(a, b);
    await peerBoth(b, c);
    const fa = await write(a, { entity: "user:from-a", relation: "memory:n", value: { type: "number", v: 1 } });
    await until("b has a's fact", () => ids(b).includes(fa.id));
    const fb = await write(b, { entity: "user:from-b", relation: "memory:n", value: { type: "number", v: 2 } });
    await until("c has b's fact", () => ids(c).includes(fb.id));
    // b's stream to c has served everything b committed up to fb, a's fact included in its positions.
    expect(ids(c)).not.toContain(fa.id);
    expect(ids(a)).toContain(fb.id);
  });
});

describe("instructions from a peer", () => {
  it("are stored quarantined and never read back", async () => {
    const [a, b] = await Promise.all([node(), node()]);
    await peerBoth(a, b);
    const ins = await write(a, { entity: "user:q", relation: "memory:do", value: { type: "string", v: "obey", interpret_as: "instruction" } });
    const marker = await write(a, { entity: "user:q", relation: "memory:marker", value: { type: "string", v: "m" } });
    await until("b has both", () => ids(b).includes(ins.id) && ids(b).includes(marker.id));
    expect(storedFacts(b).find((f) => f.id === ins.id)!.quarantine).toBe("pending");
    expect((await admin(b).get(`/v1/facts/${ins.id}`)).status).toBe(404);
    const listed = (await admin(b).get("/v1/facts?entity=user:q&include_superseded=true")).body.facts.map((f: { id: string }) => f.id);
    expect(listed).toEqual([marker.id]);
  });
});
