/**
 * The puller's read-ahead (node/federation/puller.ts): items come out in
 * order while up to `depth` are requested ahead; a failure surfaces where
 * it occurs in the order; leaving early asks the source to stop.
 */
import { describe, expect, it } from "vitest";
import { readAhead } from "../../../src/node/federation/puller.js";

describe("readAhead", () => {
  it("yields every item in order and requests at most `depth` ahead", async () => {
    let requested = 0;
    let consumed = 0;
    let maxAhead = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        requested++;
        maxAhead = Math.max(maxAhead, requested - consumed);
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield i;
      }
    }
    const out: number[] = [];
    for await (const x of readAhead(source(), 3)) {
      out.push(x);
      consumed++;
    }
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it("rethrows a failure after the items before it", async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error("connection reset");
    }
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const x of readAhead(source(), 2)) out.push(x);
      })(),
    ).rejects.toThrow("connection reset");
    expect(out).toEqual([1, 2]);
  });

  it("asks the source to stop when the consumer leaves early", async () => {
    let finished = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finished = true;
      }
    }
    for await (const x of readAhead(source(), 2)) if (x === 3) break;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(finished).toBe(true);
  });
});
