/**
 * Crash safety: the compiled node is SIGKILLed while REST (single and batch)
 * and Connect/gRPC clients write concurrently, CRASH_CYCLES times (20 by
 * default), and restarted each time with its wall clock further behind
 * (a clock that steps back between restarts). After every kill:
 *
 * - `PRAGMA integrity_check` is ok and the audit chain verifies;
 * - every write the node acknowledged is served after the restart with the
 *   same id, CID and HLC;
 * - the HLC never goes backwards: every write acknowledged after a restart
 *   has a greater HLC than every write acknowledged before it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { FactValueSchema, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { AuditLog } from "../../src/store/audit-log.js";
import { startNodeChild, type NodeChild } from "../helpers/node-child.js";

const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
/** How far the wall clock steps back at each restart. */
const STEP_BACK_MS = 10 * 60_000;

interface Ack {
  readonly id: string;
  readonly cid: string;
  /** Known at acknowledgement for single writes; batch results carry no HLC. */
  readonly hlc: string | undefined;
  readonly cycle: number;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "stigmem-crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A small seeded generator, so the kill moments replay. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hlcPair(hlc: string): [number, number] {
  const [w, c] = hlc.split(".");
  return [Number(w), Number(c)];
}
function hlcAfter(a: string, b: string): boolean {
  const [aw, ac] = hlcPair(a);
  const [bw, bc] = hlcPair(b);
  return aw > bw || (aw === bw && ac > bc);
}

const fact = (entity: string) => ({
  entity,
  relation: "memory:crash",
  value: { type: "string", v: entity },
  source: "agent:crash",
  scope: "company",
});

/** Write loops of every kind against `node` until `stop()`; each records what the node acknowledged. */
function writers(node: NodeChild, cycle: number, acks: Ack[]): { stop(): void; done: Promise<void> } {
  let stopped = false;
  const loop = async (once: (i: number) => Promise<void>): Promise<void> => {
    for (let i = 0; !stopped; i++) {
      try {
        await once(i);
      } catch {
        return; // the node is gone: this write was never acknowledged
      }
    }
  };
  const rest = (w: number) =>
    loop(async (i) => {
      const res = await fetch(`${node.url}/v1/facts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(fact(`user:c${cycle}-rest${w}-${i}`)),
      });
      if (res.status !== 201) throw new Error(`status ${res.status}`);
      const body = (await res.json()) as { id: string; cid: string; hlc: string };
      acks.push({ id: body.id, cid: body.cid, hlc: body.hlc, cycle });
    });
  const batch = loop(async (i) => {
    const facts = Array.from({ length: 5 }, (_, k) => fact(`user:c${cycle}-batch-${i}-${k}`));
    const res = await fetch(`${node.url}/v1/facts:batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ facts }),
    });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    const body = (await res.json()) as { results: { status: string; fact_id?: string; cid?: string }[] };
    for (const r of body.results) {
      if (r.fact_id !== undefined && r.cid !== undefined) acks.push({ id: r.fact_id, cid: r.cid, hlc: undefined, cycle });
    }
  });
  const rpc = (kind: "connect" | "grpc", w: number) => {
    const transport =
      kind === "connect"
        ? createConnectTransport({ baseUrl: node.url, httpVersion: "2", useBinaryFormat: true })
        : createGrpcTransport({ baseUrl: node.url });
    const client = createClient(FactService, transport);
    return loop(async (i) => {
      const entity = `user:c${cycle}-${kind}${w}-${i}`;
      const res = await client.assertFact(
        {
          entity,
          relation: "memory:crash",
          value: create(FactValueSchema, { type: ValueType.STRING, v: { case: "stringValue", value: entity } }),
          source: "agent:crash",
          scope: "company",
        },
        { timeoutMs: 10_000 },
      );
      acks.push({ id: res.fact!.id, cid: res.fact!.cid, hlc: res.fact!.hlc, cycle });
    });
  };
  const done = Promise.all([rest(0), rest(1), batch, rpc("connect", 0), rpc("grpc", 0)]).then(() => undefined);
  return {
    stop: () => {
      stopped = true;
    },
    done,
  };
}

/** Checks the files the killed node left, before anything reopens them. */
function checkFiles(): void {
  const db = new Database(path.join(dataDir, "stigmem.db"));
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(new AuditLog(db).verify()).toMatchObject({ valid: true, first_bad_seq: null });
  } finally {
    db.close();
  }
}

/** Reads every acknowledged write back through the restarted node. */
async function checkAcks(node: NodeChild, acks: Ack[]): Promise<Map<string, string>> {
  const served = new Map<string, string>();
  const queue = [...acks];
  const worker = async (): Promise<void> => {
    for (let ack = queue.pop(); ack !== undefined; ack = queue.pop()) {
      const res = await fetch(`${node.url}/v1/facts/${ack.id}`);
      expect(res.status, `acknowledged fact ${ack.id} (cycle ${ack.cycle}) is missing`).toBe(200);
      const body = (await res.json()) as { id: string; cid: string; hlc: string };
      expect({ id: body.id, cid: body.cid }).toEqual({ id: ack.id, cid: ack.cid });
      if (ack.hlc !== undefined) expect(body.hlc).toBe(ack.hlc);
      served.set(ack.id, body.hlc);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return served;
}

it(`keeps every acknowledged write and a forward HLC over ${CYCLES} SIGKILLs under concurrent REST and Connect writes`, async () => {
  const random = mulberry32(Number(process.env.FC_SEED ?? 20));
  const acks: Ack[] = [];
  /** Greatest HLC acknowledged before each run started. */
  const highWater: (string | undefined)[] = [];
  let kills = 0;

  /**
   * Restarts on the killed node's files and checks what the last run acknowledged
   * (the earlier runs' writes were checked at earlier restarts; the last restart checks all).
   */
  const restart = async (cycle: number, all = false): Promise<NodeChild> => {
    const node = await startNodeChild({ dataDir, clockShiftMs: -cycle * STEP_BACK_MS });
    const served = await checkAcks(node, all ? acks : acks.filter((a) => a.cycle === cycle - 1));
    // Batch results carry no HLC: the node tells it now.
    for (const [i, ack] of acks.entries()) if (ack.hlc === undefined) acks[i] = { ...ack, hlc: served.get(ack.id) };
    if (cycle > 0) {
      // Every write of the last run is after everything acknowledged before it, though the wall clock went back.
      const before = highWater[cycle - 1];
      const behind = acks.filter((a) => a.cycle === cycle - 1 && before !== undefined && !hlcAfter(a.hlc!, before));
      expect(behind, `run ${cycle - 1}: HLCs at or before ${before}`).toEqual([]);
    }
    highWater[cycle] = acks.reduce<string | undefined>((max, a) => (max === undefined || hlcAfter(a.hlc!, max) ? a.hlc : max), undefined);
    return node;
  };

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const node = await restart(cycle);
    const before = acks.length;
    const w = writers(node, cycle, acks);
    // Let the writers get going, then kill at a seeded moment.
    while (acks.length - before < 20) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50 + random() * 300));
    const exit = await node.kill("SIGKILL");
    w.stop();
    await w.done;
    expect(exit.signal).toBe("SIGKILL");
    kills++;
    checkFiles();
  }
  // A last restart serves everything, and stops gracefully.
  const node = await restart(CYCLES, true);
  const exit = await node.kill("SIGTERM");
  expect(exit.code).toBe(0);
  checkFiles();
  expect(kills).toBeGreaterThanOrEqual(CYCLES);
  expect(acks.length).toBeGreaterThan(CYCLES * 20);
}, 600_000);
