import { describe, expect, it } from "vitest";
import { isCoreError } from "../../../src/core/errors.js";
import { DEFAULT_SCOPE, isScope, parseScope, SCOPES } from "../../../src/core/scope.js";

describe("parseScope", () => {
  it.each(["local", "team", "company", "public"])("accepts %s", (s) => {
    expect(parseScope(s)).toBe(s);
    expect(isScope(s)).toBe(true);
  });

  it.each(["Public", "LOCAL", " team", "private", "", null, undefined, 1])("rejects %j", (s) => {
    let err: unknown;
    try {
      parseScope(s, "facts[0].scope");
    } catch (e) {
      err = e;
    }
    expect(isCoreError(err)).toBe(true);
    expect(err).toMatchObject({ code: "invalid_scope", field: "facts[0].scope" });
    expect(isScope(s)).toBe(false);
  });

  it("lists exactly four scopes and defaults to local", () => {
    expect(SCOPES).toEqual(["local", "team", "company", "public"]);
    expect(DEFAULT_SCOPE).toBe("local");
  });
});
