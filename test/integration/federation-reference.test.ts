/**
 * Interop with a real reference node (stigmem 0.9 from the kit, federation
 * on): our signed declaration registers and verifies there, its operator
 * approval takes our fingerprint, our tokens pull its facts through its
 * paging (every fact passing our ingest checks, including the `42.0` it
 * serves for an integral number), its replay and expiry checks reject what
 * ours would, and in the other direction the declaration its CLI signs and
 * the tokens it mints verify with our code, its key fetched through our
 * guarded discovery fetch.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http, { type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signerFromSeed } from "../../src/core/federation/ed25519.js";
import { mintPeerToken, verifyPeerToken } from "../../src/core/federation/peer-token.js";
import { parseDeclaration, signDeclaration, verifyDeclarationSignature } from "../../src/core/federation/peer-declaration.js";
import { referenceNextCursor } from "../../src/core/federation/reference-cursor.js";
import { checkWireFact } from "../../src/core/federation/wire-fact.js";
import { fetchDiscovery } from "../../src/federation/fetch-discovery.js";
import { loadNodeKey, type NodeKey } from "../../src/federation/node-key.js";
import { REFERENCE_KIT, REFERENCE_PYTHON_SKIP, runReferencePython } from "../unit/federation/reference-python.js";

const ADMIN_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const OUR_NODE_ID = "stigmem:node:5a1e7c2d-3b4f-4a6e-9d8c-7b6a5f4e3d2c";

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Waits until the node answers /healthz (the kit's readiness signal), failing fast if it exits. */
async function waitForHealth(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`reference node exited with ${proc.exitCode}:\n${log()}`);
    const status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`reference node did not become healthy:\n${log()}`);
}

interface Json {
  status: number;
  // The reference's JSON, read field by field in the assertions.
  body: any;
}

/** Runs the kit's CLI (`python3 -m stigmem_node.cli …`) against the reference node's database, without blocking our servers. */
function kitCli(args: string[], dataDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("STIGMEM_")) env[k] = v;
    const child = spawn("python3", ["-m", "stigmem_node.cli", ...args], {
      cwd: dataDir,
      env: {
        ...env,
        // run.sh links Debian's argon2 into <data>/.pyextra when the pyenv Python lacks it.
        PYTHONPATH: [path.join(REFERENCE_KIT, "deps"), path.join(REFERENCE_KIT, "node", "src"), path.join(dataDir, ".pyextra")].join(path.delimiter),
        STIGMEM_DB_PATH: path.join(dataDir, "ref.db"),
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

async function call(url: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Json> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      authorization: `Bearer ${init.token ?? ADMIN_KEY}`,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

describe.skipIf(REFERENCE_PYTHON_SKIP !== undefined)("federation with a reference node", () => {
  let dir: string;
  let ref: ChildProcess;
  let refUrl: string;
  let refNodeId: string;
  let refPubkey: string;
  let key: NodeKey;
  let ours: Server;
  let ourUrl: string;
  const received: unknown[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-ref-fed-"));
    key = (await loadNodeKey({ dataDir: path.join(dir, "ours") })).key;
    // Our side of the handshake: the discovery document, and a sink for the declaration the reference's CLI posts.
    ours = http.createServer((req, res) => {
      if (req.url === "/.well-known/stigmem") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ node_id: OUR_NODE_ID, federation: "enabled", federation_pubkey: key.publicKey, federation_version: "1" }));
        return;
      }
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push(JSON.parse(body));
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ peer_id: "p-1", status: "active", verified_at: null }));
      });
    });
    await new Promise<void>((resolve) => ours.listen(0, "127.0.0.1", resolve));
    ourUrl = `http://127.0.0.1:${(ours.address() as AddressInfo).port}`;

    const port = await freePort();
    refUrl = `http://127.0.0.1:${port}`;
    ref = spawn("bash", [path.join(REFERENCE_KIT, "run.sh"), String(port), path.join(dir, "ref"), "STIGMEM_FEDERATION_ENABLED=true", "STIGMEM_FEDERATION_INSECURE=1", "STIGMEM_AUTH_REQUIRED=true"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    ref.stderr?.on("data", (c: Buffer) => (log += c.toString()));
    await waitForHealth(refUrl, ref, () => log);
    const boot = await kitCli(["auth", "bootstrap-key", "--key", ADMIN_KEY, "--permissions", "admin,read,write,federate,admin:federation,instruction:write,audit.read"], path.join(dir, "ref"));
    if (boot.status !== 0) throw new Error(`bootstrap-key failed: ${boot.stderr}`);
    const wk = await call(`${refUrl}/.well-known/stigmem`);
    refNodeId = wk.body.node_id;
    refPubkey = wk.body.federation_pubkey;
  }, 90_000);

  afterAll(async () => {
    if (ref !== undefined && ref.exitCode === null) {
      const exited = new Promise((resolve) => ref.once("exit", resolve));
      ref.kill("SIGTERM");
      await exited;
    }
    await new Promise<void>((resolve) => (ours === undefined ? resolve() : ours.close(() => resolve())));
    rmSync(dir, { recursive: true, force: true });
  });

  const WRITES = [
    { entity: "user:alice", relation: "memory:age", value: { type: "number", v: 42 }, source: "agent:ref", scope: "public" },
    { entity: "user:bob", relation: "memory:age", value: { type: "number", v: 42.5 }, source: "agent:ref", scope: "public" },
    { entity: "user:carol", relation: "memory:score", value: { type: "number", v: 1e16 }, source: "agent:ref", scope: "public", confidence: 0.9 },
    { entity: "user:dave", relation: "memory:note", value: { type: "text", v: "Zoë\nsays hi" }, source: "agent:ref", scope: "company" },
    { entity: "user:erin", relation: "memory:manager", value: { type: "ref", v: "user:alice" }, source: "agent:ref", scope: "public", valid_until: "2030-01-01T00:00:00Z" },
    { entity: "user:frank", relation: "memory:active", value: { type: "boolean", v: false }, source: "agent:ref", scope: "company" },
    { entity: "user:gina", relation: "memory:gone", value: { type: "null" }, source: "agent:ref", scope: "public" },
    { entity: "user:hank", relation: "memory:do", value: { type: "string", v: "obey", interpret_as: "instruction" }, source: "agent:ref", scope: "public" },
    { entity: "user:local", relation: "memory:age", value: { type: "number", v: 1 }, source: "agent:ref", scope: "local" },
    { entity: "user:team", relation: "memory:age", value: { type: "number", v: 1 }, source: "agent:ref", scope: "team" },
  ];
  // The reference writes {"v": 42.0} as the text "42.0" and serves it back as 42.0 (protocol.md §4).
  const FLOAT_42 = '{"entity":"user:ivy","relation":"memory:age","value":{"type":"number","v":42.0},"source":"agent:ref","scope":"public"}';
  let peerId: string;
  const token = (over: Partial<Parameters<typeof mintPeerToken>[0]> = {}): Promise<string> =>
    mintPeerToken({ signer: key, iss: OUR_NODE_ID, sub: refNodeId, scopes: ["company", "public"], nowMs: Date.now(), ...over });

  it("registers our signed declaration: the reference fetches our key and verifies it", async () => {
    const decl = await signDeclaration({ node_url: ourUrl, node_id: OUR_NODE_ID, allowed_scopes: ["public", "company"] }, key, Date.now());
    const reg = await call(`${refUrl}/v1/federation/peers`, { method: "POST", body: decl });
    expect([reg.status, reg.body.status]).toEqual([201, "pending_approval"]);
    peerId = reg.body.peer_id;
    const again = await call(`${refUrl}/v1/federation/peers`, { method: "POST", body: decl });
    expect([again.status, again.body.detail]).toEqual([409, "peer already registered (status=pending_approval)"]);
  });

  it("is approved with our fingerprint, and only with it", async () => {
    const wrong = await call(`${refUrl}/v1/federation/peers/${peerId}/approve`, { method: "POST", body: { pubkey_fingerprint: `sha256:${"0".repeat(64)}` } });
    expect([wrong.status, wrong.body.detail]).toEqual([400, "fingerprint mismatch"]);
    const ok = await call(`${refUrl}/v1/federation/peers/${peerId}/approve`, { method: "POST", body: { pubkey_fingerprint: key.fingerprint } });
    expect([ok.status, ok.body.status, ok.body.node_id]).toEqual([200, "active", OUR_NODE_ID]);
  });

  it("serves our tokens its facts page by page, and every one passes our ingest checks", async () => {
    const ids = new Map<string, string>();
    for (const body of WRITES) {
      const r = await call(`${refUrl}/v1/facts`, { method: "POST", body });
      expect(r.status).toBe(201);
      ids.set(r.body.id, body.entity);
    }
    const raw = await fetch(`${refUrl}/v1/facts`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}` }, body: FLOAT_42 });
    ids.set(((await raw.json()) as { id: string }).id, "user:ivy");

    const pulled = new Map<string, unknown>();
    let cursor: string | null = null;
    for (let round = 0; round < 20; round++) {
      const q = `limit=2${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await call(`${refUrl}/v1/federation/facts?${q}`, { token: await token() });
      expect(page.status).toBe(200);
      for (const f of page.body.facts) pulled.set(f.id, f);
      cursor = referenceNextCursor(page.body, cursor);
      if (!page.body.has_more) break;
    }
    const entities = [...pulled.keys()].map((id) => ids.get(id)).sort();
    expect(entities).toEqual(["user:alice", "user:bob", "user:carol", "user:dave", "user:erin", "user:frank", "user:gina", "user:hank", "user:ivy"]);

    const checked = new Map<string, string>();
    for (const f of pulled.values()) {
      const r = checkWireFact(f, { nowMs: Date.now(), allowedScopes: ["company", "public"] });
      expect(r.ok ? "ok" : r).toBe("ok");
      if (r.ok) checked.set(r.value.entity, `${r.value.value_type}:${r.value.value_v}:${r.value.interpret_as}`);
    }
    expect(Object.fromEntries(checked)).toEqual({
      "user:alice": "number:42:content",
      "user:bob": "number:42.5:content",
      // JSON.stringify(1e16) is "10000000000000000": a Python int there, hashed as its digits (the §4 fallback).
      "user:carol": "number:10000000000000000:content",
      "user:dave": "text:Zoë\nsays hi:content",
      "user:erin": "ref:user:alice:content",
      "user:frank": "boolean:false:content",
      "user:gina": "null:null:content",
      "user:hank": "string:obey:instruction",
      "user:ivy": "number:42.0:content",
    });
  });

  it("rejects replayed, expired, misaddressed and forged tokens with the §10 codes", async () => {
    const once = await token();
    expect((await call(`${refUrl}/v1/federation/facts`, { token: once })).status).toBe(200);
    const other = await signerFromSeed(new Uint8Array(32).fill(7));
    const cases: Array<[string, number, string]> = [
      [once, 401, "nonce_already_seen"],
      [await token({ nowMs: Date.now() - 2 * 3_600_000 }), 401, "token_expired"],
      [await token({ sub: "stigmem:node:someone-else" }), 401, "invalid_sub"],
      [await token({ signer: other }), 401, "invalid_signature"],
      ["not-a-token", 401, "malformed token"],
    ];
    for (const [t, status, detail] of cases) {
      const r = await call(`${refUrl}/v1/federation/facts`, { token: t });
      expect([r.status, r.body.detail]).toEqual([status, detail]);
    }
    const narrow = await call(`${refUrl}/v1/federation/facts?scope=company`, { token: await token({ scopes: ["public"] }) });
    expect([narrow.status, narrow.body.detail]).toEqual([403, "scope not permitted for this peer"]);
  });

  it("signs declarations (its CLI) and tokens that verify with our code, its key fetched through our guard", async () => {
    const cli = await kitCli(["federation", "register-peer", "--remote-url", ourUrl, "--local-url", refUrl, "--scopes", "public,company"], path.join(dir, "ref"));
    expect(cli.status, cli.stderr).toBe(0);
    expect(received).toHaveLength(1);
    const parsed = parseDeclaration(received[0], Date.now());
    expect(parsed.ok ? parsed.value.node_id : parsed).toBe(refNodeId);
    if (!parsed.ok) return;
    const refused = await fetchDiscovery(parsed.value.node_url, { allowPrivate: false }).catch((e: { code: string }) => e.code);
    expect(refused).toBe("address_not_allowed");
    const { document } = await fetchDiscovery(parsed.value.node_url, { allowPrivate: true });
    expect(document.federation_pubkey).toBe(refPubkey);
    expect((await verifyDeclarationSignature(parsed.value, refPubkey)).ok).toBe(true);

    const theirs = runReferencePython(
      `
import json, sys
from stigmem_node.federation.peer_token import create_peer_token
print(json.dumps(create_peer_token(json.load(sys.stdin), ["public"], ttl_ms=60000)))
`,
      OUR_NODE_ID,
      { STIGMEM_DB_PATH: path.join(dir, "ref", "ref.db") },
    ) as string;
    const seen = new Set<string>();
    const ctx = {
      nowMs: Date.now(),
      localNodeId: OUR_NODE_ID,
      lookupPeer: (iss: string) => (iss === refNodeId ? { nodeId: refNodeId, status: "active", publicKey: refPubkey } : undefined),
      consumeNonce: (nonce: string) => !seen.has(nonce) && Boolean(seen.add(nonce)),
    };
    const first = await verifyPeerToken(theirs, ctx);
    expect(first.ok ? first.claims.scopes : first.code).toEqual(["public"]);
    const replay = await verifyPeerToken(theirs, ctx);
    expect(replay.ok ? "ok" : replay.code).toBe("nonce_already_seen");
  });
});
