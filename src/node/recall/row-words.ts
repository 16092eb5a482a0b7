/**
 * The stemmed words of a fact as recall compares them with a question's
 * (signals.ts's coverage, structure.ts's value seeds): its entity id, its
 * relation name and its value. A fact's text never changes and recall's copy
 * of the view hands out the same row object while it keeps the row, so the
 * words are worked out once per row rather than once per question.
 *
 * @module
 */
import { identifierWords, stem, textWords } from "../../core/recall/words.js";
import type { ScoringRow } from "../../store/recall-rows.js";

/** A row's stems: all of them, and those of its value alone. */
export interface RowWords {
  readonly all: ReadonlySet<string>;
  readonly value: ReadonlySet<string>;
}

const known = new WeakMap<ScoringRow, RowWords>();

/** The stems of `row`'s words (see the module comment). */
export function rowWords(row: ScoringRow): RowWords {
  let w = known.get(row);
  if (w === undefined) {
    const value = new Set(textWords(row.value_v).map(stem));
    const all = new Set(value);
    for (const x of identifierWords(row.entity)) all.add(stem(x));
    for (const x of identifierWords(row.relation)) all.add(stem(x));
    w = { all, value };
    known.set(row, w);
  }
  return w;
}
