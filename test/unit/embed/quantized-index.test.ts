import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeWords, int8Code, MAX_CANDIDATES, maxRows, QuantizedIndex, searchInt8, signCode, topPositions } from "../../../src/embed/quantized-index.js";

function hamming(a: Uint16Array, b: Uint16Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) for (let x = a[i]! ^ b[i]!; x; x &= x - 1) d++;
  return d;
}

describe("signCode", () => {
  it("sets a bit per positive component, 16 per word", () => {
    const v = new Float32Array(20).fill(-1);
    v[0] = 0.5;
    v[17] = 2;
    expect(codeWords(20)).toBe(2);
    expect(Array.from(signCode(v))).toEqual([1, 2]);
  });
});

describe("QuantizedIndex", () => {
  it("returns the c nearest codes by Hamming distance, within the given scopes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 2, maxLength: 2 }), fc.constantFrom("local", "team", "public")), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.subarray(["local", "team", "public"]), { nil: null }),
        (rows, q, c, scopes) => {
          const index = new QuantizedIndex(32, false);
          rows.forEach(([code, scope], i) => index.add(i + 1, scope, Uint16Array.from(code)));
          const query = Uint16Array.from(q);
          const got = index.candidates(query, scopes, c);
          const eligible = rows
            .map(([code, scope], i) => ({ rowid: i + 1, d: hamming(Uint16Array.from(code), query), scope }))
            .filter((r) => scopes === null || scopes.includes(r.scope));
          expect(index.countIn(scopes)).toBe(eligible.length);
          expect(got).toHaveLength(Math.min(c, eligible.length));
          const dist = new Map(eligible.map((r) => [r.rowid, r.d]));
          const worstTaken = Math.max(-1, ...got.map((r) => dist.get(r)!));
          const taken = new Set(got);
          for (const r of eligible) if (!taken.has(r.rowid)) expect(r.d).toBeGreaterThanOrEqual(worstTaken);
        },
      ),
      { seed: Number(process.env.FC_SEED ?? 42), numRuns: 200 },
    );
  });

  it("refuses more candidates than one search may take, and gives its scratch area back", () => {
    const index = new QuantizedIndex(16, false);
    for (let i = 1; i <= MAX_CANDIDATES + 10; i++) index.add(i, "local", Uint16Array.of(i & 0xffff));
    expect(() => index.candidates(Uint16Array.of(3), null, MAX_CANDIDATES + 1)).toThrow(RangeError);
    expect(index.candidates(Uint16Array.of(3), null, 1)).toEqual([3]);
    expect(index.candidates(Uint16Array.of(3), null, MAX_CANDIDATES)).toHaveLength(MAX_CANDIDATES);
  });

  it("says so when every scratch area is taken by a search still running", () => {
    const index = new QuantizedIndex(16, false);
    index.add(1, "local", Uint16Array.of(1));
    const busy = index.arrays.size;
    for (let k = 1; k < busy.length; k++) Atomics.store(busy, k, 1);
    expect(() => index.candidates(Uint16Array.of(1), null, 1)).toThrow(/scratch areas .* are in use/);
    Atomics.store(busy, busy.length - 1, 0);
    expect(index.candidates(Uint16Array.of(1), null, 1)).toEqual([1]);
  });

  it("holds as many rows as one 4 GiB memory takes, and refuses more without failing", () => {
    // ~149 bytes per row at 100 dimensions with int8 copies: more than 2^24 rows, fewer than 2^25.
    expect(maxRows(100, true)).toBeGreaterThan(2 ** 24);
    expect(maxRows(100, true)).toBeLessThan(2 ** 25);
    expect(maxRows(1536, false)).toBeLessThan(maxRows(100, true));
    const index = new QuantizedIndex(16, false, 1500);
    const added = Array.from({ length: 2000 }, (_, i) => index.add(i + 1, "local", Uint16Array.of(i & 0xffff)));
    expect(added.filter(Boolean)).toHaveLength(1500);
    expect(added.slice(1500).some(Boolean)).toBe(false);
    expect(index.count).toBe(1500);
    expect(index.arrays.rowids).toHaveLength(1500);
    expect(index.has(1500)).toBe(true);
    expect(index.has(1501)).toBe(false);
    expect(index.candidates(Uint16Array.of(7), null, 1)).toEqual([8]);
  });

  it("grows and rejects codes of another width", () => {
    const index = new QuantizedIndex(16, false);
    for (let i = 1; i <= 5000; i++) index.add(i, i % 2 ? "local" : "team", Uint16Array.of(i & 0xffff));
    expect(index.count).toBe(5000);
    expect(index.countIn(["team"])).toBe(2500);
    expect(index.candidates(Uint16Array.of(7), ["local"], 1)).toEqual([7]);
    expect(() => index.add(1, "local", new Uint16Array(2))).toThrow(RangeError);
    expect(index.countIn(null)).toBe(5000);
  });
});

describe("QuantizedIndex with int8 copies", () => {
  let seed = 3;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  const unit = (): Float32Array => {
    const v = Float32Array.from({ length: 32 }, rnd);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };

  it("ranks Hamming candidates by int8 dot product", () => {
    const index = new QuantizedIndex(32);
    expect(index.hasInt8).toBe(true);
    const vectors = Array.from({ length: 2000 }, unit);
    vectors.forEach((v, i) => index.add(i + 1, "local", signCode(v), int8Code(v)));
    expect(() => index.add(9999, "local", signCode(vectors[0]!))).toThrow(RangeError);
    const q = unit();
    const dot = (v: Float32Array): number => v.reduce((s, x, d) => s + x * q[d]!, 0);
    const truth = vectors
      .map((v, i) => ({ rowid: i + 1, s: dot(v) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((x) => x.rowid);
    const got = index.scored(q, null, 2000, 10).map((h) => h.rowid);
    expect(got).toHaveLength(10);
    expect(got.filter((r) => truth.includes(r)).length).toBeGreaterThanOrEqual(9);
  });

  it("scores hits by int8 dot product, best first, close to the float cosine", () => {
    const index = new QuantizedIndex(32);
    const vectors = Array.from({ length: 500 }, unit);
    // Added out of rowid order, as the start-up load and the queue may interleave.
    const rowids = vectors.map((_, i) => (i % 2 === 0 ? 1000 + i : i + 1));
    vectors.forEach((v, i) => index.add(rowids[i]!, i % 3 === 0 ? "team" : "local", signCode(v), int8Code(v)));
    const q = unit();
    const hits = index.scored(q, ["local"], 500, 20);
    expect(hits).toHaveLength(20);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.dot).toBeGreaterThanOrEqual(hits[i]!.dot);
    for (const h of hits) {
      const v = vectors[rowids.indexOf(h.rowid)]!;
      expect(rowids.indexOf(h.rowid) % 3).not.toBe(0);
      expect(h.dot).toBeCloseTo(v.reduce((s, x, d) => s + x * q[d]!, 0), 2);
    }
  });

  it.each([100, 37])("computes each %i-component int8 dot product exactly as four interleaved sums in order", (dims) => {
    const index = new QuantizedIndex(dims);
    const unitOf = (): Float32Array => {
      const v = Float32Array.from({ length: dims }, rnd);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const codes = Array.from({ length: 300 }, () => int8Code(unitOf()));
    codes.forEach((c, i) => index.add(i + 1, "local", signCode(Float32Array.from(new Int8Array(c.buffer, 4))), c));
    const q = unitOf();
    // Four sums over the components ≡ 0..3 (mod 4) in order, added as (s0 + s1) + (s2 + s3), times the scale.
    const reference = (c: Uint8Array): number => {
      const q8 = new Int8Array(c.buffer, 4, dims);
      const s = [0, 0, 0, 0];
      for (let d = 0; d < dims; d++) s[d % 4]! += q8[d]! * q[d]!;
      return (s[0]! + s[1]! + (s[2]! + s[3]!)) * new DataView(c.buffer).getFloat32(0, true);
    };
    const hits = index.scored(q, null, 300, 300);
    expect(hits).toHaveLength(300);
    for (const h of hits) expect(h.dot).toBe(reference(codes[h.rowid - 1]!));
  });

  it("gives the cosines among int8 copies from their exact integer dot products, 0 where one is missing", () => {
    const index = new QuantizedIndex(100);
    const codes = Array.from({ length: 50 }, () => {
      const v = Float32Array.from({ length: 100 }, rnd);
      const n = Math.hypot(...v);
      return int8Code(v.map((x) => x / n));
    });
    codes.forEach((c, i) => index.add(i + 1, "local", signCode(Float32Array.from(new Int8Array(c.buffer, 4))), c));
    const ints = (c: Uint8Array): Int8Array => new Int8Array(c.buffer, 4, 100);
    const dot = (a: Int8Array, b: Int8Array): number => a.reduce((s, x, d) => s + x * b[d]!, 0);
    const rowids = [7, 999, ...codes.map((_, i) => i + 1)];
    const table = index.cosines(rowids);
    for (let i = 2; i < rowids.length; i += 7) {
      for (let j = 0; j < rowids.length; j++) {
        if (j < 2 && rowids[j] === 999) {
          expect(table.cosine(i, j)).toBe(0);
          continue;
        }
        const a = ints(codes[rowids[i]! - 1]!);
        const b = ints(codes[rowids[j]! - 1]!);
        expect(table.cosine(i, j)).toBe(Math.min(1, Math.max(0, dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)))));
      }
    }
    expect(table.cosine(1, 0)).toBe(0);
    expect(table.cosine(0, 0)).toBe(1);
    expect(() => new QuantizedIndex(16, false).cosines([1])).toThrow(/no int8 copies/);
  });

  it("keeps the arrays a reader holds valid while it grows, and publishes a row only once complete", () => {
    const index = new QuantizedIndex(32);
    const vectors = Array.from({ length: 3000 }, unit);
    vectors.slice(0, 1000).forEach((v, i) => index.add(i + 1, "local", signCode(v), int8Code(v)));
    const before = index.arrays;
    expect(Atomics.load(before.size, 0)).toBe(1000);
    vectors.slice(1000).forEach((v, i) => index.add(1001 + i, i % 2 ? "local" : "team", signCode(v), int8Code(v)));
    // Grown: new arrays holding every row; the old ones still hold the first 1,024 rows unchanged.
    expect(index.arrays).not.toBe(before);
    expect(Atomics.load(index.arrays.size, 0)).toBe(3000);
    expect(index.arrays.rowids.buffer).toBeInstanceOf(SharedArrayBuffer);
    const q = vectors[42]!;
    const all = index.allowedMask(null);
    expect(searchInt8(before, all, q, 1024, 1)[0]!.rowid).toBe(43);
    expect(searchInt8(index.arrays, index.allowedMask(["team"]), q, 3000, 5)).toEqual(index.scored(q, ["team"], 3000, 5));
    expect(index.allowedMask(["nowhere"]).every((x) => x === 0)).toBe(true);
  });

  it("gives back each vector's int8 copy by rowid", () => {
    const index = new QuantizedIndex(32);
    const v = unit();
    index.add(5, "local", signCode(v), int8Code(v));
    index.add(70_000_000, "local", signCode(v), int8Code(v));
    for (const rowid of [5, 70_000_000]) {
      const back = index.vector(rowid)!;
      expect(back).toHaveLength(32);
      back.forEach((x, d) => expect(x).toBeCloseTo(v[d]!, 2));
    }
    expect(index.vector(4)).toBeUndefined();
    expect(index.vector(1_000_000)).toBeUndefined();
    expect(new QuantizedIndex(32, false).vector(5)).toBeUndefined();
  });
});

describe("topPositions", () => {
  it("picks what a stable sort by descending value keeps, in index order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(0, -0, 1, -1, 0.5), fc.double({ min: -10, max: 10, noNaN: true })), { maxLength: 60 }),
        fc.integer({ min: -1, max: 70 }),
        (values, keep) => {
          const reference = values
            .map((v, p) => ({ v, p }))
            .sort((a, b) => b.v - a.v)
            .slice(0, Math.max(0, keep))
            .map((x) => x.p)
            .sort((a, b) => a - b);
          expect(topPositions(Float64Array.from(values), keep)).toEqual(reference);
        },
      ),
    );
  });

  it("finds the same cut-off among many ties in longer arrays", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 100, maxLength: 600 }), fc.nat(700), (ints, keep) => {
        const values = ints.map((v) => v / 2);
        const reference = values
          .map((v, p) => ({ v, p }))
          .sort((a, b) => b.v - a.v)
          .slice(0, keep)
          .map((x) => x.p)
          .sort((a, b) => a - b);
        expect(topPositions(Float64Array.from(values), keep)).toEqual(reference);
      }),
    );
  });
});
