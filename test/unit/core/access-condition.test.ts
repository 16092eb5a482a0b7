/** The condition language of the read rules: its SQL text, and a JavaScript predicate with SQL's NULL semantics. */
import { describe, expect, it } from "vitest";
import {
  and,
  atLeast,
  eq,
  FALSE,
  greater,
  isNull,
  isSet,
  not,
  oneOf,
  or,
  startsWith,
  TRUE,
  type Condition,
  type FactAttribute,
} from "../../../src/core/access/condition.js";
import { compilePredicate } from "../../../src/core/access/condition-js.js";
import { renderSql, type AttributeColumns } from "../../../src/core/access/condition-sql.js";

const COLUMNS: AttributeColumns = {
  scope: "f.scope",
  garden_id: "f.garden_id",
  confidence: "f.confidence",
  valid_until_ms: "f.valid_until_ms",
  head_live: "hh.live = 1",
  relation: "f.relation",
};

describe("renderSql", () => {
  it.each<[string, Condition, string, Record<string, unknown>]>([
    ["true", TRUE, "1", {}],
    ["false", FALSE, "0", {}],
    ["equality", eq("scope", "company"), "f.scope = @acl0", { acl0: "company" }],
    ["a list", oneOf("scope", ["company", "public"]), "f.scope IN (@acl0, @acl1)", { acl0: "company", acl1: "public" }],
    ["a one-item list is an equality", oneOf("scope", ["team"]), "f.scope = @acl0", { acl0: "team" }],
    ["an empty list selects nothing", oneOf("scope", []), "0", {}],
    ["a flag is its predicate", isSet("head_live"), "hh.live = 1", {}],
    [
      "expiry",
      or(isNull("valid_until_ms"), greater("valid_until_ms", 5)),
      "(f.valid_until_ms IS NULL OR f.valid_until_ms > @acl0)",
      { acl0: 5 },
    ],
    [
      "a conjunction keeps its disjunctions grouped",
      and(isSet("head_live"), or(isNull("garden_id"), eq("garden_id", "g")), atLeast("confidence", 0.5)),
      "hh.live = 1 AND (f.garden_id IS NULL OR f.garden_id = @acl0) AND f.confidence >= @acl1",
      { acl0: "g", acl1: 0.5 },
    ],
    ["negation", not(eq("scope", "local")), "NOT (f.scope = @acl0)", { acl0: "local" }],
    ["a prefix counts code points", startsWith("relation", "stigmem:🎉"), "substr(f.relation, 1, @acl0) = @acl1", { acl0: 9, acl1: "stigmem:🎉" }],
  ])("%s", (_what, cond, sql, params) => {
    const bound: Record<string, unknown> = {};
    expect(renderSql(cond, COLUMNS, bound)).toBe(sql);
    expect(bound).toEqual(params);
  });

  it("refuses an attribute the reader's tables do not have", () => {
    expect(() => renderSql(isSet("winner"), COLUMNS, {})).toThrow(/winner/);
  });

  it("simplifies constant parts away", () => {
    expect(and(TRUE, eq("scope", "a"), TRUE)).toEqual(eq("scope", "a"));
    expect(and(eq("scope", "a"), FALSE)).toBe(FALSE);
    expect(or(FALSE, eq("scope", "a"))).toEqual(eq("scope", "a"));
    expect(or(eq("scope", "a"), TRUE)).toBe(TRUE);
    expect(and()).toBe(TRUE);
    expect(or()).toBe(FALSE);
  });
});

describe("compilePredicate", () => {
  type Row = Partial<Record<FactAttribute, string | number | boolean | null>>;
  const read = (row: Row, attr: FactAttribute) => row[attr];

  it.each<[string, Condition, Row, boolean]>([
    ["equality holds", eq("scope", "company"), { scope: "company" }, true],
    ["equality fails", eq("scope", "company"), { scope: "public" }, false],
    ["a comparison with NULL is not true", eq("garden_id", "g"), { garden_id: null }, false],
    ["nor is its negation", not(eq("garden_id", "g")), { garden_id: null }, false],
    ["IS NULL is two-valued", isNull("garden_id"), { garden_id: null }, true],
    ["OR with one true part is true despite a NULL", or(eq("garden_id", "g"), eq("scope", "a")), { garden_id: null, scope: "a" }, true],
    ["AND with a NULL part is not true", and(eq("scope", "a"), eq("garden_id", "g")), { scope: "a", garden_id: null }, false],
    ["NOT of (false AND NULL) is true", not(and(eq("scope", "b"), eq("garden_id", "g"))), { scope: "a", garden_id: null }, true],
    ["a flag set", isSet("head_live"), { head_live: true }, true],
    ["a flag as 1", isSet("head_live"), { head_live: 1 }, true],
    ["a flag unset", isSet("head_live"), { head_live: false }, false],
    ["greater than", greater("valid_until_ms", 5), { valid_until_ms: 6 }, true],
    ["not greater at equality", greater("valid_until_ms", 5), { valid_until_ms: 5 }, false],
    ["at least at equality", atLeast("confidence", 0.5), { confidence: 0.5 }, true],
    ["a list", oneOf("scope", ["a", "b"]), { scope: "b" }, true],
    ["a prefix", startsWith("relation", "stigmem:"), { relation: "stigmem:card" }, true],
    ["not a prefix", startsWith("relation", "stigmem:"), { relation: "memory:stigmem:" }, false],
  ])("%s", (_what, cond, row, expected) => {
    expect(compilePredicate(cond, read)(row)).toBe(expected);
  });
});
