/**
 * A database held by another process (a backup, a long CLI transaction)
 * past the busy timeout: writes fail with 503 `unavailable` and
 * `Retry-After` over REST, Connect `unavailable` with RetryInfo, never a
 * 500; nothing of the refused write is stored, and writes succeed again
 * once the lock is released. Reads are not blocked (WAL).
 */
import Database from "better-sqlite3";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema, RetryInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { FactValueSchema, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { AssertFactRequestSchema, FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
let rest: RestClient;
beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_DB_BUSY_TIMEOUT_MS: "50", STIGMEM_EMBEDDER: "none" } });
  rest = new RestClient(node.url);
});
afterAll(async () => {
  await node.stop();
});

const fact = (value: string) => ({
  entity: "stigmem://testnode/user/busy",
  relation: "memory:role",
  value: { type: "string", v: value },
  source: "stigmem://testnode/agent/test",
  scope: "company",
});

/** Runs `fn` while another connection holds the database's write lock. */
async function whileLocked<T>(fn: () => Promise<T>): Promise<T> {
  const other = new Database(node.node.config.dbPath);
  other.pragma("busy_timeout = 5000");
  other.exec("BEGIN IMMEDIATE");
  try {
    return await fn();
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
}

describe("a busy database", () => {
  it("answers REST writes 503 unavailable with Retry-After, and stores nothing", async () => {
    const before = await rest.get("/v1/facts?entity=stigmem://testnode/user/busy&include_superseded=true");
    const res = await whileLocked(() => rest.post("/v1/facts", fact("locked-out")));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(JSON.stringify(res.body)).toContain('"code":"unavailable"');
    // Reads go on while the lock is held elsewhere, and the refused write left no trace.
    const after = await rest.get("/v1/facts?entity=stigmem://testnode/user/busy&include_superseded=true");
    expect(after.status).toBe(200);
    expect(after.body.total).toBe(before.body.total);
    const ok = await rest.post("/v1/facts", fact("after-release"));
    expect(ok.status).toBe(201);
  });

  it("answers Connect writes with code unavailable, reason and RetryInfo", async () => {
    const client = createClient(FactService, createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" }));
    const request = create(AssertFactRequestSchema, {
      ...fact("connect-locked"),
      value: create(FactValueSchema, { type: ValueType.STRING, v: { case: "stringValue", value: "connect-locked" } }),
    });
    const err = await whileLocked(() =>
      client.assertFact(request).then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      ),
    );
    expect(err?.code).toBe(Code.Unavailable);
    expect(err?.findDetails(ErrorInfoSchema)[0]?.reason).toBe("unavailable");
    expect(err?.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(1n);
  });

  it("fails a whole batch the same way, writing none of it", async () => {
    const res = await whileLocked(() => rest.post("/v1/facts:batch", { facts: [fact("b1"), fact("b2")] }));
    expect(res.status).toBe(503);
    const list = await rest.get("/v1/facts?entity=stigmem://testnode/user/busy&include_superseded=true");
    expect(list.body.facts.map((f: { value: { v: string } }) => f.value.v)).not.toContain("b1");
  });
});
