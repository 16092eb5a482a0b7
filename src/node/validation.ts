/**
 * Field-level input validation shared by every use case: collects all
 * violations of one request and fails once, in the REST 422 shape
 * (`{loc, msg, type}`) that both transports carry (protocol.md §7).
 *
 * @module
 */
import { isCoreError } from "../core/errors.js";
import { AppError, type FieldViolation } from "./app-error.js";

export type Loc = readonly (string | number)[];

export class Violations {
  readonly list: FieldViolation[] = [];

  add(loc: Loc, msg: string, type: string): void {
    this.list.push({ loc, msg, type });
  }

  /** @throws AppError validation_error listing every violation so far. */
  throwIfAny(): void {
    if (this.list.length > 0) {
      throw new AppError("validation_error", this.list.map((v) => `${v.loc.join(".")}: ${v.msg}`).join("; "), {
        violations: [...this.list],
      });
    }
  }

  /**
   * Runs `fn`; a CoreError it throws becomes a violation at `loc` (and
   * `undefined` is returned). Codes that are not field violations in the
   * protocol (oversized values, bad entity URIs) propagate as AppErrors.
   */
  capture<T>(loc: Loc, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!isCoreError(e)) throw e;
      if (e.code === "value_too_large") throw new AppError("value_too_large", e.message, { details: { field: loc.join(".") } });
      if (e.code === "invalid_entity_uri") {
        throw new AppError("invalid_entity_uri", e.message, { details: { field: loc.join(".") } });
      }
      this.add(loc, e.message, e.code);
      return undefined;
    }
  }
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A required non-empty string field; records `missing`, `string_type` or `string_too_short`. */
export function requiredString(v: Violations, obj: Record<string, unknown>, key: string, loc: Loc): string | undefined {
  const x = obj[key];
  if (x === undefined || x === null) {
    v.add([...loc, key], "Field required", "missing");
    return undefined;
  }
  if (typeof x !== "string") {
    v.add([...loc, key], "Input should be a valid string", "string_type");
    return undefined;
  }
  if (x.length === 0) {
    v.add([...loc, key], "String should have at least 1 character", "string_too_short");
    return undefined;
  }
  return x;
}

/** An optional string (null = absent); records `string_type`. */
export function optionalString(v: Violations, obj: Record<string, unknown>, key: string, loc: Loc): string | undefined {
  const x = obj[key];
  if (x === undefined || x === null) return undefined;
  if (typeof x !== "string") {
    v.add([...loc, key], "Input should be a valid string", "string_type");
    return undefined;
  }
  return x;
}
