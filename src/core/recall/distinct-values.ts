/**
 * @module core/recall/distinct-values
 *
 * Distinct-value grouping for questions that list a relation ("who is on
 * call?", "what does each system run on?", protocol.md §9 stage 6): when
 * many entities share one value, five copies of it must not fill the top.
 * The items of the listed relations are grouped by (relation, value); the
 * best item of each group goes first, carrying the group's size, and the
 * others follow only after every group has had its turn.
 */

/** What grouping needs of an item. */
export interface Grouped {
  readonly relation: string;
  /** The value's text; null for an item that is no single fact (a card). */
  readonly value: string | null;
}

/** Items in groups: the best of each group first (`lead`, in input order), then the rest (`later`, in input order). */
export interface DistinctValues<T> {
  readonly lead: T[];
  readonly later: T[];
  /** Group size of each leading item whose value other items share (≥ 2). */
  readonly sizes: Map<T, number>;
}

/**
 * Splits `items` (best first) by distinct (relation, value) among the
 * `listed` relations; values compare case- and space-insensitively. Items
 * of other relations all lead.
 *
 * @example
 * distinctValues([oncallA, oncallB /* same person *\/, oncallC], new Set(["has-oncall"]), (i) => i);
 * // { lead: [oncallA, oncallC], later: [oncallB], sizes: Map { oncallA → 2 } }
 */
export function distinctValues<T>(items: readonly T[], listed: ReadonlySet<string>, of: (item: T) => Grouped): DistinctValues<T> {
  const lead: T[] = [];
  const later: T[] = [];
  const sizes = new Map<T, number>();
  const first = new Map<string, T>();
  for (const item of items) {
    const g = of(item);
    if (!listed.has(g.relation) || g.value === null) {
      lead.push(item);
      continue;
    }
    const key = `${g.relation}\u0000${g.value.trim().toLowerCase().replace(/\s+/g, " ")}`;
    const head = first.get(key);
    if (head === undefined) {
      first.set(key, item);
      lead.push(item);
    } else {
      later.push(item);
      sizes.set(head, (sizes.get(head) ?? 1) + 1);
    }
  }
  return { lead, later, sizes };
}
