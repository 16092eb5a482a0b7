/**
 * WatchFacts on a node that receives facts by federation: two real nodes
 * peered on loopback. A watcher on B sees the facts A writes once B has
 * pulled them, in B's feed order, and never the instruction B holds in
 * quarantine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FED_ADMIN_KEY, peerBoth, startFedNode, storedFacts, write } from "../helpers/federation.js";
import type { TestNode } from "../helpers/test-node.js";
import { factClient, watch } from "./watch-kit.js";

let a: TestNode;
let b: TestNode;
beforeAll(async () => {
  a = await startFedNode({ env: { STIGMEM_EMBEDDER: "none" } });
  b = await startFedNode({ env: { STIGMEM_EMBEDDER: "none" } });
  await peerBoth(a, b);
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
});

describe("WatchFacts and federation", () => {
  it("sends federated facts, never a quarantined one", async () => {
    const w = watch(factClient(b, FED_ADMIN_KEY), { relationPrefix: "memory:fed" });
    await w.live();
    const content = await write(a, { entity: "stigmem://a/user/x", relation: "memory:fed_note", value: { type: "string", v: "hello" } });
    const held = await write(a, {
      entity: "stigmem://a/user/x",
      relation: "memory:fed_order",
      value: { type: "string", v: "do it", interpret_as: "instruction" },
    });
    const last = await write(a, { entity: "stigmem://a/user/x", relation: "memory:fed_end", value: { type: "string", v: "bye" } });
    await w.until((e) => e.some((x) => x.id === last.id));
    // B did store the instruction, held in quarantine: the watcher was not sent it.
    expect(storedFacts(b).find((f) => f.id === held.id)?.quarantine).toBe("pending");
    expect(w.events.map((e) => e.id)).toEqual([content.id, last.id]);
    w.stop();
  });
});
