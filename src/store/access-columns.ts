/**
 * Where each fact attribute of the read rules (core/access/condition.ts)
 * lives in the tables of each kind of read. The rules are rendered against
 * one of these maps, so a rule is written once and every query shape asks
 * the same question of its own columns.
 *
 * @module
 */
import type { AttributeColumns } from "../core/access/condition-sql.js";

/** Attributes read from the fact row `alias` alone. */
function factColumns(alias: string): AttributeColumns {
  return {
    entity: `${alias}.entity`,
    relation: `${alias}.relation`,
    source: `${alias}.source`,
    scope: `${alias}.scope`,
    garden_id: `${alias}.garden_id`,
    quarantine: `${alias}.quarantine`,
    confidence: `${alias}.confidence`,
    valid_until_ms: `${alias}.valid_until_ms`,
    interpret_as: `${alias}.interpret_as`,
    received_from: `${alias}.received_from`,
    derived_from: `${alias}.derived_from`,
  };
}

/**
 * Current-view reads: `fact_heads hh JOIN facts f ON f.rowid = hh.head_rowid`
 * with the triple as `t`. The chain's key columns are read from `hh`, whose
 * indexes serve them; every row is a head.
 */
export const VIEW_COLUMNS: AttributeColumns = {
  ...factColumns("f"),
  entity: "hh.entity",
  relation: "hh.relation",
  source: "hh.source",
  scope: "hh.scope",
  head_live: "hh.live = 1",
  is_head: "1",
  // A triple without a verdict row is uncontradicted (fact-store.ts).
  winner: "(t.contradicted IS NOT 1 OR hh.value_key = t.winner_key)",
};

/**
 * History reads: `facts f` with fact-store.ts's `FACT_JOINS` (`h` the chain
 * head row when `f` is one, `t` its triple). For a fact that is no head the
 * head flags are NULL, which no rule reads as true.
 */
export const HISTORY_COLUMNS: AttributeColumns = {
  ...factColumns("f"),
  head_live: "h.live = 1",
  is_head: "h.head_rowid IS NOT NULL",
  winner: "(t.contradicted IS NOT 1 OR h.value_key = t.winner_key)",
};

/** The two facts of a conflict record, `fa` and `fb`: access rules only (any state). */
export const CONFLICT_FACT_A_COLUMNS: AttributeColumns = factColumns("fa");
export const CONFLICT_FACT_B_COLUMNS: AttributeColumns = factColumns("fb");
