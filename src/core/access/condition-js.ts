/**
 * @module core/access/condition-js
 *
 * Compiles a {@link Condition} into a JavaScript predicate with SQL's
 * meaning: a comparison with NULL is false (so `NOT (x = 1)` is false when
 * `x` is NULL, as SQLite's three-valued logic makes it), text compares by
 * exact equality and numbers numerically. Compiled once per read, the
 * predicate costs a few property reads per row.
 */
import type { Condition, FactAttribute, Scalar } from "./condition.js";

/**
 * Reads an attribute of a row: a flag attribute as a boolean (or 0/1), the
 * others as their value; `undefined` is taken as NULL. A reader that does
 * not hold an attribute throws, as the SQL renderer does.
 */
export type AttributeReader<R> = (row: R, attr: FactAttribute) => Scalar | boolean | undefined;

/** Three-valued result: true, false, or unknown (a NULL was compared). */
type Truth = boolean | null;

/** The rows `cond` selects: `(row) => true` exactly where the SQL rendering's WHERE would keep the row. */
export function compilePredicate<R>(cond: Condition, read: AttributeReader<R>): (row: R) => boolean {
  const test = compile(cond, read);
  return (row) => test(row) === true;
}

function compile<R>(c: Condition, read: AttributeReader<R>): (row: R) => Truth {
  switch (c.op) {
    case "true":
      return () => true;
    case "false":
      return () => false;
    case "and": {
      const parts = c.of.map((x) => compile(x, read));
      return (row) => {
        let unknown = false;
        for (const p of parts) {
          const t = p(row);
          if (t === false) return false;
          if (t === null) unknown = true;
        }
        return unknown ? null : true;
      };
    }
    case "or": {
      const parts = c.of.map((x) => compile(x, read));
      return (row) => {
        let unknown = false;
        for (const p of parts) {
          const t = p(row);
          if (t === true) return true;
          if (t === null) unknown = true;
        }
        return unknown ? null : false;
      };
    }
    case "not": {
      const inner = compile(c.of, read);
      return (row) => {
        const t = inner(row);
        return t === null ? null : !t;
      };
    }
    case "eq": {
      const { attr, value } = c;
      return (row) => {
        const x = read(row, attr);
        return x === null || x === undefined ? null : x === value;
      };
    }
    case "in": {
      const { attr } = c;
      const values = new Set<string | number>(c.values);
      return (row) => {
        const x = read(row, attr);
        return x === null || x === undefined ? null : typeof x !== "boolean" && values.has(x);
      };
    }
    case "null": {
      const { attr } = c;
      return (row) => {
        const x = read(row, attr);
        return x === null || x === undefined;
      };
    }
    case "set": {
      const { attr } = c;
      return (row) => {
        const x = read(row, attr);
        return x === null || x === undefined ? null : x === true || x === 1;
      };
    }
    case "gt":
    case "ge": {
      const { attr, value } = c;
      const strict = c.op === "gt";
      return (row) => {
        const x = read(row, attr);
        if (x === null || x === undefined) return null;
        if (typeof x !== "number") throw new TypeError(`${attr} is not a number`);
        return strict ? x > value : x >= value;
      };
    }
    case "prefix": {
      const { attr, value } = c;
      return (row) => {
        const x = read(row, attr);
        return x === null || x === undefined ? null : typeof x === "string" && x.startsWith(value);
      };
    }
  }
}
