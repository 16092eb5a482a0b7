/**
 * MMR similarity (protocol.md §9 stage 6): triple, entity (named or not),
 * same relation and value, then cosine.
 */
import { describe, expect, it } from "vitest";
import { cosine, SAME_NAMED_ENTITY, SAME_VALUE, sameEntitySimilarity, squaredNorm } from "../../src/core/recall/similarity.js";

const v = (...xs: number[]) => Float32Array.from(xs);
const item = (entity: string, relation: string, scope = "local") => ({ entity, relation, scope });

describe("sameEntitySimilarity", () => {
  it("is 1 for the same triple and 0.5 for the same entity", () => {
    expect(sameEntitySimilarity(item("a", "r"), item("a", "r"))).toBe(1);
    expect(sameEntitySimilarity(item("a", "r"), item("a", "s"))).toBe(0.5);
    expect(sameEntitySimilarity(item("a", "r", "local"), item("a", "r", "public"))).toBe(0.5);
  });

  it("leaves items of different entities to the cosine", () => {
    expect(sameEntitySimilarity(item("a", "r"), item("b", "r"))).toBeUndefined();
  });

  it("finds the facts of an entity the question names barely alike", () => {
    expect(sameEntitySimilarity(item("a", "r"), item("a", "s"), (e) => e === "a")).toBe(SAME_NAMED_ENTITY);
    expect(sameEntitySimilarity(item("a", "r"), item("a", "r"), (e) => e === "a")).toBe(1);
  });

  it("finds the same relation and value on two entities nearly the same answer", () => {
    const x = { entity: "a", relation: "infra:runs_on", scope: "s", value: "PostgreSQL 15" };
    expect(sameEntitySimilarity(x, { ...x, entity: "b" })).toBe(SAME_VALUE);
    expect(sameEntitySimilarity(x, { ...x, entity: "b", value: "Oracle" })).toBeUndefined();
    expect(sameEntitySimilarity(x, { ...x, entity: "b", relation: "other" })).toBeUndefined();
  });
});

describe("cosine", () => {
  it.each([
    [v(1, 0), v(2, 0), 1],
    [v(1, 0), v(0, 3), 0],
    [v(1, 0), v(-1, 0), 0], // opposite directions clamp to 0
    [v(0, 0), v(1, 0), 0],
    [v(1, 2, 3), v(1, 2), 0], // different lengths
    [v(), v(), 0],
  ])("%o · %o → %d", (a, b, expected) => {
    expect(cosine(a, b)).toBeCloseTo(expected, 6);
  });
});

describe("squaredNorm", () => {
  it("gives cosine the same result as computing the norms itself", () => {
    const a = v(0.1, -0.7, 0.3, 0.25);
    const b = v(0.9, 0.2, -0.05, 0.4);
    expect(squaredNorm(v(3, 4))).toBe(25);
    expect(cosine(a, b, squaredNorm(a), squaredNorm(b))).toBe(cosine(a, b));
  });
});
