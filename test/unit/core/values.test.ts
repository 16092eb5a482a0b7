import { describe, expect, it } from "vitest";
import { isCoreError } from "../../../src/core/errors.js";
import {
  fromValueV,
  numberValueVCandidates,
  parseInterpretAs,
  parseValueType,
  toValueV,
  VALUE_TYPES,
  type RawValue,
} from "../../../src/core/values.js";

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return isCoreError(e) ? e.code : e;
  }
  return "no error";
}

describe("toValueV", () => {
  it.each<readonly [string, RawValue, string]>([
    ["string verbatim", { type: "string", v: "  CEO  " }, "  CEO  "],
    ["empty string", { type: "string", v: "" }, ""],
    ["text with newline and astral", { type: "text", v: "a\nb \u{1F600}" }, "a\nb \u{1F600}"],
    ["datetime verbatim", { type: "datetime", v: "2024-05-01T12:30:00+02:00" }, "2024-05-01T12:30:00+02:00"],
    ["ref verbatim (not normalized)", { type: "ref", v: "User:Bob Smith" }, "User:Bob Smith"],
    ["number 42", { type: "number", v: 42 }, "42"],
    ["number 42.0", { type: "number", v: 42.0 }, "42"],
    ["number 3.14", { type: "number", v: 3.14 }, "3.14"],
    ["number 1e-7", { type: "number", v: 1e-7 }, "1e-07"],
    ["number 1e16", { type: "number", v: 1e16 }, "1e+16"],
    ["number -0", { type: "number", v: -0 }, "0"],
    ["boolean true", { type: "boolean", v: true }, "true"],
    ["boolean false", { type: "boolean", v: false }, "false"],
    ["null with v null", { type: "null", v: null }, "null"],
    ["null without v", { type: "null" }, "null"],
  ])("%s", (_name, value, want) => {
    expect(toValueV(value)).toBe(want);
  });

  it.each<readonly [string, RawValue, string]>([
    ["string with a number v", { type: "string", v: 42 }, "invalid_value"],
    ["string with no v", { type: "string" }, "invalid_value"],
    ["lone surrogate", { type: "text", v: "a\uDC00" }, "lone_surrogate"],
    ["datetime not ISO", { type: "datetime", v: "yesterday" }, "invalid_value"],
    ["datetime Feb 30", { type: "datetime", v: "2024-02-30" }, "invalid_value"],
    ["empty ref", { type: "ref", v: "" }, "invalid_value"],
    ["blank ref", { type: "ref", v: " \u3000" }, "invalid_value"],
    ["number as string", { type: "number", v: "42" }, "invalid_value"],
    ["NaN", { type: "number", v: Number.NaN }, "invalid_value"],
    ["Infinity", { type: "number", v: Number.POSITIVE_INFINITY }, "invalid_value"],
    ["bigint", { type: "number", v: 42n }, "invalid_value"],
    ["boolean as string (ref truthiness)", { type: "boolean", v: "false" }, "invalid_value"],
    ["boolean as 1", { type: "boolean", v: 1 }, "invalid_value"],
    ["null with a value", { type: "null", v: "x" }, "invalid_value"],
    ["null with false", { type: "null", v: false }, "invalid_value"],
    ["unknown type", { type: "json" as never, v: "{}" }, "invalid_value_type"],
  ])("rejects %s", (_name, value, code) => {
    expect(codeOf(() => toValueV(value))).toBe(code);
  });

  it("limits value_v to 65,536 UTF-8 bytes, not UTF-16 units", () => {
    expect(toValueV({ type: "text", v: "a".repeat(65_536) })).toHaveLength(65_536);
    expect(codeOf(() => toValueV({ type: "text", v: "a".repeat(65_537) }))).toBe("value_too_large");
    // 32,768 × "é" is 65,536 bytes; one more ASCII char tips it over.
    expect(toValueV({ type: "string", v: "é".repeat(32_768) })).toHaveLength(32_768);
    expect(codeOf(() => toValueV({ type: "string", v: `${"é".repeat(32_768)}a` }))).toBe("value_too_large");
    expect(codeOf(() => toValueV({ type: "string", v: "\u{1F600}".repeat(16_385) }))).toBe("value_too_large");
  });

  it("names the field in the error", () => {
    let err: unknown;
    try {
      toValueV({ type: "boolean", v: "yes" }, "facts[3].value.v");
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: "CoreError", code: "invalid_value", field: "facts[3].value.v" });
  });
});

describe("fromValueV (readback)", () => {
  it.each<readonly [(typeof VALUE_TYPES)[number], string, unknown]>([
    ["number", "42", 42],
    ["number", "42.0", 42],
    ["number", "-3.14", -3.14],
    ["number", "1e-07", 1e-7],
    ["number", "1e+16", 1e16],
    ["number", "10000000000000000", 1e16],
    ["boolean", "true", true],
    ["boolean", "false", false],
    ["null", "null", null],
    ["null", "", null],
    ["string", "42", "42"],
    ["text", "true", "true"],
    ["datetime", "2024-05-01", "2024-05-01"],
    ["ref", "user:bob", "user:bob"],
  ])("%s %j → %j", (type, text, want) => {
    expect(fromValueV(type, text)).toEqual(want);
  });

  it.each<readonly [(typeof VALUE_TYPES)[number], string]>([
    ["number", ""],
    ["number", " 42"],
    ["number", "0x10"],
    ["number", "Infinity"],
    ["number", "NaN"],
    ["number", "1e999"],
    ["boolean", "True"],
    ["boolean", "1"],
  ])("rejects corrupt %s text %j", (type, text) => {
    expect(codeOf(() => fromValueV(type, text))).toBe("invalid_value");
  });

  it("reads back what toValueV stored, for every type", () => {
    const samples: RawValue[] = [
      { type: "string", v: "x" },
      { type: "text", v: "y" },
      { type: "datetime", v: "2024-01-01T00:00:00Z" },
      { type: "ref", v: "user:z" },
      { type: "number", v: 1.5e16 },
      { type: "number", v: 0.1 + 0.2 },
      { type: "boolean", v: false },
      { type: "null", v: null },
    ];
    for (const s of samples) expect(fromValueV(s.type, toValueV(s))).toEqual(s.v);
  });
});

describe("numberValueVCandidates (§4 ref ingest fallback)", () => {
  it.each([
    [42, ["42", "42.0"]],
    [-7, ["-7", "-7.0"]],
    [0, ["0", "0.0"]],
    [-0, ["0", "0.0", "-0.0"]],
    [1e15, ["1000000000000000", "1000000000000000.0"]],
    [1e16, ["1e+16", "10000000000000000", "10000000000000000.0"]],
    [1.5e16, ["1.5e+16", "15000000000000000", "15000000000000000.0"]],
    [3.14, ["3.14"]],
    [1e-7, ["1e-07"]],
  ])("%s → %j", (x, want) => {
    expect(numberValueVCandidates(x)).toEqual(want);
  });
});

describe("parseValueType / parseInterpretAs", () => {
  it.each(VALUE_TYPES)("accepts %s", (t) => {
    expect(parseValueType(t)).toBe(t);
  });

  it.each(["String", "int", "", null, 1])("rejects type %j", (t) => {
    expect(codeOf(() => parseValueType(t))).toBe("invalid_value_type");
  });

  it.each([
    [undefined, "content"],
    [null, "content"],
    ["content", "content"],
    ["instruction", "instruction"],
  ])("interpret_as %j → %s", (x, want) => {
    expect(parseInterpretAs(x)).toBe(want);
  });

  it.each(["Instruction", "", "system", 1])("rejects interpret_as %j", (x) => {
    expect(codeOf(() => parseInterpretAs(x))).toBe("invalid_interpret_as");
  });
});
