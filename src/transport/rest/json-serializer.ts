/**
 * The REST reply serializer: JSON.stringify, except that fact numbers whose
 * canonical text differs from JavaScript's lexeme are written with the
 * canonical text (see node/facts/number-lexeme.ts). The placeholder carries a
 * per-process random tag, so no client string can imitate it.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { NUMBER_LEXEME } from "./number-lexeme.js";

const TAG = `\u0000${randomBytes(12).toString("hex")}:`;
/** The placeholder as it appears in JSON text: JSON.stringify escapes U+0000. */
const PLACEHOLDER = new RegExp(`"${JSON.stringify(TAG).slice(1, -1).replace(/\\/g, "\\\\")}([-+.0-9eE]+)"`, "g");

function replacer(this: unknown, key: string, value: unknown): unknown {
  if (key === "v" && typeof value === "number") {
    const lexeme = (this as { [NUMBER_LEXEME]?: string })[NUMBER_LEXEME];
    if (lexeme !== undefined) return TAG + lexeme;
  }
  return value;
}

export function serializeJson(payload: unknown): string {
  const text = JSON.stringify(payload, replacer);
  return text.includes(TAG.slice(1)) ? text.replace(PLACEHOLDER, "$1") : text;
}
