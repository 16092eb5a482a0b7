/**
 * How stores shorten words (core/recall/abbreviation.ts): prefixes,
 * contractions and initialisms as known answers, and the false friends they
 * must refuse.
 */
import { describe, expect, it } from "vitest";
import { abbreviates, initialismAt } from "../../src/core/recall/abbreviation.js";

describe("abbreviates", () => {
  it.each([
    ["ext", "extension", "prefix"],
    ["admin", "administer", "prefix"],
    ["pharm", "pharmacy", "prefix"],
    ["mgmt", "management", "contraction"],
    ["svc", "service", "contraction"],
    ["dept", "department", "contraction"],
    ["chg", "change", "contraction"],
    ["msg", "messages", "contraction"],
    ["cmte", "committee", "contraction"],
    ["iface", "interface", "contraction"],
    ["iface", "interfaces", "contraction"],
  ] as const)("%s abbreviates %s (%s)", (short, long, kind) => {
    expect(abbreviates(short, long)).toBe(kind);
  });

  it.each([
    ["name", "nickname"], // a word with vowels is no contraction
    ["gw", "gateway"], // two letters need other evidence
    ["ext", "text"], // first letters differ
    ["extension", "ext"], // the short form must be shorter
    ["sw2", "software"], // digits never abbreviate
    ["rto", "recovery"], // an initialism is not a contraction of one word
  ])("%s does not abbreviate %s", (short, long) => {
    expect(abbreviates(short, long)).toBeUndefined();
  });

  it("takes two-letter contractions only when allowed", () => {
    expect(abbreviates("gw", "gateway", true)).toBe("contraction");
    expect(abbreviates("pt", "patient", true)).toBe("contraction");
  });
});

describe("initialismAt", () => {
  const words = "who leads infection prevention and control at the laboratory information system".split(" ");
  it("spells consecutive first letters, skipping 'and' inside", () => {
    expect(initialismAt("ipc", words, 2)).toBe(4);
    expect(initialismAt("lis", words, 8)).toBe(3);
  });
  it("needs the run to start where asked and every word spelled", () => {
    expect(initialismAt("ipc", words, 1)).toBe(0);
    expect(initialismAt("lisx", words, 8)).toBe(0);
  });
  it("never spells with short words, skips at the start, or digits", () => {
    expect(initialismAt("ao", ["a", "one"], 0)).toBe(0);
    expect(initialismAt("ac", ["and", "control"], 0)).toBe(0);
    expect(initialismAt("i2", ["infection", "two"], 0)).toBe(0);
  });
  it("skips no preposition but 'and', 'of', 'the'", () => {
    expect(initialismAt("lis", ["lumen", "imaging", "for", "support"], 0)).toBe(0);
  });
});
