/**
 * The client commands' tables: columns padded to the widest cell, numbers
 * right-aligned, long cells cut with an ellipsis (by code points), line
 * breaks inside a cell flattened so a row stays one line.
 */
import { describe, expect, it } from "vitest";
import { clip, renderTable } from "../../../src/cli/table.js";

describe("clip", () => {
  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["eleven char", 10, "eleven ch…"],
    ["Zürich–Genève", 6, "Züric…"],
    ["🙂🙂🙂", 2, "🙂…"],
  ])("clip(%j, %i) = %j", (s, max, want) => {
    expect(clip(s, max)).toBe(want);
  });
});

describe("renderTable", () => {
  it("pads, right-aligns numbers, cuts long cells and styles only the header", () => {
    const out = renderTable(
      [{ header: "NAME", max: 8 }, { header: "N", align: "right" }, { header: "NOTE" }],
      [
        ["alice", "1.5", "multi\nline"],
        ["bartholomew", "12", ""],
      ],
      (s) => `<${s}>`,
    );
    expect(out).toBe("<NAME        N  NOTE>\nalice     1.5  multi line\nbarthol…   12\n");
  });

  it("prints only the header for no rows", () => {
    expect(renderTable([{ header: "A" }, { header: "B" }], [])).toBe("A  B\n");
  });
});
