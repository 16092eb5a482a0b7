/**
 * `stigmem peers …` (the compiled bin; npm test builds first) against real
 * running nodes: `add` declares this node to another and prints what its
 * operator needs; `list`, `approve` (only with the right fingerprint),
 * `status`, `reject` and `remove` work in the other node's data folder
 * beside the running node, which picks the change up by itself; and
 * `doctor` (and /metrics) report peers waiting for approval, active ones and
 * unreachable ones.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { admin, FED_ADMIN_KEY, link, startFedNode, storedFacts, until, write } from "../helpers/federation.js";
import { FakeReferencePeer } from "../helpers/fake-reference-peer.js";
import type { TestNode } from "../helpers/test-node.js";

const BIN = projectFile("dist", "src", "cli", "main.js");

/** Runs the CLI without blocking this process (the nodes it talks to run here). */
function stigmem(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", STIGMEM_FEDERATION_ENABLED: "true" }, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ status: err === null ? 0 : Number((err as { code?: number }).code ?? 1), stdout, stderr }),
    );
  });
}

describe("stigmem peers", () => {
  let a: TestNode;
  let b: TestNode;
  let peerId: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFedNode(), startFedNode()]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("add: declares this node to another and prints the approval command", async () => {
    const r = await stigmem(["peers", "add", b.url, "--scopes", "public", "--key", FED_ADMIN_KEY, "--data", a.dataDir, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { peer_id: string; status: string; node_url: string; pubkey_fingerprint: string };
    expect(out).toMatchObject({ status: "pending_approval", node_url: a.url, pubkey_fingerprint: a.node.federation!.key.fingerprint });
    peerId = out.peer_id;
    const human = await stigmem(["peers", "add", b.url, "--scopes", "public", "--key", "wrong-key-wrong-key-wrong-key-wrong", "--data", a.dataDir]);
    expect(human.status).toBe(1);
    expect(human.stderr).toMatch(/refused the declaration \(invalid_api_key\)/);
  });

  it("list, approve (only with the fingerprint) and status, beside the running node", async () => {
    const listed = JSON.parse((await stigmem(["peers", "list", "--data", b.dataDir, "--json"])).stdout) as { peer_id: string; status: string }[];
    expect(listed).toEqual([expect.objectContaining({ peer_id: peerId, status: "pending_approval" })]);
    const wrong = await stigmem(["peers", "approve", peerId, "--fingerprint", `sha256:${"1".repeat(64)}`, "--data", b.dataDir]);
    expect([wrong.status, wrong.stderr.trim()]).toEqual([2, "stigmem: --fingerprint: is not the fingerprint of this peer's key (the attempt is audited)"]);
    const ok = await stigmem(["peers", "approve", peerId, "--fingerprint", a.node.federation!.key.fingerprint, "--data", b.dataDir, "--json"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ peer_id: peerId, status: "active", allowed_scopes: ["public"] });
    // b approved a in another process; its pull worker picks that up by itself once a has b too.
    await link(b, a, ["public"]);
    const f = await write(a, { entity: "user:cli", relation: "memory:n", value: { type: "number", v: 1 } });
    await until("b pulled a's fact", () => storedFacts(b).some((x) => x.id === f.id));
    await until("the page is recorded", () => (b.node.stores.peers.replication(peerId)?.accepted ?? 0) >= 1);
    const status = JSON.parse((await stigmem(["peers", "status", "--data", b.dataDir, "--json"])).stdout) as Record<string, unknown>[];
    expect(status).toEqual([expect.objectContaining({ peer_id: peerId, status: "active", transport: "connect", accepted: 1, rejected: 0, failing: false })]);
    expect(typeof status[0]!.lag_ms).toBe("number");
    const text = await stigmem(["peers", "status", "--data", b.dataDir]);
    expect(text.stdout).toMatch(new RegExp(`^${peerId}  ${a.node.nodeId}  active  connect  (caught up|lag [0-9.]+ s)  accepted=1  duplicates=0  rejected=0  cursor=`));
    const events = (await admin(b).get(`/v1/federation/audit?peer_id=${peerId}`)).body.entries.map((e: { event_type: string; detail: { code?: string } }) => e.event_type);
    expect(events).toContain("peer_approval_failed");
    expect(events).toContain("peer_approved");
  });

  it("doctor reports waiting and active peers", async () => {
    const fake = await FakeReferencePeer.start(8);
    try {
      const { signDeclaration } = await import("../../src/core/federation/peer-declaration.js");
      const decl = await signDeclaration({ node_url: fake.url, node_id: fake.nodeId, allowed_scopes: ["public"] }, fake.signer, Date.now());
      const reg = await admin(b).post("/v1/federation/peers", decl);
      expect(reg.body.status).toBe("pending_approval");
      const r = await stigmem(["doctor", "--data", b.dataDir, "--json"]);
      const findings = (JSON.parse(r.stdout) as { findings: { id: string; status: string; message: string; fix?: string }[] }).findings;
      expect(findings.find((x) => x.id === "peers")).toMatchObject({ status: "ok", message: "1 active peer(s), 2 known" });
      expect(findings.find((x) => x.id === "peers.pending")?.fix).toContain(`stigmem peers approve ${reg.body.peer_id} --fingerprint sha256:`);

      const rejected = await stigmem(["peers", "reject", reg.body.peer_id, "--reason", "unknown to us", "--data", b.dataDir, "--json"]);
      expect(JSON.parse(rejected.stdout)).toMatchObject({ status: "rejected", status_reason: "unknown to us" });
    } finally {
      await fake.stop();
    }
  });

  it("doctor reports an active peer that cannot be reached", async () => {
    const gone = await FakeReferencePeer.start(9);
    const goneId = await gone.register(b, ["public"]);
    await until("b pulled the peer once", () => b.node.stores.peers.replication(goneId)?.lastPageMs != null);
    await gone.stop();
    await until("b's pull from the stopped peer failed", () => b.node.stores.peers.replication(goneId)?.lastError != null);
    const r = await stigmem(["doctor", "--data", b.dataDir, "--json"]);
    const findings = (JSON.parse(r.stdout) as { findings: { id: string; status: string; message: string; fix?: string }[] }).findings;
    const unreachable = findings.find((x) => x.id === "peers.unreachable");
    expect(unreachable).toMatchObject({ status: "warn", message: expect.stringContaining(`peer ${goneId} (${gone.url}): the last pull failed`) });
    expect(unreachable!.fix).toMatch(/reachable at its URL/);
    // A warning, not a failure: the node still works without that peer.
    expect([r.status, JSON.parse(r.stdout).status]).toEqual([0, "warn"]);

    // The same on /metrics, per peer: failing, and how long since each peer was caught up.
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    expect(metrics).toContain(`stigmem_federation_peer_failing{peer_id="${goneId}"} 1`);
    expect(metrics).toContain(`stigmem_federation_peer_failing{peer_id="${peerId}"} 0`);
    expect(metrics).toMatch(new RegExp(`^stigmem_federation_peer_lag_seconds\\{peer_id="${peerId}"\\} [0-9.e-]+$`, "m"));
  });

  it("remove: revokes the peer, whose tokens are refused from then on", async () => {
    const r = await stigmem(["peers", "remove", peerId, "--data", b.dataDir, "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ peer_id: peerId, status: "revoked" });
    const missing = await stigmem(["peers", "remove", "no-such-peer", "--data", b.dataDir]);
    expect([missing.status, missing.stderr.trim()]).toEqual([1, "stigmem: no peer no-such-peer"]);
  });
});
