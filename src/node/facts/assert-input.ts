/**
 * Validates one fact write into normalized, typed input (protocol.md §2–§4).
 * The transports hand in an {@link AssertDraft}: the fields as received,
 * under their camelCase names, nothing checked yet. Field problems are 422s
 * listing every bad field (paths in these names; the transports report them
 * in the wire's); an oversized value is 413 and an entity that normalizes to
 * nothing is 400, as on the reference.
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

/** A value as received: `{type, v, interpretAs}`, unchecked. */
export interface ValueDraft {
  readonly type?: unknown;
  readonly v?: unknown;
  readonly interpretAs?: unknown;
}

/** One write as received from either transport, unchecked (an object of these fields, or anything else). */
export interface AssertDraft {
  readonly entity?: unknown;
  readonly relation?: unknown;
  /** A {@link ValueDraft}, or anything else for validation to refuse. */
  readonly value?: unknown;
  readonly source?: unknown;
  readonly confidence?: unknown;
  readonly scope?: unknown;
  readonly validUntil?: unknown;
  readonly gardenId?: unknown;
  readonly writeMode?: unknown;
  readonly derivedFrom?: unknown;
}

/** Validates one write; `loc` prefixes violation paths (`["body"]`, or `["body","facts",3]` in a batch). */
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
    interpretAs = v.capture([...loc, "value", "interpretAs"], () => parseInterpretAs(value.interpretAs)) ?? "content";
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
  const validUntil = optionalString(v, body, "validUntil", loc);
  const validUntilMs =
    validUntil === undefined ? undefined : v.capture([...loc, "validUntil"], () => parseRfc3339(validUntil));
  const gardenId = optionalString(v, body, "gardenId", loc);
  const writeMode = optionalString(v, body, "writeMode", loc) ?? "assert";
  const derivedFrom = body.derivedFrom ?? [];
  if (!Array.isArray(derivedFrom) || !derivedFrom.every(isRecord)) {
    v.add([...loc, "derivedFrom"], "Input should be a list of objects", "list_type");
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
