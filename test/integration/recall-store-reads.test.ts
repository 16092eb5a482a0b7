/**
 * What a recall remembers of its reads across its await (RecallStore.holdReads):
 * rows read once are not read again, yet any write — by the node's own
 * connection or by another process's — makes the next read fresh.
 */
import { sharedPolicy } from "../../src/node/access/read-policy.js";
import { readCondition } from "../../src/node/access/read-rules.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { factPutter } from "../helpers/put-fact.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const T = "stigmem://testnode";
const E = `${T}/user/hana`;

let node: TestNode;
let api: RestClient;
const put = factPutter(() => api, `${T}/agent/test`);

beforeAll(async () => {
  // No embedder: its background writes would make every read fresh.
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
  await put(E, "memory:office", "Kyoto");
});
afterAll(() => node.stop());

const later = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("RecallStore.holdReads", () => {
  it("reads an entity's rows once while held, and again after the node writes", async () => {
    const recall = node.node.recall.store;
    // One view for the whole recall, as recall has.
    const readable = readCondition(sharedPolicy("t"), { kind: "current", nowMs: Date.now(), includeContradicted: true });
    const view = { scope: "company", readable, entity: E };
    const release = recall.holdReads();
    try {
      const first = recall.entityScoringRows(view, node.node.nodeId, 10);
      await later();
      // The same row objects: remembered across the await, not read again.
      const again = recall.entityScoringRows(view, node.node.nodeId, 10);
      expect(again).toHaveLength(1);
      expect(again[0]).toBe(first[0]);
      await put(E, "memory:team", "research");
      const after = recall.entityScoringRows(view, node.node.nodeId, 10);
      expect(after.map((r) => r.value_v).sort()).toEqual(["Kyoto", "research"]);
    } finally {
      release();
    }
  });

  it("sees a commit by another connection in its mark of the store's state", () => {
    const recall = node.node.recall.store;
    const before = recall.stateMark();
    expect(recall.stateMark()).toBe(before);
    const other = openDatabase(node.node.config.dbPath);
    other.exec("CREATE TABLE IF NOT EXISTS scratch (x INTEGER); INSERT INTO scratch VALUES (1)");
    other.close();
    expect(recall.stateMark()).not.toBe(before);
  });
});
