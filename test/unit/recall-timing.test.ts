/**
 * Recall's Server-Timing value: every phase in pipeline order, durations in
 * milliseconds to the microsecond; laps add up per phase.
 */
import { describe, expect, it } from "vitest";
import { RECALL_PHASES, RecallClock, serverTiming } from "../../src/node/recall/recall-timing.js";

describe("serverTiming", () => {
  it("lists every phase in order with its duration", () => {
    expect(
      serverTiming({
        structure: 0.25,
        candidates: 4.3125,
        "semantic-wait": 0,
        signals: 2.5,
        fuse: 0.5,
        diversify: 0.125,
        pack: 1,
        verify: 0.0004,
        build: 12,
      }),
    ).toBe(
      "structure;dur=0.250, candidates;dur=4.313, semantic-wait;dur=0.000, signals;dur=2.500, fuse;dur=0.500, " +
        "diversify;dur=0.125, pack;dur=1.000, verify;dur=0.000, build;dur=12.000",
    );
  });
});

describe("RecallClock", () => {
  it("adds each lap to its phase, and the laps cover the time since the start", async () => {
    const start = performance.now();
    const clock = new RecallClock();
    await new Promise((r) => setTimeout(r, 5));
    clock.lap("candidates");
    await new Promise((r) => setTimeout(r, 5));
    clock.lap("pack");
    await new Promise((r) => setTimeout(r, 5));
    clock.lap("candidates");
    const t = clock.timings();
    const total = performance.now() - start;
    expect(Object.keys(t)).toEqual([...RECALL_PHASES]);
    expect(t.candidates).toBeGreaterThan(t.pack);
    expect(t.pack).toBeGreaterThan(0);
    expect(t.signals).toBe(0);
    expect(t.candidates + t.pack).toBeLessThanOrEqual(total);
  });
});
