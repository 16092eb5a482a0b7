/**
 * The read rules' attributes of a committed fact row, for the JavaScript
 * rendering of a condition (core/access/condition-js.ts): a watcher tests
 * each fact of a commit in memory, with the same condition the feed read
 * renders as SQL (node/access/read-rules.ts `watchCondition`). Only the
 * fact's own columns are answered; view attributes (chain head, winner)
 * belong to no watch condition and are refused rather than answered wrong.
 *
 * @module
 */
import type { FactAttribute, Scalar } from "../../core/access/condition.js";
import { compilePredicate } from "../../core/access/condition-js.js";
import type { Condition } from "../../core/access/condition.js";
import type { FactRow } from "../../store/fact-row.js";

function attributeOf(row: FactRow, attr: FactAttribute): Scalar {
  switch (attr) {
    case "entity":
      return row.entity;
    case "relation":
      return row.relation;
    case "source":
      return row.source;
    case "scope":
      return row.scope;
    case "garden_id":
      return row.garden_id;
    case "quarantine":
      return row.quarantine;
    case "confidence":
      return row.confidence;
    case "valid_until_ms":
      return row.valid_until_ms;
    case "interpret_as":
      return row.interpret_as;
    case "received_from":
      return row.received_from;
    case "derived_from":
      return row.derived_from;
    case "head_live":
    case "is_head":
    case "winner":
      throw new Error(`a committed row does not carry the view attribute "${attr}"`);
  }
}

/** The rows `cond` selects, tested in memory: exactly those its SQL rendering would select. */
export function rowPredicate(cond: Condition): (row: FactRow) => boolean {
  return compilePredicate(cond, attributeOf);
}
