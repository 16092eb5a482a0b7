/**
 * Number values travel in JSON with their canonical `value_v` text as the
 * lexeme (protocol.md §4): `1e-05`, `1e+16`, never `0.00001` or
 * `10000000000000000`. JavaScript's JSON.stringify picks its own lexeme, so
 * a record whose number would be written differently carries the canonical
 * text under a symbol, and the REST serializer writes it raw.
 *
 * @module
 */

/** Symbol under which a FactRecord value carries its canonical number text. */
export const NUMBER_LEXEME: unique symbol = Symbol("stigmem.numberLexeme");

/** Attaches `lexeme` to `value` when JSON.stringify would write `v` differently. */
export function withNumberLexeme<T extends { v: unknown }>(value: T, lexeme: string): T {
  if (typeof value.v === "number" && JSON.stringify(value.v) !== lexeme) {
    Object.defineProperty(value, NUMBER_LEXEME, { value: lexeme, enumerable: false });
  }
  return value;
}
