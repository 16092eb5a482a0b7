/**
 * SDK inputs → REST request bodies (snake_case, `openapi/stigmem.yaml`).
 * Unset options are left out so the node applies its own defaults.
 *
 * @module
 */
import type { AssertInput, ValueInput } from "../types.js";

/** `{type, v, interpret_as}`; a null value is sent as `v: null`. */
export function valueBody(v: ValueInput): { type: string; v: string | number | boolean | null; interpret_as?: string } {
  return { type: v.type, v: v.v ?? null, interpret_as: v.interpretAs };
}

/** The body of `POST /v1/facts`, and each item of a batch. */
export function assertBody(i: AssertInput): Record<string, unknown> {
  return {
    entity: i.entity,
    relation: i.relation,
    value: valueBody(i.value),
    source: i.source,
    confidence: i.confidence,
    scope: i.scope,
    valid_until: i.validUntil,
    garden_id: i.gardenId,
    write_mode: i.writeMode,
    derived_from: i.derivedFrom,
  };
}
