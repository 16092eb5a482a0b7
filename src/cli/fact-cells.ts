/**
 * How the client commands show facts in a table: the value as a person
 * reads it (strings bare, refs with an arrow) and the columns of a fact
 * listing.
 *
 * @module
 */
import type { Fact, FactValue } from "@stigmem/sdk";
import type { Column } from "./table.js";

/** A value for a table cell. */
export function cellValue(v: FactValue): string {
  return v.type === "ref" ? `→ ${v.v}` : String(v.v);
}

/** The columns of a fact listing; the id is last and never cut, to be copied. */
export const FACT_COLUMNS: readonly Column[] = [
  { header: "ENTITY", max: 32 },
  { header: "RELATION", max: 28 },
  { header: "VALUE", max: 40 },
  { header: "SOURCE", max: 24 },
  { header: "SCOPE" },
  { header: "CONF", align: "right" },
  { header: "STATE" },
  { header: "ID" },
];

/** One row per fact, in {@link FACT_COLUMNS} order. */
export function factRows(facts: readonly Fact[]): string[][] {
  return facts.map((f) => [
    f.entity,
    f.relation,
    cellValue(f.value),
    f.source,
    f.scope,
    String(f.confidence),
    `${f.state ?? "current"}${f.contradicted ? " (contradicted)" : ""}`,
    f.id,
  ]);
}
