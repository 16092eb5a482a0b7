import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCoreError } from "../../../src/core/errors.js";
import {
  checkSkew,
  compareHlc,
  formatHlc,
  MAX_HLC_COUNTER,
  maxHlc,
  parseHlc,
  receive,
  tick,
  type Hlc,
} from "../../../src/core/hlc.js";
import { fcParams } from "./fc-params.js";

const h = (wall: number, counter: number): Hlc => ({ wall, counter });
const W = 1_795_268_267_955;

function errorCode(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return isCoreError(e) ? e.code : e;
  }
  return "no error";
}

const arbWall = fc.integer({ min: W - 1_000, max: W + 1_000 });
const arbCounter = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5_000 }));
const arbHlc = fc.record({ wall: arbWall, counter: arbCounter });

describe("parseHlc / formatHlc", () => {
  it.each([
    ["1795268267955.007", h(W, 7)],
    ["1795268267955.0", h(W, 0)],
    ["1795268267955.7", h(W, 7)],
    ["1795268267955.1000", h(W, 1000)],
    ["1795268267955.000000012", h(W, 12)],
    ["0.0", h(0, 0)],
    ["999999999999999.999999999", h(999_999_999_999_999, 999_999_999)],
  ])("parses %s", (text, want) => {
    expect(parseHlc(text)).toEqual(want);
  });

  it.each([
    "",
    "1795268267955",
    "1795268267955.",
    ".007",
    "1795268267955.0070000000",
    "1000000000000000.0",
    "-1.0",
    "1.5e3.0",
    " 1795268267955.007",
    "1795268267955.007\n",
    "1795268267955,007",
    "١٢٣.٠",
  ])("rejects %j", (text) => {
    expect(errorCode(() => parseHlc(text))).toBe("invalid_hlc");
  });

  it.each([
    [h(W, 0), "1795268267955.000"],
    [h(W, 7), "1795268267955.007"],
    [h(W, 42), "1795268267955.042"],
    [h(W, 999), "1795268267955.999"],
    [h(W, 1000), "1795268267955.1000"],
  ])("formats %j as %s", (hlc, text) => {
    expect(formatHlc(hlc)).toBe(text);
  });

  it.each([[h(-1, 0)], [h(W, -1)], [h(W, 0.5)], [h(W, MAX_HLC_COUNTER + 1)], [h(Number.NaN, 0)]])(
    "refuses to format %j",
    (hlc) => {
      expect(errorCode(() => formatHlc(hlc))).toBe("invalid_hlc");
    },
  );

  it("round-trips any valid pair", () => {
    fc.assert(
      fc.property(
        fc.record({
          wall: fc.integer({ min: 0, max: 999_999_999_999_999 }),
          counter: fc.integer({ min: 0, max: MAX_HLC_COUNTER }),
        }),
        (hlc) => {
          expect(parseHlc(formatHlc(hlc))).toEqual(hlc);
        },
      ),
      fcParams,
    );
  });
});

describe("compareHlc", () => {
  it("orders counters ≥ 10 and ≥ 1000 where text order is wrong", () => {
    // As text ".10" < ".9" and ".1000" < ".999"; as pairs the opposite.
    expect("1795268267955.10" < "1795268267955.9").toBe(true);
    expect(compareHlc(h(W, 10), h(W, 9))).toBe(1);
    expect(formatHlc(h(W, 1000)) < formatHlc(h(W, 999))).toBe(true);
    expect(compareHlc(h(W, 1000), h(W, 999))).toBe(1);
    expect(compareHlc(h(W, 999), h(W, 1000))).toBe(-1);
    expect(compareHlc(h(W + 1, 0), h(W, 123_456))).toBe(1);
    expect(compareHlc(h(W, 5), h(W, 5))).toBe(0);
  });

  it("is the lexicographic order of the integer pair", () => {
    fc.assert(
      fc.property(arbHlc, arbHlc, (a, b) => {
        const want = a.wall !== b.wall ? Math.sign(a.wall - b.wall) : Math.sign(a.counter - b.counter);
        expect(compareHlc(a, b)).toBe(want);
        // `-0` is not `0` to toBe (Object.is); equal pairs compare as 0 both ways.
        expect(compareHlc(b, a)).toBe(want === 0 ? 0 : -want);
        expect(compareHlc(parseHlc(formatHlc(a)), parseHlc(formatHlc(b)))).toBe(want);
      }),
      fcParams,
    );
  });

  it("maxHlc picks the larger pair", () => {
    expect(maxHlc(h(W, 1000), h(W, 999))).toEqual(h(W, 1000));
    expect(maxHlc(h(W, 3), h(W + 1, 0))).toEqual(h(W + 1, 0));
  });
});

describe("tick", () => {
  it.each([
    ["clock ahead of state: counter resets", h(W, 5), W + 10, h(W + 10, 0)],
    ["same millisecond: counter increments", h(W, 5), W, h(W, 6)],
    ["clock went backwards: wall kept, counter increments", h(W, 5), W - 10_000, h(W, 6)],
    ["counter 999 → 1000", h(W, 999), W, h(W, 1000)],
    ["counter at the grammar limit carries into the wall", h(W, MAX_HLC_COUNTER), W, h(W + 1, 0)],
  ])("%s", (_name, state, now, want) => {
    expect(tick(state, now)).toEqual(want);
  });

  it("is strictly monotonic under a clock that jumps backwards", () => {
    fc.assert(
      fc.property(arbHlc, fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 1, maxLength: 60 }), (start, steps) => {
        let state = start;
        let now = start.wall;
        for (const step of steps) {
          now = Math.max(0, now + step);
          const next = tick(state, now);
          expect(compareHlc(next, state)).toBe(1);
          expect(next.wall).toBeGreaterThanOrEqual(now);
          state = next;
        }
      }),
      fcParams,
    );
  });

  it("rejects a non-integer now", () => {
    expect(errorCode(() => tick(h(W, 0), 1.5))).toBe("invalid_timestamp");
    expect(errorCode(() => tick(h(W, 0), Number.NaN))).toBe("invalid_timestamp");
  });
});

describe("receive (§5 table)", () => {
  it.each([
    ["all three equal (w' = w = r.w), local counter larger", h(W, 7), h(W, 3), W, h(W, 8)],
    ["all three equal, remote counter larger", h(W, 3), h(W, 1200), W, h(W, 1201)],
    ["all three equal while now lags behind", h(W, 3), h(W, 4), W - 50, h(W, 5)],
    ["w' == w only (local ahead)", h(W, 7), h(W - 1, 900), W - 2, h(W, 8)],
    ["w' == w only (now equals local wall)", h(W, 7), h(W - 1, 900), W, h(W, 8)],
    ["w' == r.w only (remote ahead)", h(W - 1, 900), h(W, 12), W - 2, h(W, 13)],
    ["w' == r.w only (now equals remote wall)", h(W - 1, 900), h(W, 12), W, h(W, 13)],
    ["otherwise: now ahead of both", h(W - 5, 7), h(W - 3, 12), W, h(W, 0)],
    ["remote counter at the limit carries", h(W - 1, 0), h(W, MAX_HLC_COUNTER), W, h(W + 1, 0)],
  ])("%s", (_name, state, remote, now, want) => {
    expect(receive(state, remote, now)).toEqual(want);
  });

  it("result is strictly greater than both local and remote, and ≥ now", () => {
    fc.assert(
      fc.property(arbHlc, arbHlc, arbWall, (state, remote, now) => {
        const next = receive(state, remote, now);
        expect(compareHlc(next, state)).toBe(1);
        expect(compareHlc(next, remote)).toBe(1);
        expect(next.wall).toBeGreaterThanOrEqual(now);
      }),
      fcParams,
    );
  });

  it("interleaved ticks and receives stay monotonic", () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant("tick" as const), dt: fc.integer({ min: -3_000, max: 3_000 }) }),
      fc.record({ kind: fc.constant("recv" as const), dt: fc.integer({ min: -3_000, max: 3_000 }), remote: arbHlc }),
    );
    fc.assert(
      fc.property(arbHlc, fc.array(event, { maxLength: 80 }), (start, events) => {
        let state = start;
        let now = start.wall;
        for (const e of events) {
          now = Math.max(0, now + e.dt);
          const next = e.kind === "tick" ? tick(state, now) : receive(state, e.remote, now);
          expect(compareHlc(next, state)).toBe(1);
          if (e.kind === "recv") expect(compareHlc(next, e.remote)).toBe(1);
          state = next;
        }
      }),
      fcParams,
    );
  });

  it("validates the remote pair", () => {
    expect(errorCode(() => receive(h(W, 0), h(W, -1), W))).toBe("invalid_hlc");
    expect(errorCode(() => receive(h(W, 0), h(1e16, 0), W))).toBe("invalid_hlc");
  });
});

describe("checkSkew", () => {
  const bounds = { maxFutureMs: 300_000, maxPastMs: 30 * 86_400_000 };
  it.each([
    ["in sync", h(W, 5), W, { ok: true }],
    ["exactly 300 s ahead is accepted", h(W + 300_000, 0), W, { ok: true }],
    ["300.001 s ahead is rejected", h(W + 300_001, 0), W, { ok: false, reason: "future", skewMs: 300_001 }],
    ["exactly 30 d behind is accepted", h(W - 30 * 86_400_000, 0), W, { ok: true }],
    ["30 d + 1 ms behind is rejected", h(W - 30 * 86_400_000 - 1, 0), W, { ok: false, reason: "past", skewMs: 30 * 86_400_000 + 1 }],
  ])("%s", (_name, remote, now, want) => {
    expect(checkSkew(remote, now, bounds)).toEqual(want);
  });

  it("without a past bound (pull, §13.3) old HLCs pass", () => {
    expect(checkSkew(h(0, 0), W, { maxFutureMs: 300_000 })).toEqual({ ok: true });
  });
});
