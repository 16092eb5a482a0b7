import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES, CoreError, isCoreError } from "../../../src/core/errors.js";

describe("CoreError", () => {
  it("carries code, field and a message", () => {
    const e = new CoreError("invalid_scope", "scope", "bad scope");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("CoreError");
    expect(e.code).toBe("invalid_scope");
    expect(e.field).toBe("scope");
    expect(e.message).toBe("bad scope");
    expect(new CoreError("invalid_hlc").message).toBe("invalid_hlc");
    expect(new CoreError("invalid_hlc", "origin_hlc").message).toBe("invalid_hlc: origin_hlc");
  });

  it("survives a JSON round trip and is still recognized", () => {
    const json = JSON.parse(JSON.stringify(new CoreError("value_too_large", "value.v", "too big"))) as unknown;
    expect(json).toEqual({ name: "CoreError", code: "value_too_large", field: "value.v", message: "too big" });
    expect(isCoreError(json)).toBe(true);
  });

  it("isCoreError checks name and a known code, not the prototype", () => {
    expect(isCoreError({ name: "CoreError", code: "lone_surrogate" })).toBe(true);
    expect(isCoreError({ name: "CoreError", code: "made_up" })).toBe(false);
    expect(isCoreError({ name: "Error", code: "lone_surrogate" })).toBe(false);
    expect(isCoreError(new Error("x"))).toBe(false);
    expect(isCoreError(null)).toBe(false);
    expect(isCoreError("CoreError")).toBe(false);
  });

  it("has a closed, duplicate-free, snake_case code list", () => {
    expect(new Set(CORE_ERROR_CODES).size).toBe(CORE_ERROR_CODES.length);
    for (const c of CORE_ERROR_CODES) expect(c).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(CORE_ERROR_CODES).toEqual([
      "invalid_entity_uri",
      "value_too_large",
      "invalid_value",
      "invalid_value_type",
      "invalid_interpret_as",
      "invalid_scope",
      "invalid_confidence",
      "invalid_hlc",
      "invalid_timestamp",
      "lone_surrogate",
      "field_too_long",
    ]);
  });
});
