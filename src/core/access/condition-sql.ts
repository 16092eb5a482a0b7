/**
 * @module core/access/condition-sql
 *
 * Renders a {@link Condition} as an SQLite predicate. The reader supplies
 * the SQL expression of each attribute for its query's tables (the same
 * attribute is `hh.scope` in a current-view read and `f.scope` in a history
 * read), and a parameter object that receives the values: nothing is ever
 * spliced into the SQL text, and equal trees render equal text, so
 * prepared statements cached by their text are reused.
 */
import type { Condition, FactAttribute } from "./condition.js";

/**
 * The SQL expression of each attribute over the reader's tables: a column
 * or expression for a value attribute, a predicate for a flag attribute
 * (`head_live` → `hh.live = 1`). A reader whose tables cannot answer an
 * attribute leaves it out, and a condition that asks for it fails loudly
 * rather than being rendered wrong.
 */
export type AttributeColumns = Readonly<Partial<Record<FactAttribute, string>>>;

/**
 * The predicate text of `cond`; its values are added to `params` under
 * `@<prefix><n>` names, numbered in tree order.
 */
export function renderSql(
  cond: Condition,
  columns: AttributeColumns,
  params: Record<string, unknown>,
  prefix = "acl",
): string {
  let n = 0;
  const col = (attr: FactAttribute): string => {
    const expression = columns[attr];
    if (expression === undefined) throw new Error(`this read cannot test the fact attribute "${attr}"`);
    return expression;
  };
  const bind = (value: unknown): string => {
    const name = `${prefix}${n++}`;
    params[name] = value;
    return `@${name}`;
  };
  const walk = (c: Condition): string => {
    switch (c.op) {
      case "true":
        return "1";
      case "false":
        return "0";
      case "and":
        // An OR part renders its own parentheses.
        return c.of.map(walk).join(" AND ");
      case "or":
        return `(${c.of.map(walk).join(" OR ")})`;
      case "not":
        return `NOT (${walk(c.of)})`;
      case "eq":
        return `${col(c.attr)} = ${bind(c.value)}`;
      case "in":
        return `${col(c.attr)} IN (${c.values.map(bind).join(", ")})`;
      case "null":
        return `${col(c.attr)} IS NULL`;
      case "set":
        return col(c.attr);
      case "gt":
        return `${col(c.attr)} > ${bind(c.value)}`;
      case "ge":
        return `${col(c.attr)} >= ${bind(c.value)}`;
      case "prefix":
        // substr rather than LIKE: LIKE folds ASCII case and treats % and _ as wildcards.
        // SQLite counts characters, JavaScript UTF-16 units: the length is in code points.
        return `substr(${col(c.attr)}, 1, ${bind([...c.value].length)}) = ${bind(c.value)}`;
    }
  };
  return walk(cond);
}
