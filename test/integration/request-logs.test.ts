/**
 * The log lines of failed requests on a real node: refusals (4xx) and
 * not-yet-implemented operations (501, Connect `unimplemented`) are routine,
 * at info and without a stack; a server fault (a table gone from under the
 * node) is an error with its stack, on REST and on Connect alike.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictService } from "../../gen/proto/stigmem/v1/conflicts_pb.js";
import { GardenService } from "../../gen/proto/stigmem/v1/gardens_pb.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/server/logger.js";
import { startNode, type RunningNode } from "../../src/server/start-node.js";
import { embedTestEnv } from "../helpers/embed-cache.js";

interface Line {
  level: number;
  msg: string;
  code?: string;
  err?: { stack?: string };
  req?: { id?: string };
  reqId?: string;
}

const lines: Line[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString().split("\n")) if (l !== "") lines.push(JSON.parse(l) as Line);
    done();
  },
});

let dir: string;
let node: RunningNode;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-logs-"));
  const config = loadConfig({
    STIGMEM_PORT: "0",
    STIGMEM_DATA_DIR: dir,
    STIGMEM_AUTH_REQUIRED: "false",
    STIGMEM_EMBEDDER: "none",
    ...embedTestEnv(),
  });
  node = await startNode(config, createLogger("info", sink), { forceCloseConnections: true });
});
afterAll(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The failure lines (not the per-request "request completed" lines) logged since `from`. */
function failures(from: number): Line[] {
  return lines.slice(from).filter((l) => l.msg !== "request completed");
}

describe("failed requests in the log", () => {
  it("logs 4xx and 501 at info, without a stack", async () => {
    const from = lines.length;
    expect((await fetch(`${node.url}/v1/gardens`)).status).toBe(501);
    expect((await fetch(`${node.url}/v1/facts/not-an-id`)).status).toBe(404);
    const client = createClient(GardenService, createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" }));
    await expect(client.listGardens({})).rejects.toMatchObject({ code: Code.Unimplemented });
    const got = failures(from);
    expect(got.map((l) => l.code)).toEqual(["not_implemented", "not_found", "unimplemented"]);
    for (const l of got) {
      expect(l.level).toBe(30);
      expect(l.msg).toBe("request refused");
      expect(l.err).toBeUndefined();
    }
  });

  it("logs a server fault at error, with its stack, on both transports", async () => {
    const db = new Database(path.join(dir, "stigmem.db"));
    db.exec("ALTER TABLE conflicts RENAME TO conflicts_gone");
    db.close();
    const from = lines.length;
    expect((await fetch(`${node.url}/v1/conflicts`)).status).toBe(500);
    const client = createClient(ConflictService, createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" }));
    await expect(client.listConflicts({})).rejects.toMatchObject({ code: Code.Internal });
    const got = failures(from);
    expect(got).toHaveLength(2);
    for (const l of got) {
      expect(l.level).toBe(50);
      expect(l.msg).toBe("request failed");
      expect(l.err?.stack).toMatch(/no such table: conflicts/);
    }
  });
});
