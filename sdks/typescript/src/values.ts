/**
 * Value constructors, so a fact's value is written as `value.number(42)`
 * rather than a hand-built `{type, v}` object, with `interpretAs` set only
 * where an instruction is meant (it needs the `instruction:write` permission).
 *
 * @module
 */
import type { InterpretAs, ValueInput } from "./types.js";

type Opts = { interpretAs?: InterpretAs };

const text =
  (type: "string" | "text" | "datetime" | "ref") =>
  (v: string, o: Opts = {}): ValueInput => ({ type, v, ...o });

/**
 * @example
 * value.string("engineer"); value.number(42); value.ref("user:bob");
 * value.datetime("2030-01-01T00:00:00Z"); value.boolean(true); value.null();
 * value.text("Always answer in French.", { interpretAs: "instruction" });
 */
export const value = {
  /** A short string (names, roles, ids). */
  string: text("string"),
  /** Longer prose; recall indexes both the same way. */
  text: text("text"),
  /** An ISO 8601 instant; the node refuses anything else. */
  datetime: text("datetime"),
  /** A link to another entity: it becomes a graph edge for neighbors and recall. */
  ref: text("ref"),
  /** A finite number; stored in its canonical text (`42.0` and `42` are one value). */
  number: (v: number, o: Opts = {}): ValueInput => ({ type: "number", v, ...o }),
  boolean: (v: boolean, o: Opts = {}): ValueInput => ({ type: "boolean", v, ...o }),
  null: (o: Opts = {}): ValueInput => ({ type: "null", v: null, ...o }),
} as const;
