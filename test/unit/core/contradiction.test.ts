/** Known answers of the contradiction rules (protocol.md §6). */
import { describe, expect, it } from "vitest";
import { conflictsOnInsert, judgeTriple, valueKey, type HeadFacts } from "../../../src/core/contradiction.js";

function h(id: string, source: string, value: string, over: Partial<HeadFacts> = {}): HeadFacts {
  return {
    id,
    source,
    valueKey: valueKey("string", value),
    confidence: 1,
    origin_hlc: { wall: Number(id.replace(/\D/g, "") || 1), counter: 0 },
    origin_node_id: "stigmem:node:a",
    cid: `sha256:${id}`,
    ...over,
  };
}

describe("valueKey", () => {
  it("tells types apart: the number 1 and the string 1 are different values", () => {
    expect(valueKey("number", "1")).not.toBe(valueKey("string", "1"));
    expect(valueKey("string", "x")).toBe("string:x");
  });
});

describe("judgeTriple", () => {
  it.each<[string, HeadFacts[], boolean, string | null]>([
    ["an empty view", [], false, null],
    ["one head", [h("1", "s:a", "x")], false, "string:x"],
    ["two heads, one value", [h("1", "s:a", "x"), h("2", "s:b", "x")], false, "string:x"],
    ["two values: the later wins at equal confidence", [h("1", "s:a", "x"), h("2", "s:b", "y")], true, "string:y"],
    ["two values: higher confidence wins over later", [h("1", "s:a", "x", { confidence: 0.9 }), h("2", "s:b", "y", { confidence: 0.8 })], true, "string:x"],
    [
      "equal confidence and HLC: the greater origin node wins",
      [h("1", "s:a", "x", { origin_node_id: "stigmem:node:b" }), h("1b", "s:b", "y", { origin_hlc: { wall: 1, counter: 0 } })],
      true,
      "string:x",
    ],
  ])("%s", (_what, heads, contradicted, winner) => {
    expect(judgeTriple(heads)).toEqual({ contradicted, winnerKey: winner });
  });
});

describe("conflictsOnInsert", () => {
  const ids = (xs: HeadFacts[]) => xs.map((x) => x.id);
  it.each<[string, HeadFacts, HeadFacts[], HeadFacts | undefined, string[], string[]]>([
    ["another source, another value", h("9", "s:b", "y"), [h("1", "s:a", "x")], undefined, [], ["1"]],
    ["another source, the same value", h("9", "s:b", "x"), [h("1", "s:a", "x")], undefined, [], []],
    ["the same source is an update", h("9", "s:a", "y"), [h("1", "s:a", "x")], h("1", "s:a", "x"), ["1"], []],
    ["a retraction never conflicts", h("9", "s:b", "y", { confidence: 0 }), [h("1", "s:a", "x")], undefined, [], []],
    ["a retracted head never conflicts", h("9", "s:b", "y"), [h("1", "s:a", "x", { confidence: 0 })], undefined, [], []],
    [
      "a concurrent own-chain head from another origin",
      h("9", "s:a", "y", { origin_node_id: "stigmem:node:b" }),
      [],
      h("1", "s:a", "x"),
      [],
      ["1"],
    ],
    [
      "an own-chain head the new fact declares superseded",
      h("9", "s:a", "y", { origin_node_id: "stigmem:node:b" }),
      [],
      h("1", "s:a", "x"),
      ["1"],
      [],
    ],
    ["each head once, even when both rules name it", h("9", "s:b", "y", { origin_node_id: "stigmem:node:b" }), [h("1", "s:a", "x")], h("1", "s:a", "x"), [], ["1"]],
  ])("%s", (_what, n, view, own, supersedes, expected) => {
    expect(ids(conflictsOnInsert(n, view, own, supersedes))).toEqual(expected);
  });
});
