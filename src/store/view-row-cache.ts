/**
 * Recall's in-memory copy of the facts it scores, and of which of them are
 * live chain heads. A fact's columns never change (facts are append-only);
 * only its place in the view does, and every change to that goes through
 * {@link FactStore}'s projection writers, which name the entity they touch.
 * So a copy stays exact as long as its entity is dropped on every such
 * write ({@link ViewRowCache.invalidate}) and everything is dropped when
 * another connection commits ({@link ViewRowCache.sync}).
 *
 * Reading a scoring row from SQLite costs ~7 µs (three index probes and
 * thirteen columns turned into JavaScript values); a recall reads several
 * hundred, most of them the same from one recall to the next.
 *
 * @module
 */
import { attributesOf, type Condition, type FactAttribute } from "../core/access/condition.js";
import { compilePredicate } from "../core/access/condition-js.js";
import type { FactRow } from "./fact-store.js";
import type { CachedFact, ScoringRow } from "./recall-rows.js";
import type { ViewFilter } from "./view-filter.js";

/**
 * The read rules' attributes of a kept fact. Only live heads carry their
 * columns (a fact that is no live head is in no view, whatever else it is),
 * and the copy keeps no triple verdict, so a condition that asks which value
 * won is refused rather than answered wrong.
 */
function attributeOf(fact: CachedFact, attr: FactAttribute): string | number | boolean | null {
  const r = fact.row;
  if (attr === "head_live") return r !== null;
  if (r === null) return null;
  switch (attr) {
    case "entity":
      return r.entity;
    case "relation":
      return r.relation;
    case "source":
      return r.source;
    case "scope":
      return r.scope;
    case "confidence":
      return r.confidence;
    case "interpret_as":
      return r.interpret_as;
    case "valid_until_ms":
      return fact.validUntilMs;
    case "garden_id":
      return fact.gardenId;
    case "quarantine":
      return fact.quarantine;
    case "is_head":
      return true;
    case "winner":
    case "received_from":
    case "derived_from":
      throw new Error(`recall's copy of the view does not keep the fact attribute "${attr}"`);
  }
}

type FactPredicate = (fact: CachedFact) => boolean;

/** Each view condition compiled once: a recall's reads share one condition object. */
const compiled = new WeakMap<Condition, FactPredicate>();

/** Whether the view `v` holds `fact`: the same condition that recall-store.ts's `viewWhere` renders as SQL. */
export function inView(fact: CachedFact, v: ViewFilter): fact is CachedFact & { readonly row: ScoringRow } {
  let readable = compiled.get(v.readable);
  if (readable === undefined) {
    readable = compilePredicate(v.readable, attributeOf);
    compiled.set(v.readable, readable);
  }
  const r = fact.row;
  return (
    r !== null &&
    r.scope === v.scope &&
    (v.entity === undefined || r.entity === v.entity) &&
    (v.relation === undefined || r.relation === v.relation) &&
    readable(fact)
  );
}

/** Whether recall's copy can judge a view condition: it keeps no triple verdict nor where an ingested fact came from. */
const answerable = new WeakMap<Condition, boolean>();

/** Whether {@link inView} can answer the condition `c` (it names no attribute the copy lacks). */
export function copyAnswers(c: Condition): boolean {
  let known = answerable.get(c);
  if (known === undefined) {
    const attrs = attributesOf(c);
    known = !attrs.has("winner") && !attrs.has("received_from");
    answerable.set(c, known);
  }
  return known;
}

/** Rows kept by default (`STIGMEM_RECALL_CACHE_ROWS`): ~50–100 MB. */
export const DEFAULT_CACHED_ROWS = 131_072;
/** Most rows that may be configured. */
export const MAX_CACHED_ROWS = 16_777_216;

interface EntityGroup {
  readonly rowids: number[];
  /** The entity's live heads in every scope, best first (recall-store.ts's entity order); unset until read. */
  heads?: readonly CachedFact[];
}

export class ViewRowCache {
  /** By entity, oldest first: eviction drops whole entities, so invalidation stays exact. */
  private readonly groups = new Map<string, EntityGroup>();
  private readonly facts = new Map<number, CachedFact>();
  /** Whole rows that recall served after checking their CID. */
  private readonly served = new Map<number, FactRow>();

  /** @param maxRows most rows kept; 0 keeps nothing (every read goes to the file). */
  constructor(readonly maxRows = DEFAULT_CACHED_ROWS) {}

  get(rowid: number): CachedFact | undefined {
    return this.facts.get(rowid);
  }

  put(fact: CachedFact): void {
    if (this.maxRows === 0 || this.facts.has(fact.rowid)) return;
    this.facts.set(fact.rowid, fact);
    this.track(fact.rowid, fact.entity);
  }

  /**
   * A whole row read from the file and found to match its CID, projections
   * included: kept exact like the rest, and re-checked when it is read from
   * the file again (after its entity changed, another connection committed,
   * or it was evicted).
   */
  verified(rowid: number): FactRow | undefined {
    return this.served.get(rowid);
  }

  putVerified(row: FactRow): void {
    if (this.maxRows === 0 || this.served.has(row.rowid)) return;
    this.served.set(row.rowid, row);
    this.track(row.rowid, row.entity);
  }

  /** The live heads of `entity` in every scope, best first, if known. */
  heads(entity: string): readonly CachedFact[] | undefined {
    return this.groups.get(entity)?.heads;
  }

  /** Remembers `heads` as all the live heads of `entity`, best first. */
  putHeads(entity: string, heads: readonly CachedFact[]): void {
    if (this.maxRows === 0) return;
    for (const h of heads) this.put(h);
    this.group(entity).heads = heads;
  }

  /** Forgets everything about `entity`: one of its facts entered, left or changed its place in the view. */
  invalidate(entity: string): void {
    const g = this.groups.get(entity);
    if (g === undefined) return;
    for (const rowid of g.rowids) {
      this.facts.delete(rowid);
      this.served.delete(rowid);
    }
    this.groups.delete(entity);
  }

  /** Forgets everything: another connection committed, so anything may have changed. */
  clear(): void {
    this.facts.clear();
    this.served.clear();
    this.groups.clear();
  }

  /** Rows held, scoring and whole. */
  get size(): number {
    return this.facts.size + this.served.size;
  }

  /** Files a row just kept under its entity, so that dropping the entity drops it, and makes room. */
  private track(rowid: number, entity: string): void {
    this.group(entity).rowids.push(rowid);
    this.evictIfFull();
  }

  private group(entity: string): EntityGroup {
    let g = this.groups.get(entity);
    if (g === undefined) {
      g = { rowids: [] };
      this.groups.set(entity, g);
    }
    return g;
  }

  /** Past the limit, drops the oldest entities until an eighth of the room is free. */
  private evictIfFull(): void {
    if (this.size <= this.maxRows) return;
    const target = this.maxRows - (this.maxRows >> 3);
    for (const entity of this.groups.keys()) {
      if (this.size <= target) break;
      this.invalidate(entity);
    }
  }
}
