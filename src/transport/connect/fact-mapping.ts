/**
 * Fact messages ↔ the REST-shaped objects the node's use cases take and
 * return. Requests are mapped to the REST JSON shape and validated by the
 * same code as REST bodies, so both transports accept and refuse the same
 * inputs; responses are built from the same FactRecord.
 *
 * @module
 */
import { create, type JsonObject } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { toValueV } from "../../core/values.js";
import type { AssertFactRequest } from "../../../gen/proto/stigmem/v1/facts_pb.js";
import {
  type Fact,
  FactSchema,
  FactState,
  type FactValue,
  FactValueSchema,
  InterpretAs,
  QuarantineStatus,
  ValueType,
} from "../../../gen/proto/stigmem/v1/fact_pb.js";
import type { FactRecord } from "../../node/facts/fact-record.js";

/** `VALUE_TYPE_STRING` → `"string"`; the unspecified zero value → undefined. */
function enumText<E extends Record<number, string>>(e: E, value: number): string | undefined {
  return value === 0 ? undefined : e[value]?.toLowerCase();
}

function enumValue<E extends Record<string, string | number>>(e: E, text: string | null): number {
  if (text === null) return 0;
  const v = e[text.toUpperCase() as keyof E];
  return typeof v === "number" ? v : 0;
}

/** A FactValue message as the REST `{type, v, interpret_as}` object. */
export function fromProtoValue(value: FactValue | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, unknown> = {
    type: enumText(ValueType, value.type),
    interpret_as: enumText(InterpretAs, value.interpretAs),
  };
  switch (value.v.case) {
    case "stringValue":
    case "numberValue":
    case "boolValue":
      out.v = value.v.value;
      break;
    case "nullValue":
      out.v = null;
      break;
    case undefined:
      break;
  }
  return out;
}

/** An AssertFactRequest as the REST body of `POST /v1/facts`. */
export function fromProtoAssert(req: AssertFactRequest): Record<string, unknown> {
  return {
    entity: req.entity,
    relation: req.relation,
    value: fromProtoValue(req.value),
    source: req.source,
    confidence: req.confidence,
    scope: req.scope === "" ? undefined : req.scope,
    valid_until: req.validUntil,
    garden_id: req.gardenId,
    write_mode: req.writeMode === "" ? undefined : req.writeMode,
    derived_from: req.derivedFrom,
  };
}

function toProtoValue(record: FactRecord): FactValue {
  const { type, v, interpret_as } = record.value;
  let oneof: FactValue["v"];
  if (v === null) oneof = { case: "nullValue", value: NullValue.NULL_VALUE };
  else if (typeof v === "number") oneof = { case: "numberValue", value: v };
  else if (typeof v === "boolean") oneof = { case: "boolValue", value: v };
  else oneof = { case: "stringValue", value: v };
  return create(FactValueSchema, {
    type: enumValue(ValueType, type),
    v: oneof,
    valueV: toValueV({ type, v: v ?? undefined }),
    interpretAs: enumValue(InterpretAs, interpret_as),
  });
}

/** The wire record as a Fact message. */
export function toProtoFact(r: FactRecord): Fact {
  return create(FactSchema, {
    id: r.id,
    entity: r.entity,
    relation: r.relation,
    value: toProtoValue(r),
    source: r.source,
    timestamp: r.timestamp,
    confidence: r.confidence,
    scope: r.scope,
    cid: r.cid,
    validUntil: r.valid_until ?? undefined,
    hlc: r.hlc,
    originHlc: r.origin_hlc,
    receivedFrom: r.received_from ?? undefined,
    originNodeId: r.origin_node_id ?? undefined,
    originAllowedScopes: r.origin_allowed_scopes ?? [],
    gardenId: r.garden_id ?? undefined,
    contradicted: r.contradicted,
    warnings: r.warnings,
    effectiveConfidence: r.effective_confidence,
    quarantineStatus: enumValue(QuarantineStatus, r.quarantine_status),
    quarantineGardenId: r.quarantine_garden_id ?? undefined,
    derivedFrom: r.derived_from as JsonObject[],
    sourceTrust: r.source_trust,
    sanitizerWarnings: r.sanitizer_warnings,
    sanitizerRedacted: r.sanitizer_redacted,
    supersedes: r.supersedes,
    state: enumValue(FactState, r.state),
  });
}
