/**
 * Fact messages ↔ the application's drafts and facts. Requests become the
 * same drafts REST bodies become, validated by the same use cases, so both
 * transports accept and refuse the same inputs; replies are built from the
 * same domain {@link Fact}.
 *
 * @module
 */
import { create, type JsonObject } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { formatHlc } from "../../core/hlc.js";
import { fromValueV } from "../../core/values.js";
import type { AssertFactRequest } from "../../../gen/proto/stigmem/v1/facts_pb.js";
import {
  type Fact as ProtoFact,
  FactSchema,
  FactState,
  type FactValue,
  FactValueSchema,
  InterpretAs,
  QuarantineStatus,
  ValueType,
} from "../../../gen/proto/stigmem/v1/fact_pb.js";
import type { AssertDraft, ValueDraft } from "../../node/facts/assert-input.js";
import type { Fact } from "../../node/facts/fact.js";

/** `VALUE_TYPE_STRING` → `"string"`; the unspecified zero value → undefined. */
function enumText<E extends Record<number, string>>(e: E, value: number): string | undefined {
  return value === 0 ? undefined : e[value]?.toLowerCase();
}

function enumValue<E extends Record<string, string | number>>(e: E, text: string | null): number {
  if (text === null) return 0;
  const v = e[text.toUpperCase() as keyof E];
  return typeof v === "number" ? v : 0;
}

/** A FactValue message as a value draft. */
export function valueDraftFromProto(value: FactValue | undefined): ValueDraft | undefined {
  if (value === undefined) return undefined;
  let v: unknown;
  switch (value.v.case) {
    case "stringValue":
    case "numberValue":
    case "boolValue":
      v = value.v.value;
      break;
    case "nullValue":
      v = null;
      break;
    case undefined:
      break;
  }
  return { type: enumText(ValueType, value.type), v, interpretAs: enumText(InterpretAs, value.interpretAs) };
}

/** An AssertFactRequest as an assert draft (proto3 defaults read as absent where the REST body may omit them). */
export function assertDraftFromProto(req: AssertFactRequest): AssertDraft {
  return {
    entity: req.entity,
    relation: req.relation,
    value: valueDraftFromProto(req.value),
    source: req.source,
    confidence: req.confidence,
    scope: req.scope === "" ? undefined : req.scope,
    validUntil: req.validUntil,
    gardenId: req.gardenId,
    writeMode: req.writeMode === "" ? undefined : req.writeMode,
    derivedFrom: req.derivedFrom,
  };
}

function toProtoValue(value: Fact["value"]): FactValue {
  const v = fromValueV(value.type, value.text);
  let oneof: FactValue["v"];
  if (v === null) oneof = { case: "nullValue", value: NullValue.NULL_VALUE };
  else if (typeof v === "number") oneof = { case: "numberValue", value: v };
  else if (typeof v === "boolean") oneof = { case: "boolValue", value: v };
  else oneof = { case: "stringValue", value: v };
  return create(FactValueSchema, {
    type: enumValue(ValueType, value.type),
    v: oneof,
    valueV: value.text,
    interpretAs: enumValue(InterpretAs, value.interpretAs),
  });
}

/** A fact as a Fact message. */
export function toProtoFact(f: Fact): ProtoFact {
  return create(FactSchema, {
    id: f.id,
    entity: f.entity,
    relation: f.relation,
    value: toProtoValue(f.value),
    source: f.source,
    timestamp: f.timestamp,
    confidence: f.confidence,
    scope: f.scope,
    cid: f.cid,
    validUntil: f.validUntil ?? undefined,
    hlc: formatHlc(f.hlc),
    originHlc: formatHlc(f.originHlc),
    receivedFrom: f.receivedFrom ?? undefined,
    originNodeId: f.originNodeId ?? undefined,
    originAllowedScopes: [],
    gardenId: f.gardenId ?? undefined,
    contradicted: f.contradicted,
    warnings: [...f.warnings],
    effectiveConfidence: f.confidence * f.sourceTrust,
    quarantineStatus: enumValue(QuarantineStatus, f.quarantine),
    derivedFrom: f.derivedFrom as JsonObject[],
    sourceTrust: f.sourceTrust,
    sanitizerWarnings: [],
    sanitizerRedacted: false,
    supersedes: [...f.supersedes],
    state: enumValue(FactState, f.state),
  });
}
