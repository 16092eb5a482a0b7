/**
 * The words recall compares (core/recall/words.ts): stems, free-text words,
 * identifier words split the ways stores write them, spelled-out numbers.
 */
import { describe, expect, it } from "vitest";
import { identifierWords, numberForm, stem, textWords } from "../../src/core/recall/words.js";

describe("stem", () => {
  it("maps inflections of one word to one stem", () => {
    expect(stem("maintainer")).toBe("maintain");
    expect(stem("maintains")).toBe("maintain");
    expect(stem("location")).toBe("locat");
    expect(stem("located")).toBe("locat");
    expect(stem("risky")).toBe("risk");
  });
  it("leaves short words alone", () => {
    expect(stem("job")).toBe("job");
    expect(stem("is")).toBe("is");
  });
});

describe("identifierWords", () => {
  it.each([
    ["languagesSpoken", ["languages", "spoken"]],
    ["contract:renewal_date", ["contract", "renewal", "date"]],
    ["has-oncall", ["has", "oncall"]],
    ["HL7-ie", ["hl7", "ie"]],
    ["dataClass", ["data", "class"]],
    ["stigmem://mhn/svc/pay-gw", ["stigmem", "mhn", "svc", "pay", "gw"]],
  ])("%s → %j", (id, words) => {
    expect(identifierWords(id)).toEqual(words);
  });
});

describe("textWords and numberForm", () => {
  it("lowercases runs of letters and digits", () => {
    expect(textWords("Who's on-call?")).toEqual(["who", "s", "on", "call"]);
  });
  it("spells numbers up to twenty as digits", () => {
    expect(numberForm("one")).toBe("1");
    expect(numberForm("twenty")).toBe("20");
    expect(numberForm("lisbon")).toBe("lisbon");
  });
});
