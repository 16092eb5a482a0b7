import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VectorCache } from "../../../src/embed/vector-cache.js";

const vec = (x: number): Float32Array => new Float32Array([x]);

describe("VectorCache", () => {
  it("returns what was put, and nothing for unknown rowids", () => {
    const c = new VectorCache(4);
    const v = vec(1);
    c.put(7, v);
    expect(c.get(7)).toBe(v);
    expect(c.get(8)).toBeUndefined();
  });

  it("keeps the most recently used `capacity` vectors and holds at most twice that", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 200 }),
        (capacity, ops) => {
          const c = new VectorCache(capacity);
          const recent: number[] = []; // most recently used last, distinct
          for (const [isPut, rowid] of ops) {
            if (isPut) c.put(rowid, vec(rowid));
            const got = isPut ? c.get(rowid) : c.get(rowid);
            if (got !== undefined) {
              expect(got[0]).toBe(rowid); // never a wrong vector
              const at = recent.indexOf(rowid);
              if (at >= 0) recent.splice(at, 1);
              recent.push(rowid);
            } else {
              expect(isPut).toBe(false);
            }
            for (const r of recent.slice(-capacity)) expect(c.get(r)?.[0]).toBe(r);
            // The checks above touched the newest `capacity` again, in order: recency is unchanged.
            expect(c.size).toBeLessThanOrEqual(2 * capacity);
          }
        },
      ),
    );
  });

  it("forgets everything on clear", () => {
    const c = new VectorCache(2);
    c.put(1, vec(1));
    c.put(2, vec(2));
    c.put(3, vec(3));
    c.clear();
    expect(c.size).toBe(0);
    expect(c.get(1)).toBeUndefined();
  });

  it("refuses a capacity below 1", () => {
    expect(() => new VectorCache(0)).toThrow(RangeError);
  });
});
