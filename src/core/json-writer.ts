/**
 * @module core/json-writer
 *
 * The one compact, key-sorted JSON writer behind {@link canonicalJson} and
 * {@link asciiJson}. It mirrors Python
 * `json.dumps(obj, sort_keys=True, separators=(",", ":"))`; only string
 * escaping differs between the two callers, so it is a parameter.
 */
import { compareCodePoints } from "./code-point-order.js";
import { CoreError } from "./errors.js";
import { isPyFloat } from "./py-float-value.js";
import { pythonFloatRepr } from "./python-float.js";

/**
 * Writes one JSON string literal, quotes included. `path` names the value
 * being written (e.g. `detail.note`) for error messages: a function that
 * spells it out, called only when needed.
 */
export type StringQuoter = (s: string, path?: () => string) => string;

/** The short escapes Python's encoders use; other escaped units use `\uxxxx`. */
export const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** Escapes one UTF-16 unit the way Python does: short form if any, else lowercase `\uxxxx`. */
export function escapeJsonUnit(ch: string): string {
  return JSON_SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

function isPlainObject(x: object): x is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function fail(path: string, why: string): never {
  throw new CoreError("invalid_value", path === "" ? undefined : path, `cannot serialize ${path || "value"}: ${why}`);
}

/**
 * Serializes `value` compactly with keys in Python (code point) order.
 *
 * Accepted shapes, and how they print:
 * - `null` and `undefined` → `null` (§11: "null for a missing value");
 * - booleans → `true` / `false`;
 * - strings → `quote(s)`;
 * - JS numbers → Python ints: must be integral, printed as exact digits
 *   (`-0` → `0`, `1e21` → `1000000000000000000000`); bigints likewise;
 * - {@link PyFloat} → Python float repr (`1.0`, `1e-05`);
 * - arrays (holes → `null`) and plain objects, recursively.
 *
 * Anything else (non-integral unwrapped numbers, NaN, Date, Map, class
 * instances, functions, cycles) throws `invalid_value` naming the path, so a
 * hash is never computed over a guess.
 */
export function writeJson(value: unknown, quote: StringQuoter): string {
  const parts: string[] = [];
  const ancestors = new Set<object>();
  // The keys and indexes down to the value being written. Its path is only
  // spelled out for quoters and errors that name it (building it for every
  // value cost more than the rest of the writing).
  const trail: (string | number)[] = [];
  const pathOf = (): string =>
    trail.reduce<string>((p, k) => (typeof k === "number" ? `${p}[${k}]` : p === "" ? k : `${p}.${k}`), "");

  const write = (v: unknown): void => {
    if (v === null || v === undefined) {
      parts.push("null");
    } else if (typeof v === "boolean") {
      parts.push(v ? "true" : "false");
    } else if (typeof v === "string") {
      parts.push(quote(v, trail.length === 0 ? undefined : pathOf));
    } else if (typeof v === "number") {
      if (!Number.isInteger(v)) fail(pathOf(), `${String(v)} is not an integer; wrap floats in pyFloat()`);
      // String() is exact for safe integers (and prints -0 as 0); beyond them it may use exponents.
      parts.push(Number.isSafeInteger(v) ? String(v) : BigInt(v).toString());
    } else if (typeof v === "bigint") {
      parts.push(v.toString());
    } else if (typeof v === "object") {
      if (isPyFloat(v)) {
        parts.push(pythonFloatRepr(v.value, trail.length === 0 ? undefined : pathOf()));
        return;
      }
      if (ancestors.has(v)) fail(pathOf(), "cyclic structure");
      ancestors.add(v);
      if (Array.isArray(v)) {
        parts.push("[");
        for (let i = 0; i < v.length; i++) {
          if (i > 0) parts.push(",");
          trail.push(i);
          write(v[i] as unknown);
          trail.pop();
        }
        parts.push("]");
      } else if (isPlainObject(v)) {
        parts.push("{");
        const keys = Object.keys(v).sort(compareCodePoints);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          if (i > 0) parts.push(",");
          trail.push(k);
          parts.push(quote(k, pathOf), ":");
          write(v[k]);
          trail.pop();
        }
        parts.push("}");
      } else {
        fail(pathOf(), "only plain objects and arrays are supported");
      }
      ancestors.delete(v);
    } else {
      fail(pathOf(), `unsupported type ${typeof v}`);
    }
  };

  write(value);
  return parts.join("");
}
