/**
 * The write-ahead log is copied into the database file by the node's worker
 * thread, not by the writer, and a closed node leaves no log behind.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestNode, type TestNode } from "../helpers/test-node.js";
import { RestClient } from "../helpers/rest-client.js";

let node: TestNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe("background WAL checkpoints", () => {
  it("copies committed pages into the database file while the writer never checkpoints", async () => {
    node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    // The batch is far below the writer's own automatic checkpoint (8,192 pages,
    // store/database.ts), so only the worker can copy its pages into the file.
    const dbFile = path.join(node.dataDir, "stigmem.db");
    const before = sizeOf(dbFile);
    const rest = new RestClient(node.url);
    const facts = Array.from({ length: 400 }, (_, i) => ({
      entity: `user:person${i}`,
      relation: "memory:bio",
      value: { type: "text", v: `person ${i} writes long notes `.repeat(20) },
      source: "agent:loader",
    }));
    const res = await rest.post("/v1/facts:batch", { facts });
    expect(res.status).toBe(200);
    await until(() => sizeOf(dbFile) > before + 200_000, "the database file to receive the batch's pages");
  });

  it("leaves no write-ahead log behind once the node is closed", async () => {
    node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    const wal = path.join(node.dataDir, "stigmem.db-wal");
    const rest = new RestClient(node.url);
    const res = await rest.post("/v1/facts", {
      entity: "user:dana",
      relation: "memory:location",
      value: { type: "string", v: "Lisbon" },
      source: "agent:a",
    });
    expect(res.status).toBe(201);
    expect(sizeOf(wal)).toBeGreaterThan(0);
    await node.close();
    expect(existsSync(wal)).toBe(false);
  });
});
