/**
 * Distinct-value grouping (core/recall/distinct-values.ts): for a question
 * listing a relation, one item per distinct value first, with its group's
 * size, the copies after.
 */
import { describe, expect, it } from "vitest";
import { distinctValues } from "../../src/core/recall/distinct-values.js";

interface Item {
  id: string;
  relation: string;
  value: string | null;
}
const it_ = (id: string, relation: string, value: string | null): Item => ({ id, relation, value });

describe("distinctValues", () => {
  const items = [
    it_("a", "infra:runs_on", "PostgreSQL 15"),
    it_("b", "infra:runs_on", "postgresql  15"),
    it_("c", "infra:runs_on", "Oracle 19c"),
    it_("d", "svc:desc", "PostgreSQL 15"),
    it_("e", "infra:runs_on", "PostgreSQL 15"),
    it_("f", "infra:runs_on", null),
  ];
  it("leads with the first item of each value of the listed relations, in order", () => {
    const r = distinctValues(items, new Set(["infra:runs_on"]), (i) => i);
    expect(r.lead.map((i) => i.id)).toEqual(["a", "c", "d", "f"]);
    expect(r.later.map((i) => i.id)).toEqual(["b", "e"]);
    expect(r.sizes.get(items[0]!)).toBe(3);
    expect(r.sizes.has(items[2]!)).toBe(false);
  });
  it("leaves everything in place when nothing is listed", () => {
    const r = distinctValues(items, new Set(), (i) => i);
    expect(r.lead).toEqual(items);
    expect(r.later).toEqual([]);
  });
});
