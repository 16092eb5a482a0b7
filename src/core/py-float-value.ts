/**
 * @module core/py-float-value
 *
 * A marker saying "serialize this number as a Python float". JS has one number
 * type, but the Python serializers we must match byte for byte print `1.0` for
 * a float and `1` for an int (protocol.md §4, §11). The caller knows which one
 * the reference would hold, so the caller says so by wrapping floats.
 */
import { CoreError } from "./errors.js";

/**
 * A finite number that canonical JSON writes in Python float repr. Immutable;
 * `JSON.stringify` sees the bare number through {@link PyFloat.toJSON}.
 */
export class PyFloat {
  /** The wrapped finite number. */
  readonly value: number;

  constructor(value: number) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new CoreError("invalid_value", undefined, `a Python float must be finite: ${String(value)}`);
    }
    this.value = value;
    Object.freeze(this);
  }

  /** Lets ordinary `JSON.stringify` (logs, debugging) print the number. */
  toJSON(): number {
    return this.value;
  }
}

/**
 * Marks `x` as a Python float for {@link canonicalJson} / {@link asciiJson}.
 * Unwrapped JS numbers are treated as Python ints and must be integral.
 *
 * @example
 * canonicalJson({ confidence: pyFloat(1) }); // '{"confidence":1.0}'
 */
export function pyFloat(x: number): PyFloat {
  return new PyFloat(x);
}

/** True when `x` was made by {@link pyFloat}. */
export function isPyFloat(x: unknown): x is PyFloat {
  return x instanceof PyFloat;
}
