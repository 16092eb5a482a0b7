/** Validation paths in the application's camelCase names, reported in the wire's snake_case names. */
import { describe, expect, it } from "vitest";
import { validationMessage, wireName, wireValidationMessage, wireViolations } from "../../../src/transport/wire-names.js";

describe("wire names", () => {
  it.each([
    ["validUntil", "valid_until"],
    ["minConfidence", "min_confidence"],
    ["interpretAs", "interpret_as"],
    ["idempotencyKey", "idempotency_key"],
    ["entity", "entity"],
    ["v", "v"],
  ])("%s is %s on the wire", (domain, wire) => {
    expect(wireName(domain)).toBe(wire);
  });

  const violations = [
    { loc: ["body", "facts", 3, "value", "interpretAs"], msg: "Input should be 'content' or 'instruction'", type: "enum" },
    { loc: ["query", "minConfidence"], msg: "Input should be a valid number", type: "float_parsing" },
  ];

  it("renames every path segment and keeps list indexes as numbers", () => {
    expect(wireViolations(violations).map((v) => v.loc)).toEqual([
      ["body", "facts", 3, "value", "interpret_as"],
      ["query", "min_confidence"],
    ]);
  });

  it("rewrites a message that lists the fields, and keeps any other", () => {
    expect(wireValidationMessage(validationMessage(violations), violations)).toBe(
      "body.facts.3.value.interpret_as: Input should be 'content' or 'instruction'; query.min_confidence: Input should be a valid number",
    );
    expect(wireValidationMessage("request body is not valid JSON", violations)).toBe("request body is not valid JSON");
  });
});
