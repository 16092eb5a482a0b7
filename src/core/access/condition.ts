/**
 * @module core/access/condition
 *
 * A small condition language over the attributes of a stored fact, so that
 * "which facts may this caller see, in this view" is written ONCE, as data,
 * and rendered twice: as an SQL predicate (condition-sql.ts) for the
 * database and as a JavaScript predicate (condition-js.ts) for the rows the
 * node keeps in memory. Both renderings are interpreters of the same tree,
 * so they cannot drift apart; a property test checks they select the same
 * facts.
 */

/**
 * What a condition can ask about a fact. Every reader's row type provides
 * these (store/ maps each to a column expression; in-memory rows to a field).
 */
export type FactAttribute =
  // Values of the fact.
  | "entity"
  | "relation"
  | "source"
  | "scope"
  | "garden_id"
  | "quarantine"
  | "confidence"
  | "valid_until_ms"
  | "interpret_as"
  /** 1 when the fact is its chain's head and live (confidence > 0, not overruled). */
  | "head_live"
  /** 1 when the fact is its chain's head, live or not. */
  | "is_head"
  /** 1 when the fact's value is its triple's winner, or the triple is not contradicted. */
  | "winner"
  /** The peer that sent an ingested fact; null for a fact written on this node. */
  | "received_from"
  /** The provenance a fact was derived from (JSON text); null for a fact stated directly. */
  | "derived_from";

/** A value a condition compares with: text, a number, or SQL NULL. */
export type Scalar = string | number | null;

export type Condition =
  | { readonly op: "true" }
  | { readonly op: "false" }
  | { readonly op: "and"; readonly of: readonly Condition[] }
  | { readonly op: "or"; readonly of: readonly Condition[] }
  | { readonly op: "not"; readonly of: Condition }
  | { readonly op: "eq"; readonly attr: FactAttribute; readonly value: string | number }
  | { readonly op: "in"; readonly attr: FactAttribute; readonly values: readonly (string | number)[] }
  | { readonly op: "null"; readonly attr: FactAttribute }
  /** A flag attribute (`head_live`, `is_head`, `winner`) holds. */
  | { readonly op: "set"; readonly attr: FactAttribute }
  | { readonly op: "gt" | "ge"; readonly attr: FactAttribute; readonly value: number }
  | { readonly op: "prefix"; readonly attr: FactAttribute; readonly value: string };

export const TRUE: Condition = Object.freeze({ op: "true" });
export const FALSE: Condition = Object.freeze({ op: "false" });

/** All of `conds`; TRUE parts are dropped and a FALSE part makes the whole FALSE. */
export function and(...conds: Condition[]): Condition {
  const of: Condition[] = [];
  for (const c of conds) {
    if (c.op === "false") return FALSE;
    if (c.op === "true") continue;
    if (c.op === "and") of.push(...c.of);
    else of.push(c);
  }
  return of.length === 0 ? TRUE : of.length === 1 ? of[0]! : { op: "and", of };
}

/** Any of `conds`; FALSE parts are dropped and a TRUE part makes the whole TRUE. */
export function or(...conds: Condition[]): Condition {
  const of: Condition[] = [];
  for (const c of conds) {
    if (c.op === "true") return TRUE;
    if (c.op === "false") continue;
    if (c.op === "or") of.push(...c.of);
    else of.push(c);
  }
  return of.length === 0 ? FALSE : of.length === 1 ? of[0]! : { op: "or", of };
}

export function not(c: Condition): Condition {
  if (c.op === "true") return FALSE;
  if (c.op === "false") return TRUE;
  return { op: "not", of: c };
}

export function eq(attr: FactAttribute, value: string | number): Condition {
  return { op: "eq", attr, value };
}

/** `attr` is one of `values`; an empty list is FALSE, one value is {@link eq}. */
export function oneOf(attr: FactAttribute, values: readonly (string | number)[]): Condition {
  if (values.length === 0) return FALSE;
  if (values.length === 1) return eq(attr, values[0]!);
  return { op: "in", attr, values: [...values] };
}

export function isNull(attr: FactAttribute): Condition {
  return { op: "null", attr };
}

/** A flag attribute (`head_live`, `is_head`, `winner`) holds. */
export function isSet(attr: FactAttribute): Condition {
  return { op: "set", attr };
}

export function greater(attr: FactAttribute, value: number): Condition {
  return { op: "gt", attr, value };
}

export function atLeast(attr: FactAttribute, value: number): Condition {
  return { op: "ge", attr, value };
}

/** Text `attr` starts with `value` (case-sensitive). */
export function startsWith(attr: FactAttribute, value: string): Condition {
  return { op: "prefix", attr, value };
}

/** The attributes `c` reads, for readers that must provide them. */
export function attributesOf(c: Condition, out: Set<FactAttribute> = new Set()): Set<FactAttribute> {
  switch (c.op) {
    case "true":
    case "false":
      break;
    case "and":
    case "or":
      for (const x of c.of) attributesOf(x, out);
      break;
    case "not":
      attributesOf(c.of, out);
      break;
    default:
      out.add(c.attr);
  }
  return out;
}
