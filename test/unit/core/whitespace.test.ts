import { describe, expect, it } from "vitest";
import { collapsePyWhitespace, isPyWhitespace, pyStrip } from "../../../src/core/whitespace.js";

// Exactly the code points for which CPython 3.11 str.isspace() is True.
const PY_WHITESPACE = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

describe("isPyWhitespace", () => {
  it("matches Python's set over the whole BMP", () => {
    const got: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isPyWhitespace(String.fromCharCode(c))) got.push(c);
    expect(got).toEqual(PY_WHITESPACE);
  });

  it("differs from JS \\s where the protocol says it does", () => {
    expect(isPyWhitespace("\uFEFF")).toBe(false);
    expect(/\s/.test("\uFEFF")).toBe(true);
    expect(isPyWhitespace("\x1C")).toBe(true);
    expect(/\s/.test("\x1C")).toBe(false);
    expect(isPyWhitespace("\u0085")).toBe(true);
    expect(/\s/.test("\u0085")).toBe(false);
  });
});

describe("pyStrip / collapsePyWhitespace", () => {
  it.each([
    ["  a b  ", "a b"],
    ["\uFEFFa\uFEFF", "\uFEFFa\uFEFF"],
    ["\x1C\x1Fa\u0085", "a"],
    ["\u3000", ""],
    ["", ""],
  ])("pyStrip(%j) = %j", (s, want) => {
    expect(pyStrip(s)).toBe(want);
  });

  it("strips a long inner whitespace run in linear time", () => {
    const s = `a${" ".repeat(200_000)}b`;
    const t0 = Date.now();
    expect(pyStrip(s)).toBe(s);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it.each([
    ["a \t\n b", "a-b"],
    ["a\u00A0\u1680b c", "a-b-c"],
    [" a ", "-a-"],
    ["a\uFEFFb", "a\uFEFFb"],
  ])("collapse(%j) = %j", (s, want) => {
    expect(collapsePyWhitespace(s, "-")).toBe(want);
  });
});
