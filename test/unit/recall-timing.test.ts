/**
 * Recall's Server-Timing value: every phase in pipeline order, durations in
 * milliseconds to the microsecond; laps add up per phase.
 */
import { describe, expect, it } from "vitest";
import { RECALL_PHASES, RecallClock, serverTiming } from "../../src/node/recall/recall-timing.js";

describe("serverTiming", () => {
  it("lists every phase in order with its duration", () => {
    expect(serverTiming({ direct: 4.3125, "semantic-wait": 0, score: 2.5, pack: 1, rows: 0.0004, build: 12 })).toBe(
      "direct;dur=4.313, semantic-wait;dur=0.000, score;dur=2.500, pack;dur=1.000, rows;dur=0.000, build;dur=12.000",
    );
  });
});

describe("RecallClock", () => {
  it("adds each lap to its phase, and the laps cover the time since the start", async () => {
    const start = performance.now();
    const clock = new RecallClock();
    await new Promise((r) => setTimeout(r, 5));
    clock.lap("direct");
    await new Promise((r) => setTimeout(r, 5));
    clock.lap("pack");
    await new Promise((r) => setTimeout(r, 5));
    clock.lap("direct");
    const t = clock.timings();
    const total = performance.now() - start;
    expect(Object.keys(t)).toEqual([...RECALL_PHASES]);
    expect(t.direct).toBeGreaterThan(t.pack);
    expect(t.pack).toBeGreaterThan(0);
    expect(t.score).toBe(0);
    expect(t.direct + t.pack).toBeLessThanOrEqual(total);
  });
});
