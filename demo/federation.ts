/**
 * `npm run demo:federation`: two nodes federating on this machine, the way
 * operators set it up (protocol.md §10).
 *
 * 1. Starts nodes A and B (child processes, temp data folders, federation
 *    on, private addresses allowed since both are on loopback).
 * 2. Peers them with the CLI, once per direction: `stigmem peers add` on
 *    one (signs the declaration, posts it with the other's key), `stigmem
 *    peers approve --fingerprint …` on the other.
 * 3. Writes on both and shows each fact arriving on the other node.
 * 4. Writes two different values for the same entity and relation on A and
 *    B: both nodes detect the conflict and agree on the winner.
 * 5. Measures the replication lag of a few single writes, and prints
 *    `stigmem peers status`.
 *
 * Exits 0 when all of that happened, 1 otherwise.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startNodeProcess, type NodeProcess } from "../bench/lib/node-process.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = path.join(ROOT, "dist", "src", "cli", "main.js");
const KEY_A = "demo-node-a-admin-key-0123456789abcdefghijklmnop";
const KEY_B = "demo-node-b-admin-key-0123456789abcdefghijklmnop";

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** The parts of the node's JSON answers this walk-through prints. */
interface Answer {
  id: string;
  cid: string;
  received_from?: string;
  conflicts?: unknown;
  facts?: unknown;
}

async function api(node: NodeProcess, key: string, method: string, p: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${node.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Answer;
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function stigmem(args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** One direction of the handshake, as two operators do it. */
function handshake(from: NodeProcess, to: NodeProcess, toKey: string, name: string, otherName: string): void {
  const added = JSON.parse(stigmem(["peers", "add", to.url, "--scopes", "company,public", "--key", toKey, "--data", from.dataDir, "--json"])) as {
    peer_id: string;
    status: string;
    pubkey_fingerprint: string;
  };
  say(`  ${name}: stigmem peers add ${to.url} --scopes company,public  →  ${added.status} on ${otherName} (peer ${added.peer_id})`);
  say(`  ${name}'s operator tells ${otherName}'s its fingerprint out of band: ${added.pubkey_fingerprint}`);
  stigmem(["peers", "approve", added.peer_id, "--fingerprint", added.pubkey_fingerprint, "--data", to.dataDir]);
  say(`  ${otherName}: stigmem peers approve ${added.peer_id} --fingerprint …  →  active`);
}

async function main(): Promise<void> {
  const env = (key: string) => ({
    STIGMEM_AUTH_REQUIRED: "true",
    STIGMEM_BOOTSTRAP_KEY: key,
    STIGMEM_FEDERATION_ENABLED: "true",
    STIGMEM_FEDERATION_ALLOW_PRIVATE: "true",
    STIGMEM_EMBEDDER: "none",
  });
  say("Starting nodes A and B …");
  const [a, b] = await Promise.all([
    startNodeProcess({ root: ROOT, logLevel: "warn", env: env(KEY_A) }),
    startNodeProcess({ root: ROOT, logLevel: "warn", env: env(KEY_B) }),
  ]);
  try {
    say(`  A at ${a.url} (data ${a.dataDir})\n  B at ${b.url} (data ${b.dataDir})\n`);
    say("Peering, once per direction:");
    handshake(a, b, KEY_B, "A", "B");
    handshake(b, a, KEY_A, "B", "A");

    say("\nWriting on both nodes:");
    const fa = await api(a, KEY_A, "POST", "/v1/facts", { entity: "project:apollo", relation: "memory:status", value: { type: "string", v: "green" }, source: "agent:alice", scope: "company" });
    const fb = await api(b, KEY_B, "POST", "/v1/facts", { entity: "project:apollo", relation: "memory:budget", value: { type: "number", v: 120000 }, source: "agent:bob", scope: "public" });
    say(`  A wrote project:apollo memory:status = green  (${fa.id})`);
    say(`  B wrote project:apollo memory:budget = 120000  (${fb.id})`);
    await until("each node has the other's fact", async () =>
      (await fetch(`${b.url}/v1/facts/${fa.id}`, { headers: { authorization: `Bearer ${KEY_B}` } })).status === 200 &&
      (await fetch(`${a.url}/v1/facts/${fb.id}`, { headers: { authorization: `Bearer ${KEY_A}` } })).status === 200,
    );
    const onB = await api(b, KEY_B, "GET", `/v1/facts/${fa.id}`);
    const onA = await api(a, KEY_A, "GET", `/v1/facts/${fb.id}`);
    say(`  B now holds A's fact: same id and CID ${onB.cid === fa.cid ? "✓" : "✗"}, received_from ${onB.received_from}`);
    say(`  A now holds B's fact: same id and CID ${onA.cid === fb.cid ? "✓" : "✗"}, received_from ${onA.received_from}`);
    if (onB.cid !== fa.cid || onA.cid !== fb.cid) throw new Error("a replicated CID differs");

    say("\nA cross-node conflict: A and B disagree on the project's owner.");
    await api(a, KEY_A, "POST", "/v1/facts", { entity: "project:apollo", relation: "memory:owner", value: { type: "string", v: "alice" }, source: "agent:alice", scope: "public" });
    await api(b, KEY_B, "POST", "/v1/facts", { entity: "project:apollo", relation: "memory:owner", value: { type: "string", v: "bob" }, source: "agent:bob", scope: "public", confidence: 0.8 });
    const conflictsOf = async (n: NodeProcess, key: string) => (await api(n, key, "GET", "/v1/conflicts?status=unresolved")).conflicts as { conflict_id: string; fact_a: { value: { v: string } }; fact_b: { value: { v: string } } }[];
    await until("both nodes detected the conflict", async () => (await conflictsOf(a, KEY_A)).length === 1 && (await conflictsOf(b, KEY_B)).length === 1);
    for (const [name, n, key] of [["A", a, KEY_A], ["B", b, KEY_B]] as const) {
      const [c] = await conflictsOf(n, key);
      const view = (await api(n, key, "GET", "/v1/facts?entity=project:apollo&relation=memory:owner")).facts as { value: { v: string }; contradicted: boolean }[];
      say(`  ${name}: conflict ${c!.conflict_id}: "${c!.fact_a.value.v}" vs "${c!.fact_b.value.v}"; current view: ${view.map((f) => `${f.value.v}${f.contradicted ? " (contradicted)" : ""}`).join(", ")}`);
    }

    say("\nReplication lag, A → B, for 10 single writes:");
    const lags: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const f = await api(a, KEY_A, "POST", "/v1/facts", { entity: `sensor:${i}`, relation: "memory:reading", value: { type: "number", v: i }, source: "agent:alice", scope: "public" });
      await until("the write reached B", async () => (await fetch(`${b.url}/v1/facts/${f.id}`, { headers: { authorization: `Bearer ${KEY_B}` } })).status === 200);
      lags.push(performance.now() - t0);
    }
    lags.sort((x, y) => x - y);
    say(`  write on A → readable on B: median ${lags[4]!.toFixed(0)} ms, max ${lags[9]!.toFixed(0)} ms`);

    say("\nstigmem peers status (on B):");
    for (const line of stigmem(["peers", "status", "--data", b.dataDir]).trimEnd().split("\n")) say(`  ${line}`);
    say("\nDone: replication both ways, a detected cross-node conflict, and the lag.");
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    a.remove();
    b.remove();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
