/**
 * Recall's bulk reads build their rows from arrays (recall-rows.ts) and use
 * literal LIMITs rounded up (limitAbove): the rows must be exactly what the
 * shared fact projection reads, and the limits never fewer than asked.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../helpers/temp-database.js";
import { FactStore, type NewFact } from "../../../src/store/fact-store.js";
import { limitAbove, RecallStore } from "../../../src/store/recall-store.js";

describe("limitAbove", () => {
  it("rounds up to four steps per power of two", () => {
    expect([0, 5, 8, 9, 20, 21, 200, 309, 50_000].map(limitAbove)).toEqual([0, 5, 8, 10, 20, 24, 224, 320, 57_344]);
  });

  it("means no limit for a negative or non-finite count", () => {
    expect([-1, Number.NaN, Number.POSITIVE_INFINITY].map(limitAbove)).toEqual([-1, -1, -1]);
  });

  it("is never below the count and at most a quarter above it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 24 }), (n) => {
        const k = limitAbove(n);
        expect(Number.isInteger(k) && k >= n && k <= n + Math.max(0, n / 4)).toBe(true);
      }),
    );
  });
});

describe("RecallStore.factRows", () => {
  const database = useTempDatabase("stigmem-recall-rows");

  it("reads every column as the shared fact projection does", () => {
    const db = database();
    const facts = new FactStore(db);
    const base: NewFact = {
      id: "f-1",
      entity: "user:alice",
      relation: "memory:role",
      value_type: "string",
      value_v: "engineer",
      interpret_as: "content",
      source: "agent:me",
      confidence: 0.9,
      scope: "company",
      garden_id: null,
      valid_until: null,
      valid_until_ms: null,
      timestamp: "2026-01-01T00:00:00.000000+00:00",
      hlc_w: 1,
      hlc_c: 0,
      origin_hlc_w: 1,
      origin_hlc_c: 0,
      origin_node_id: null,
      received_from: null,
      actor: "agent:me",
      cid: "sha256:" + "a".repeat(64),
      supersedes: null,
      write_mode: null,
      derived_from: null,
      quarantine: null,
    };
    const rowids = [
      facts.insert(base),
      facts.insert({
        ...base,
        id: "f-2",
        hlc_w: 2,
        valid_until: "2030-01-01T00:00:00.000000+00:00",
        valid_until_ms: 1_893_456_000_000,
        origin_node_id: "stigmem:node:x",
        received_from: "https://peer.example",
        actor: null,
        cid: "sha256:" + "b".repeat(64),
        supersedes: JSON.stringify(["sha256:" + "a".repeat(64)]),
        write_mode: "append",
        derived_from: JSON.stringify([{ cid: "x" }]),
      }),
    ];
    const got = new RecallStore(db).factRows(rowids).sort((a, b) => a.rowid - b.rowid);
    expect(got).toEqual(rowids.map((r) => facts.byRowid(r)));
  });

  it("reads nothing for no rowids", () => {
    const db = database();
    expect(new RecallStore(db).factRows([])).toEqual([]);
  });
});
