/**
 * The recall settings of src/config.ts: STIGMEM_RECALL_HALF_LIFE_DAYS,
 * STIGMEM_RECALL_FUSION and STIGMEM_RECALL_CACHE_ROWS, their defaults and
 * their refusals.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("recall configuration", () => {
  it("defaults to a 30-day half-life and the weighted sum", () => {
    expect(loadConfig({})).toMatchObject({ recallHalfLifeDays: 30, recallFusion: "wsum", recallCacheRows: 131_072 });
  });

  it.each([
    ["7", 7],
    ["0.5", 0.5],
    [" 365 ", 365],
    [".25", 0.25],
  ])("accepts a half-life of %j days", (value, days) => {
    expect(loadConfig({ STIGMEM_RECALL_HALF_LIFE_DAYS: value }).recallHalfLifeDays).toBe(days);
  });

  it.each(["0", "-1", "abc", "1e3", "36501", "Infinity"])("refuses a half-life of %j", (value) => {
    expect(() => loadConfig({ STIGMEM_RECALL_HALF_LIFE_DAYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ STIGMEM_RECALL_HALF_LIFE_DAYS: value })).toThrow(/^STIGMEM_RECALL_HALF_LIFE_DAYS: /);
  });

  it("selects the fusion method, case-insensitively, and refuses others", () => {
    expect(loadConfig({ STIGMEM_RECALL_FUSION: "RRF" }).recallFusion).toBe("rrf");
    expect(loadConfig({ STIGMEM_RECALL_FUSION: "wsum" }).recallFusion).toBe("wsum");
    expect(() => loadConfig({ STIGMEM_RECALL_FUSION: "borda" })).toThrow(/^STIGMEM_RECALL_FUSION: must be one of wsum, rrf/);
  });

  it("takes the rows recall keeps, 0 for none, and refuses anything but a whole number up to 2^24", () => {
    expect(loadConfig({ STIGMEM_RECALL_CACHE_ROWS: "0" }).recallCacheRows).toBe(0);
    expect(loadConfig({ STIGMEM_RECALL_CACHE_ROWS: " 500000 " }).recallCacheRows).toBe(500_000);
    for (const bad of ["-1", "1.5", "1e6", "lots", "16777217"]) {
      expect(() => loadConfig({ STIGMEM_RECALL_CACHE_ROWS: bad })).toThrow(/^STIGMEM_RECALL_CACHE_ROWS: must be a whole number of rows from 0 to 16777216/);
    }
  });
});
