/**
 * The breadth-first walk behind recall's graph channel and the neighbors
 * route, and relation globs.
 */
import { describe, expect, it } from "vitest";
import { relationGlob, walkGraph, type WalkEdge } from "../../src/core/recall/graph-walk.js";

/** Directed edges [from, relation, to], walked both ways as the store does. */
function graph(edges: [string, string, string, number?][]): (e: string) => WalkEdge[] {
  return (entity) => [
    ...edges.filter(([f]) => f === entity).map(([, relation, to, c]) => ({ to, relation, confidence: c ?? 1, sourceTrust: 1 })),
    ...edges.filter(([, , t]) => t === entity).map(([from, relation, , c]) => ({ to: from, relation, confidence: c ?? 1, sourceTrust: 1 })),
  ];
}

const chain = graph([
  ["a", "memory:knows", "b"],
  ["b", "memory:knows", "c"],
  ["c", "memory:knows", "d"],
]);

describe("walkGraph", () => {
  it("reaches each entity once at its smallest hop count, both directions", () => {
    const r = walkGraph(["b"], { depth: 3, maxEntities: 50, edgesOf: chain });
    expect(r.map((x) => [x.entity, x.hops])).toEqual([
      ["b", 0],
      ["a", 1],
      ["c", 1],
      ["d", 2],
    ]);
    expect(r.find((x) => x.entity === "d")!.path).toEqual(["b", "c", "d"]);
  });

  it("stops at the depth", () => {
    expect(walkGraph(["a"], { depth: 1, maxEntities: 50, edgesOf: chain }).map((x) => x.entity)).toEqual(["a", "b"]);
    expect(walkGraph(["a"], { depth: 3, maxEntities: 50, edgesOf: chain }).map((x) => x.entity)).toEqual(["a", "b", "c", "d"]);
  });

  it("stops at the entity cap, seeds included", () => {
    const star = graph(Array.from({ length: 100 }, (_, i) => ["hub", "rel:x", `n${String(i).padStart(3, "0")}`] as [string, string, string]));
    const r = walkGraph(["hub"], { depth: 2, maxEntities: 50, edgesOf: star });
    expect(r).toHaveLength(50);
    expect(r[1]!.entity).toBe("n000"); // deterministic: code point order
  });

  it("traverses reified relationships naturally (subject ← rel → object is two hops)", () => {
    const reified = graph([
      ["rel:1", "rel:subject", "user:alice"],
      ["rel:1", "rel:object", "project:atlas"],
    ]);
    const r = walkGraph(["user:alice"], { depth: 2, maxEntities: 50, edgesOf: reified });
    expect(r.map((x) => [x.entity, x.hops])).toEqual([
      ["user:alice", 0],
      ["rel:1", 1],
      ["project:atlas", 2],
    ]);
  });

  it("prefers the stronger of two edges to the same entity", () => {
    const g = graph([
      ["a", "r:weak", "b", 0.2],
      ["a", "r:strong", "b", 0.9],
    ]);
    expect(walkGraph(["a"], { depth: 1, maxEntities: 5, edgesOf: g })[1]!.via!.relation).toBe("r:strong");
  });
});

describe("relationGlob", () => {
  it.each([
    ["memory:*", "memory:role", true],
    ["memory:*", "rel:manager", false],
    ["rel:sub?ect", "rel:subject", true],
    ["memory:role", "memory:role", true],
    ["memory:role", "memory:roles", false],
    ["a.b", "axb", false], // only * and ? are special
    ["*", "anything:at all", true],
  ])("%s ~ %s → %s", (glob, relation, expected) => {
    expect(relationGlob(glob)(relation)).toBe(expected);
  });
});
