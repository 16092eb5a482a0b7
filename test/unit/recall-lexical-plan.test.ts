/**
 * Which tokens the full-text query ranks by: rarest first within the
 * document budget, too-common ones left out, newest-first when nothing is
 * rare enough.
 */
import { describe, expect, it } from "vitest";
import { planLexical, RANK_BUDGET, SPARSE_BUDGET } from "../../src/core/recall/lexical-plan.js";

const df = (table: Record<string, number>) => (t: string) => table[t] ?? 0;

describe("planLexical", () => {
  it("ranks by every token of a small store", () => {
    expect(planLexical(["alice", "role"], df({ alice: 5, role: 2 }))).toEqual({ ranked: ["alice", "role"], broad: [], dense: [] });
  });

  it("keeps a token that is not stored yet (its count may be stale)", () => {
    expect(planLexical(["new", "role"], df({ role: 10 }))).toEqual({ ranked: ["new", "role"], broad: [], dense: [] });
  });

  it("takes the rarest tokens first and leaves the too-common ones out, in query order", () => {
    const plan = planLexical(["stigmem", "user", "alice", "role"], df({ stigmem: 1_000_000, user: 500_000, alice: 40, role: 15_000 }));
    expect(plan).toEqual({ ranked: ["alice", "role"], broad: ["stigmem", "user"], dense: ["role"] });
  });

  it("stays within the budget in total, not per token", () => {
    const half = Math.floor(RANK_BUDGET / 2);
    expect(planLexical(["a", "b", "c"], df({ a: half, b: half, c: half }))).toEqual({ ranked: ["a", "b"], broad: ["c"], dense: [] });
  });

  it("ranks nothing when even the rarest token is too common", () => {
    expect(planLexical(["user", "stigmem"], df({ user: RANK_BUDGET + 1, stigmem: 10 * RANK_BUDGET }))).toEqual({
      ranked: [],
      broad: ["user", "stigmem"],
      dense: [],
    });
  });

  it("marks the common ranked tokens dense once the rare ones have used the sparse budget", () => {
    const plan = planLexical(["identity", "service", "tier"], df({ identity: 30, service: 18_000, tier: 60 }));
    expect(plan).toEqual({ ranked: ["identity", "service", "tier"], broad: [], dense: ["service"] });
  });

  it("marks every ranked token past the sparse budget dense, in query order", () => {
    const plan = planLexical(["a", "b", "c"], df({ a: 1_500, b: 600, c: 6_000 }));
    expect(plan).toEqual({ ranked: ["a", "b", "c"], broad: [], dense: ["a", "c"] });
  });

  it("splits nothing when the tokens past the sparse budget match few rows", () => {
    const plan = planLexical(["a", "b"], df({ a: 100, b: SPARSE_BUDGET }));
    expect(plan).toEqual({ ranked: ["a", "b"], broad: [], dense: [] });
  });

  it("splits nothing when the dense tokens match at most twice as many rows as the sparse ones", () => {
    const plan = planLexical(["a", "b"], df({ a: 1_500, b: 3_000 }));
    expect(plan).toEqual({ ranked: ["a", "b"], broad: [], dense: [] });
  });

  it("marks the common tokens dense when the rare ones are stored nowhere (a question about nothing stored)", () => {
    const plan = planLexical(["origami", "crane", "steps"], df({ steps: 4_800 }));
    expect(plan).toEqual({ ranked: ["origami", "crane", "steps"], broad: [], dense: ["steps"] });
  });

  it("splits nothing when even the rarest ranked token is beyond the sparse budget", () => {
    const plan = planLexical(["a", "b"], df({ a: SPARSE_BUDGET + 1, b: 9_000 }));
    expect(plan).toEqual({ ranked: ["a", "b"], broad: [], dense: [] });
  });
});
