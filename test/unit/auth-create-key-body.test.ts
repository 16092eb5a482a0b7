/**
 * The REST body of POST /v1/auth/keys: wrong JSON types are 422 in
 * FastAPI's `detail[]` shape, every offending field listed; well-typed
 * bodies become use-case input (values are checked by the use case).
 */
import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/node/app-error.js";
import { parseCreateKeyBody } from "../../src/transport/rest/auth-handlers.js";

function violations(body: unknown): [unknown[], string][] {
  try {
    parseCreateKeyBody(body);
  } catch (e) {
    if (isAppError(e)) return (e).violations.map((v) => [[...v.loc], v.type]);
    throw e;
  }
  throw new Error("expected a validation error");
}

describe("parseCreateKeyBody", () => {
  it.each([
    ["an array", [], [[["body"], "model_attributes_type"]]],
    ["null", null, [[["body"], "model_attributes_type"]]],
    ["no entity_uri", {}, [[["body", "entity_uri"], "missing"]]],
    ["a numeric entity_uri", { entity_uri: 5 }, [[["body", "entity_uri"], "string_type"]]],
    ["permissions as a string", { entity_uri: "a:b", permissions: "read" }, [[["body", "permissions"], "list_type"]]],
    ["permissions null", { entity_uri: "a:b", permissions: null }, [[["body", "permissions"], "list_type"]]],
    ["a numeric permission", { entity_uri: "a:b", permissions: ["read", 7] }, [[["body", "permissions", 1], "string_type"]]],
    ["allowed_scopes as an object", { entity_uri: "a:b", allowed_scopes: {} }, [[["body", "allowed_scopes"], "list_type"]]],
    ["a numeric raw_key", { entity_uri: "a:b", raw_key: 12 }, [[["body", "raw_key"], "string_type"]]],
    ["another tenant", { entity_uri: "a:b", tenant_id: "acme" }, [[["body", "tenant_id"], "literal_error"]]],
    [
      "several problems at once",
      { entity_uri: 1, description: 2, expires_at: false },
      [
        [["body", "entity_uri"], "string_type"],
        [["body", "description"], "string_type"],
        [["body", "expires_at"], "string_type"],
      ],
    ],
  ])("refuses %s", (_label, body, expected) => {
    expect(violations(body)).toEqual(expected);
  });

  it("maps a full body, and reads null raw_key/allowed_scopes as absent", () => {
    expect(
      parseCreateKeyBody({
        raw_key: null,
        entity_uri: "Agent:X",
        permissions: ["read"],
        allowed_scopes: null,
        description: "d",
        expires_at: "2030-01-01T00:00:00Z",
        tenant_id: "default",
      }),
    ).toEqual({
      rawKey: undefined,
      entityUri: "Agent:X",
      permissions: ["read"],
      allowedScopes: null,
      description: "d",
      expiresAt: "2030-01-01T00:00:00Z",
    });
    expect(parseCreateKeyBody({ entity_uri: "a:b" })).toMatchObject({ permissions: undefined, allowedScopes: undefined });
  });
});
