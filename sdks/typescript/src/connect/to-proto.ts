/**
 * SDK inputs → Connect request init objects (`proto/stigmem/v1`). Unset
 * options stay unset, so the node applies the same defaults as over REST.
 *
 * @module
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { InterpretAs, ValueType, type FactValueSchema } from "../../../../gen/proto/stigmem/v1/fact_pb.js";
import type { AssertFactRequestSchema } from "../../../../gen/proto/stigmem/v1/facts_pb.js";
import type { AssertInput, ValueInput } from "../types.js";

const VALUE_TYPES: Readonly<Record<ValueInput["type"], ValueType>> = {
  string: ValueType.STRING,
  text: ValueType.TEXT,
  datetime: ValueType.DATETIME,
  ref: ValueType.REF,
  number: ValueType.NUMBER,
  boolean: ValueType.BOOLEAN,
  null: ValueType.NULL,
};

export function valueMsg(v: ValueInput): MessageInitShape<typeof FactValueSchema> {
  const interpretAs =
    v.interpretAs === undefined ? InterpretAs.UNSPECIFIED : v.interpretAs === "instruction" ? InterpretAs.INSTRUCTION : InterpretAs.CONTENT;
  let oneof: MessageInitShape<typeof FactValueSchema>["v"];
  if (v.v === null || v.v === undefined) oneof = { case: "nullValue", value: NullValue.NULL_VALUE };
  else if (typeof v.v === "number") oneof = { case: "numberValue", value: v.v };
  else if (typeof v.v === "boolean") oneof = { case: "boolValue", value: v.v };
  else oneof = { case: "stringValue", value: v.v };
  return { type: VALUE_TYPES[v.type], v: oneof, interpretAs };
}

export function assertMsg(i: AssertInput): MessageInitShape<typeof AssertFactRequestSchema> {
  return {
    entity: i.entity,
    relation: i.relation,
    value: valueMsg(i.value),
    source: i.source,
    confidence: i.confidence,
    scope: i.scope ?? "",
    validUntil: i.validUntil,
    gardenId: i.gardenId,
    writeMode: i.writeMode ?? "",
    derivedFrom: i.derivedFrom as MessageInitShape<typeof AssertFactRequestSchema>["derivedFrom"],
  };
}
