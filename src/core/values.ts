/**
 * @module core/values
 *
 * Fact values (protocol.md §2, §4): the seven value types, `interpret_as`,
 * validation, and the stored text `value_v` that enters the CID. Keeping the
 * value ↔ `value_v` mapping in one place is what makes `42` and `42.0` one
 * fact on every node, and what lets readback return real JSON types.
 */
import { CoreError } from "./errors.js";
import { isIsoDateTime } from "./iso-datetime.js";
import { MAX_VALUE_BYTES } from "./limits.js";
import { assertNoLoneSurrogate } from "./lone-surrogate.js";
import { canonicalNumberText } from "./python-float.js";
import { utf8ByteLength } from "./utf8.js";
import { pyStrip } from "./whitespace.js";

/** The seven value types, in the ref's spelling. */
export const VALUE_TYPES = ["string", "text", "datetime", "ref", "number", "boolean", "null"] as const;

/** One of {@link VALUE_TYPES}. */
export type ValueType = (typeof VALUE_TYPES)[number];

/** How readers must treat a value; `instruction` needs `instruction:write` (§2). */
export const INTERPRET_AS = ["content", "instruction"] as const;

/** One of {@link INTERPRET_AS}. */
export type InterpretAs = (typeof INTERPRET_AS)[number];

/** The JS value a reader gets back for a stored value (§2 Readback). */
export type ValueV = string | number | boolean | null;

/** An untrusted value as it arrives: type plus raw `v` (maybe absent). */
export interface RawValue {
  readonly type: ValueType;
  readonly v?: unknown;
}

const TYPE_SET: ReadonlySet<string> = new Set(VALUE_TYPES);

/** True when `x` is one of the seven value type names. */
export function isValueType(x: unknown): x is ValueType {
  return typeof x === "string" && TYPE_SET.has(x);
}

/**
 * Validates an untrusted value type name.
 *
 * @throws CoreError `invalid_value_type`, naming `field`.
 */
export function parseValueType(x: unknown, field = "value.type"): ValueType {
  if (!isValueType(x)) {
    throw new CoreError("invalid_value_type", field, `value type must be one of ${VALUE_TYPES.join(", ")}`);
  }
  return x;
}

/**
 * Validates `interpret_as`; absent (`undefined` or `null`) means `content`,
 * the ref default.
 *
 * @throws CoreError `invalid_interpret_as`, naming `field`.
 */
export function parseInterpretAs(x: unknown, field = "value.interpret_as"): InterpretAs {
  if (x === undefined || x === null) return "content";
  if (x !== "content" && x !== "instruction") {
    throw new CoreError("invalid_interpret_as", field, "interpret_as must be content or instruction");
  }
  return x;
}

function invalid(field: string, message: string): never {
  throw new CoreError("invalid_value", field, message);
}

function stringV(value: RawValue, field: string): string {
  if (typeof value.v !== "string") invalid(field, `a ${value.type} value needs a string v`);
  assertNoLoneSurrogate(value.v, field);
  if (value.type === "datetime" && !isIsoDateTime(value.v)) {
    invalid(field, "a datetime value must be ISO 8601");
  }
  // A ref names an entity; whitespace-only text normalizes to nothing (§3).
  if (value.type === "ref" && pyStrip(value.v) === "") invalid(field, "a ref value must not be empty");
  return value.v;
}

/**
 * Validates `value.v` against `value.type` (§2 table) and returns the stored
 * text `value_v`, the CID input:
 * - string, text, ref, datetime: verbatim (no lone surrogates; datetime must
 *   be ISO 8601; ref non-blank);
 * - number: finite JS number → {@link canonicalNumberText} (`42.0` → `42`);
 * - boolean: a real boolean → `true` / `false` (no truthiness, unlike the ref);
 * - null: `v` absent or `null` → `null`.
 *
 * @throws CoreError `invalid_value`, `lone_surrogate` or (413)
 *   `value_too_large` when `value_v` exceeds 65,536 UTF-8 bytes.
 * @example
 * toValueV({ type: "number", v: 42.0 }); // "42"
 * toValueV({ type: "null" }); // "null"
 */
export function toValueV(value: RawValue, field = "value.v"): string {
  const type = parseValueType(value.type);
  let text: string;
  switch (type) {
    case "string":
    case "text":
    case "datetime":
    case "ref":
      text = stringV(value, field);
      break;
    case "number":
      if (typeof value.v !== "number" || !Number.isFinite(value.v)) {
        invalid(field, "a number value needs a finite JSON number");
      }
      text = canonicalNumberText(value.v, field);
      break;
    case "boolean":
      if (typeof value.v !== "boolean") invalid(field, "a boolean value needs true or false");
      text = value.v ? "true" : "false";
      break;
    case "null":
      if (value.v !== undefined && value.v !== null) invalid(field, "a null value must have no v");
      text = "null";
      break;
  }
  const bytes = utf8ByteLength(text);
  if (bytes > MAX_VALUE_BYTES) {
    throw new CoreError("value_too_large", field, `value is ${bytes} UTF-8 bytes; the limit is ${MAX_VALUE_BYTES}`);
  }
  return text;
}

/** Decimal number text as Python's `str()` and our canonical form write it. */
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Reads a stored `value_v` back as the JSON value clients expect (§2):
 * numbers as numbers, booleans as booleans, null as `null`, all else as the
 * stored string. Accepts the ref-ingested texts `42.0` and `10000000000000000`.
 *
 * @throws CoreError `invalid_value` (field `value_v`) when a stored number or
 *   boolean text is corrupt, so a bad row is never served as a guess.
 * @example
 * fromValueV("number", "1e+16"); // 1e16
 */
export function fromValueV(type: ValueType, valueV: string): ValueV {
  switch (type) {
    case "number": {
      const n = NUMBER_TEXT.test(valueV) ? Number(valueV) : Number.NaN;
      if (!Number.isFinite(n)) invalid("value_v", `stored number text is not a number: ${valueV}`);
      return n;
    }
    case "boolean":
      if (valueV === "true") return true;
      if (valueV === "false") return false;
      return invalid("value_v", `stored boolean text is not true or false: ${valueV}`);
    case "null":
      return null;
    default:
      return valueV;
  }
}

/**
 * The §4 ingest fallback: `value_v` texts to try, in order, when a ref peer's
 * CID does not match our canonical text for number `x`. The ref stored
 * Python `str()` of the parsed JSON, so an integral value may have been
 * hashed as `42` (JSON int) or `42.0` (JSON float). Store whichever matched.
 *
 * For integral `x`: `[canonical, BigInt(x), BigInt(x) + ".0"]`, deduplicated;
 * `-0` also tries `-0.0` (the ref's `str(-0.0)`). Otherwise `[canonical]`,
 * since Python's `str(float)` equals our text for non-integral values.
 *
 * @example
 * numberValueVCandidates(42); // ["42", "42.0"]
 * numberValueVCandidates(1e16); // ["1e+16", "10000000000000000", "10000000000000000.0"]
 */
export function numberValueVCandidates(x: number): string[] {
  const canonical = canonicalNumberText(x);
  if (!Number.isInteger(x)) return [canonical];
  const digits = BigInt(x).toString();
  const out = [canonical, digits, `${digits}.0`];
  if (Object.is(x, -0)) out.push("-0.0");
  return [...new Set(out)];
}
