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
  /** The first 4 to {@link PREFIX_MAX} letters of every stem in `all`, for prefix matches ("postgres" in "PostgreSQL"). */
  readonly prefixes: ReadonlySet<string>;
}

/** Longest prefix kept of a row's stems. */
export const PREFIX_MAX = 10;

const known = new WeakMap<ScoringRow, RowWords>();

/** The stems of `row`'s words (see the module comment). */
export function rowWords(row: ScoringRow): RowWords {
  let w = known.get(row);
  if (w === undefined) {
    const value = new Set(textWords(row.value_v).map(stem));
    const all = new Set(value);
    for (const x of identifierWords(row.entity)) all.add(stem(x));
    for (const x of identifierWords(row.relation)) all.add(stem(x));
    const prefixes = new Set<string>();
    for (const x of all) for (let n = 4; n < x.length && n <= PREFIX_MAX; n++) prefixes.add(x.slice(0, n));
    w = { all, value, prefixes };
    known.set(row, w);
  }
  return w;
}

/**
 * Whether `row` holds the stem `s`: the same stem, or one a prefix of the
 * other, of four letters at least ("postgres" in "PostgreSQL 15").
 */
export function rowHolds(row: ScoringRow, s: string): boolean {
  const w = rowWords(row);
  if (w.all.has(s)) return true;
  if (s.length < 4) return false;
  if (s.length <= PREFIX_MAX && w.prefixes.has(s)) return true;
  for (let n = 4; n < s.length; n++) if (w.all.has(s.slice(0, n))) return true;
  return false;
}
