/**
 * Reads query parameters as they arrive — REST strings, or typed values from
 * a Connect request — under their camelCase names, recording every problem
 * as a 422 violation at `["query", name]` (the transports report it in the
 * wire's name, the shape FastAPI clients expect).
 *
 * @module
 */
import { Violations } from "./validation.js";

export class QueryParams {
  constructor(
    private readonly raw: object,
    readonly violations: Violations = new Violations(),
  ) {}

  /** A string parameter; absent (or empty) is undefined, or a `missing` violation when required. */
  str(name: string, required = false): string | undefined {
    const x = (this.raw as Record<string, unknown>)[name];
    if (x === undefined || x === null || x === "") {
      if (required) this.violations.add(["query", name], "Field required", "missing");
      return undefined;
    }
    if (typeof x !== "string") {
      this.violations.add(["query", name], "Input should be a valid string", "string_type");
      return undefined;
    }
    return x;
  }

  /** A boolean parameter (`true/1/yes/on`, `false/0/no/off`); absent is false. */
  bool(name: string): boolean {
    const x = (this.raw as Record<string, unknown>)[name];
    if (x === undefined || x === null || x === "") return false;
    if (typeof x === "boolean") return x;
    if (typeof x === "string" && /^(true|1|yes|on)$/i.test(x)) return true;
    if (typeof x === "string" && /^(false|0|no|off)$/i.test(x)) return false;
    this.violations.add(["query", name], "Input should be a valid boolean", "bool_parsing");
    return false;
  }

  /** A number in [min, max] (an integer when `integer`); absent is `fallback`. */
  num(name: string, fallback: number, min: number, max: number, integer: boolean): number {
    const x = (this.raw as Record<string, unknown>)[name];
    if (x === undefined || x === null || x === "") return fallback;
    const n = typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" ? Number(x) : Number.NaN;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      const kind = integer ? "integer" : "number";
      this.violations.add(["query", name], `Input should be a valid ${kind}`, integer ? "int_parsing" : "float_parsing");
      return fallback;
    }
    if (n < min || n > max) {
      const type = n < min ? "greater_than_equal" : "less_than_equal";
      this.violations.add(["query", name], `Input should be between ${min} and ${max}`, type);
      return fallback;
    }
    return n;
  }
}
