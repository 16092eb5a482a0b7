/**
 * The §10 workaround for the reference's text-compared HLC cursor: resume
 * from the last wall so that millisecond is fetched again, unless the page
 * lies within one wall. Simulated against the reference's own paging rule
 * (text order, `hlc > cursor`) with writes interleaved between pulls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceNextCursor } from "../../../src/core/federation/reference-cursor.js";
import { fcParams } from "../core/fc-params.js";

const W = 1795268267955;
const page = (hlcs: string[], cursor: string | null = hlcs.at(-1) ?? null, has_more = true) => ({
  facts: hlcs.map((hlc) => ({ hlc })),
  cursor,
  has_more,
});

describe("referenceNextCursor", () => {
  it.each<[string, ReturnType<typeof page>, string | null, string | null]>([
    ["first page over two walls", page([`${W}.0`, `${W + 1}.3`]), null, `${W + 1}`],
    ["page over many walls", page([`${W}.9`, `${W}.10`, `${W + 5}.0`, `${W + 7}.2`]), `${W}`, `${W + 7}`],
    ["full page within one wall", page([`${W}.0`, `${W}.1`, `${W}.2`]), `${W}`, `${W}.2`],
    ["last page within one wall: re-read that ms next time", page([`${W}.0`, `${W}.1`], `${W}.1`, false), `${W}`, `${W}`],
    ["last page over two walls", page([`${W}.5`, `${W + 3}.1`], `${W + 3}.1`, false), `${W}`, `${W + 3}`],
    ["single fact, more to come", page([`${W}.4`]), `${W}`, `${W}.4`],
    ["empty page keeps what we sent", page([], `${W}`), `${W}`, `${W}`],
    ["empty first page", page([], null), null, null],
    ["no server cursor: the last fact's HLC stands in", page([`${W}.0`, `${W + 2}.0`], null), null, `${W + 2}`],
    ["unreadable HLC: the server's cursor", page(["garbage", `${W + 2}.0`]), null, `${W + 2}.0`],
    ["unreadable server cursor: used as it is", page([`${W}.0`, `${W + 2}.0`], "opaque"), null, "opaque"],
  ])("%s", (_name, p, sent, want) => {
    expect(referenceNextCursor(p, sent)).toBe(want);
  });

  /** The reference's pull route over `rows`: ORDER BY hlc (text), WHERE hlc > cursor (text), LIMIT; cursor = last row's hlc. */
  function serve(rows: readonly string[], cursor: string | null, limit: number) {
    const after = rows.filter((h) => cursor === null || h > cursor).sort();
    const out = after.slice(0, limit);
    return page(out, out.at(-1) ?? cursor, after.length > limit);
  }

  /** Writes interleaved with pulls: `true` = a write, `false` = one pull. Returns what was written and what the puller saw. */
  function simulate(
    steps: readonly boolean[],
    next: (p: ReturnType<typeof page>, sent: string | null) => string | null,
    limit = 100,
  ) {
    const rows: string[] = [];
    const seen = new Set<string>();
    let wall = W;
    let counter = -1;
    let sent: string | null = null;
    const pull = (): number => {
      const p = serve(rows, sent, limit);
      p.facts.forEach((f) => seen.add(f.hlc));
      sent = next(p, sent);
      return p.facts.length;
    };
    steps.forEach((write, i) => {
      if (!write) {
        pull();
        return;
      }
      // The reference's unpadded HLC; long runs in one millisecond, so counters pass 9.
      if (i % 29 === 28) [wall, counter] = [wall + 1, 0];
      else counter += 1;
      rows.push(`${wall}.${counter}`);
    });
    // Drain as the pull client does: until has_more is false.
    for (let i = 0; i < 1000; i++) {
      const p = serve(rows, sent, limit);
      pull();
      if (!p.has_more) break;
    }
    return { rows, seen };
  }

  it("fetches rows that commit later in the last millisecond (the naive cursor loses them)", () => {
    // Ten rows in one ms, two pulls (the second re-reads that ms), then an 11th row in it: "W.10" sorts before "W.9".
    const steps = [...new Array<boolean>(10).fill(true), false, false, true];
    const ours = simulate(steps, referenceNextCursor);
    expect([...ours.seen].sort()).toEqual([...ours.rows].sort());
    const naive = simulate(steps, (p, sent) => p.cursor ?? sent);
    expect(naive.seen.has(`${W}.10`)).toBe(false);
  });

  it("never skips a row while no millisecond holds more rows than a page, for any interleaving", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 400 }), (steps) => {
        const { rows, seen } = simulate(steps, referenceNextCursor);
        expect([...seen].sort()).toEqual([...rows].sort());
      }),
      fcParams,
    );
  });

  it("always progresses while has_more, even when pages are smaller than a millisecond's rows", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 400 }), fc.integer({ min: 1, max: 8 }), (steps, limit) => {
        simulate(
          steps,
          (p, sent) => {
            const next = referenceNextCursor(p, sent);
            if (p.has_more && sent !== null) expect(next !== null && next > sent).toBe(true);
            return next;
          },
          limit,
        );
      }),
      fcParams,
    );
  });
});
