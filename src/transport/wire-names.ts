/**
 * The application layer names input fields in camelCase (`validUntil`,
 * `minConfidence`); both wire contracts name them in snake_case
 * (`valid_until` in the REST JSON and in the proto field names). Field-level
 * validation failures are reported against the wire's names, so a client
 * sees the field it actually sent. The mapping is mechanical: every wire
 * field name is the snake_case of its domain name.
 *
 * @module
 */
import type { FieldViolation } from "../node/app-error.js";

/** `validUntil` → `valid_until`; a name without capitals is returned as it is. */
export function wireName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The violations with every path segment in the wire's names (list indexes stay numbers). */
export function wireViolations(violations: readonly FieldViolation[]): FieldViolation[] {
  return violations.map((v) => ({ ...v, loc: v.loc.map((p) => (typeof p === "string" ? wireName(p) : p)) }));
}

/** One line naming every failed field, as `body.valid_until: Input should be ...; ...`. */
export function validationMessage(violations: readonly FieldViolation[]): string {
  return violations.map((v) => `${v.loc.join(".")}: ${v.msg}`).join("; ");
}

/**
 * The message of a validation failure in the wire's names: one that lists
 * its fields (node/validation.ts writes such) is written again from the
 * renamed violations; any other message is kept as it is.
 */
export function wireValidationMessage(message: string, violations: readonly FieldViolation[]): string {
  return message === validationMessage(violations) ? validationMessage(wireViolations(violations)) : message;
}
