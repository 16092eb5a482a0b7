/**
 * The feed over a real database: positions are commit order, a page covers
 * up to the snapshot's head (passing over rows the reader is not sent),
 * and what a peer policy never receives — local, team (unless served),
 * relayed, system, derived, quarantined and garden facts — stays home.
 * Also the epoch's start-up check against the high-water mark.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { peerPolicy } from "../../../src/node/access/read-policy.js";
import { feedCondition } from "../../../src/node/access/read-rules.js";
import { FeedEpoch, HIGH_WATER_FILE } from "../../../src/node/federation/feed-epoch.js";
import type { NewFact } from "../../../src/store/fact-store.js";
import { Storage } from "../../../src/store/storage.js";

let seq = 0;
function fact(over: Partial<NewFact>): NewFact {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    entity: `e:${seq}`,
    relation: "memory:r",
    value_type: "string",
    value_v: "v",
    interpret_as: "content",
    source: "s:1",
    confidence: 1,
    scope: "public",
    garden_id: null,
    valid_until: null,
    valid_until_ms: null,
    timestamp: "2026-01-01T00:00:00.000000+00:00",
    hlc_w: 1_000 + seq,
    hlc_c: 0,
    origin_hlc_w: 1_000 + seq,
    origin_hlc_c: 0,
    origin_node_id: null,
    received_from: null,
    actor: "s:1",
    cid: `sha256:${String(seq).padStart(64, "0")}`,
    supersedes: null,
    write_mode: null,
    derived_from: null,
    quarantine: null,
    ...over,
  };
}

describe("the feed", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-feed-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves only what a peer may receive, in commit order, and moves past what it may not", () => {
    const storage = Storage.open(path.join(dir, "feed.db"));
    try {
      const rows: [string, Partial<NewFact>][] = [
        ["public", {}],
        ["local", { scope: "local" }],
        ["company", { scope: "company" }],
        ["team", { scope: "team" }],
        ["relayed", { received_from: "stigmem:node:other" }],
        ["system", { relation: "stigmem:card" }],
        ["derived", { derived_from: '[{"fact_id":"x"}]' }],
        ["quarantined", { quarantine: "pending" }],
        ["garden", { garden_id: "stigmem://n/garden/g" }],
        ["instruction", { interpret_as: "instruction" }],
        ["late public", {}],
      ];
      const ids = new Map<string, string>();
      for (const [name, over] of rows) {
        const f = fact(over);
        ids.set(f.id, name);
        storage.facts.insert(f);
      }
      const head = storage.feed.headPosition();
      expect(head).toBe(rows.length);
      const names = (scopes: ("company" | "public" | "team")[], reference: boolean, limit = 100) => {
        const page = storage.feed.read({ after: 0, upto: head, where: feedCondition(peerPolicy("stigmem:node:p", scopes), { reference }), limit });
        return { names: page.rows.map((r) => ids.get(r.id)), position: page.position, more: page.more };
      };
      expect(names(["public"], false)).toEqual({ names: ["public", "instruction", "late public"], position: head, more: false });
      expect(names(["company", "public"], true).names).toEqual(["public", "company", "late public"]);
      expect(names(["team", "company", "public"], false).names).toEqual(["public", "company", "team", "instruction", "late public"]);
      // A full page ends at its last row; the rest follows after it.
      expect(names(["public"], false, 2)).toEqual({ names: ["public", "instruction"], position: 10, more: true });
      const rest = storage.feed.read({ after: 10, upto: head, where: feedCondition(peerPolicy("p", ["public"]), { reference: false }), limit: 2 });
      expect([rest.rows.map((r) => ids.get(r.id)), rest.position, rest.more]).toEqual([["late public"], head, false]);
    } finally {
      storage.close();
    }
  });

  it("keeps its epoch while the database continues what was served, and changes it when it cannot", async () => {
    const data = path.join(dir, "epoch");
    const dbPath = path.join(data, "stigmem.db");
    const open = () => Storage.open(dbPath);
    let s = open();
    for (let i = 0; i < 3; i++) s.facts.insert(fact({}));
    const first = FeedEpoch.open(s.feed, data);
    expect(first.decision).toBe("adopted");
    await first.served(2, 3);
    expect(JSON.parse(readFileSync(path.join(data, HIGH_WATER_FILE), "utf8"))).toEqual({ epoch: first.epoch, position: 3 });
    s.close();

    s = open();
    const again = FeedEpoch.open(s.feed, data);
    expect([again.decision, again.epoch]).toEqual(["continued", first.epoch]);
    s.close();

    // The database lost rows a peer saw (an older copy put back): a new epoch.
    writeFileSync(path.join(data, HIGH_WATER_FILE), JSON.stringify({ epoch: first.epoch, position: 5 }));
    s = open();
    const lost = FeedEpoch.open(s.feed, data);
    expect(lost.decision).toBe("rotated_lost_rows");
    expect(lost.epoch).not.toBe(first.epoch);
    expect(s.feed.epoch()).toBe(lost.epoch);
    s.close();

    // A mark of another epoch: a database restored across a rotation, or another one.
    writeFileSync(path.join(data, HIGH_WATER_FILE), JSON.stringify({ epoch: first.epoch, position: 1 }));
    s = open();
    const other = FeedEpoch.open(s.feed, data);
    expect(other.decision).toBe("rotated_other_epoch");
    s.close();

    // A new database in the same folder starts its own epoch.
    rmSync(dbPath);
    rmSync(`${dbPath}-wal`, { force: true });
    rmSync(`${dbPath}-shm`, { force: true });
    s = open();
    const fresh = FeedEpoch.open(s.feed, data);
    expect(fresh.decision).toBe("rotated_other_epoch");
    expect(fresh.epoch).not.toBe(other.epoch);
    s.close();
  });
});
