import { describe, expect, it } from "vitest";
import { servedScopes } from "../../../src/core/federation/served-scopes.js";

describe("servedScopes", () => {
  it.each<[string[], string[], boolean, string[]]>([
    [["company", "public"], ["company", "public"], false, ["company", "public"]],
    [["company", "public"], ["public"], false, ["public"]],
    [["public"], ["company", "public"], false, ["public"]],
    [["public", "local"], ["public", "local"], false, ["public"]],
    [["team", "public"], ["team", "public"], false, ["public"]],
    [["team", "public"], ["team", "public"], true, ["team", "public"]],
    [["company"], ["public"], false, []],
    [[], ["public"], false, []],
    [["public", "Public", "everything"], ["Public", "everything", "public"], true, ["public"]],
  ])("peer %j ∩ token %j (team %s) → %j", (peer, token, allowTeam, want) => {
    expect(servedScopes(peer, token, { allowTeam })).toEqual(want);
  });
});
