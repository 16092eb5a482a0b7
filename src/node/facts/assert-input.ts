/**
 * Validates one fact write as the REST body (or a Connect request mapped to
 * the same shape) into normalized, typed input (protocol.md §2–§4). Field
 * problems are 422s listing every bad field; an oversized value is 413 and an
 * entity that normalizes to nothing is 400, as on the reference.
 *
 * @module
 */
import { parseConfidence } from "../../core/confidence.js";
import { DEFAULT_CONFIDENCE } from "../../core/limits.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { parseScope, type Scope } from "../../core/scope.js";
import { checkTextField } from "../../core/text-field.js";
import { parseRfc3339 } from "../../core/timestamp.js";
import { parseInterpretAs, parseValueType, toValueV, type InterpretAs, type ValueType } from "../../core/values.js";
import { isRecord, optionalString, requiredString, Violations, type Loc } from "../validation.js";

/** A validated write. */
export interface AssertInput {
  entity: string;
  relation: string;
  valueType: ValueType;
  valueV: string;
  interpretAs: InterpretAs;
  source: string;
  confidence: number;
  scope: Scope;
  validUntil: string | null;
  validUntilMs: number | null;
  gardenId: string | null;
  writeMode: string;
  derivedFrom: Record<string, unknown>[];
}

/** Parses one write; `loc` prefixes violation paths (`["body"]`, or `["body","facts",3]` in a batch). */
export function parseAssertInput(raw: unknown, loc: Loc = ["body"]): AssertInput {
  const v = new Violations();
  if (!isRecord(raw)) {
    v.add(loc, "Input should be a valid dictionary", "dict_type");
    v.throwIfAny();
  }
  const body = raw as Record<string, unknown>;
  const entityRaw = requiredString(v, body, "entity", loc);
  const relation = requiredString(v, body, "relation", loc);
  const sourceRaw = requiredString(v, body, "source", loc);

  let valueType: ValueType | undefined;
  let valueV: string | undefined;
  let interpretAs: InterpretAs = "content";
  const value = body.value;
  if (value === undefined || value === null) {
    v.add([...loc, "value"], "Field required", "missing");
  } else if (!isRecord(value)) {
    v.add([...loc, "value"], "Input should be a valid dictionary", "dict_type");
  } else {
    valueType = v.capture([...loc, "value", "type"], () => parseValueType(value.type));
    interpretAs = v.capture([...loc, "value", "interpret_as"], () => parseInterpretAs(value.interpret_as)) ?? "content";
    if (valueType !== undefined) {
      const type = valueType;
      valueV = v.capture([...loc, "value", "v"], () => toValueV({ type, v: value.v }));
    }
  }

  const confidence =
    body.confidence === undefined || body.confidence === null
      ? DEFAULT_CONFIDENCE
      : v.capture([...loc, "confidence"], () => parseConfidence(body.confidence));
  const scope =
    body.scope === undefined || body.scope === null ? "local" : v.capture([...loc, "scope"], () => parseScope(body.scope));
  const validUntil = optionalString(v, body, "valid_until", loc);
  const validUntilMs =
    validUntil === undefined ? undefined : v.capture([...loc, "valid_until"], () => parseRfc3339(validUntil));
  const gardenId = optionalString(v, body, "garden_id", loc);
  const writeMode = optionalString(v, body, "write_mode", loc) ?? "assert";
  const derivedFrom = body.derived_from ?? [];
  if (!Array.isArray(derivedFrom) || !derivedFrom.every(isRecord)) {
    v.add([...loc, "derived_from"], "Input should be a list of objects", "list_type");
  }
  if (relation !== undefined) v.capture([...loc, "relation"], () => checkTextField(relation, "relation"));
  if (entityRaw !== undefined) v.capture([...loc, "entity"], () => checkTextField(entityRaw, "entity"));
  if (sourceRaw !== undefined) v.capture([...loc, "source"], () => checkTextField(sourceRaw, "source"));
  v.throwIfAny();

  // Field shapes are valid; normalization failures are 400 invalid_entity_uri (§3).
  const entity = v.capture([...loc, "entity"], () => normalizeEntityUri(entityRaw!, "entity"))!;
  const source = v.capture([...loc, "source"], () => normalizeEntityUri(sourceRaw!, "source"))!;
  if (valueType === "ref") v.capture([...loc, "value", "v"], () => normalizeEntityUri(valueV!, "value.v"));
  v.throwIfAny();

  return {
    entity,
    relation: relation!,
    valueType: valueType!,
    valueV: valueV!,
    interpretAs,
    source,
    confidence: confidence!,
    scope: scope!,
    validUntil: validUntil ?? null,
    validUntilMs: validUntilMs ?? null,
    gardenId: gardenId ?? null,
    writeMode,
    derivedFrom: derivedFrom as Record<string, unknown>[],
  };
}
