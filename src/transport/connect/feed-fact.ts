/**
 * A fact as the PullFacts stream sends it: only what ingest reads (protocol.md
 * §10 — identity, content, CID, origin HLC and time, expiry, what it
 * supersedes), built from the feed's fact. `hlc` is left out too:
 * the stream carries only facts that originated on the sender, whose
 * origin HLC is what the receiver keeps. The per-reader fields of
 * a full `Fact` (state, contradicted, trust, warnings…) are the sender's
 * view, which the receiver drops (federation/proto-wire-fact.ts); leaving
 * them out halves what a backlog costs to encode, send and decode.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { type Fact, FactSchema, InterpretAs, ValueType } from "../../../gen/proto/stigmem/v1/fact_pb.js";
import { formatHlc } from "../../core/hlc.js";
import { fromValueV } from "../../core/values.js";
import type { Fact as DomainFact } from "../../node/facts/fact.js";

const VALUE_TYPES: Readonly<Record<string, ValueType>> = {
  string: ValueType.STRING,
  text: ValueType.TEXT,
  number: ValueType.NUMBER,
  boolean: ValueType.BOOLEAN,
  datetime: ValueType.DATETIME,
  ref: ValueType.REF,
  null: ValueType.NULL,
};

/** The stream's `Fact` for a fact of the feed. */
export function toFeedFact(f: DomainFact): Fact {
  const v = fromValueV(f.value.type, f.value.text);
  return create(FactSchema, {
    id: f.id,
    entity: f.entity,
    relation: f.relation,
    value: {
      type: VALUE_TYPES[f.value.type] ?? ValueType.UNSPECIFIED,
      interpretAs: f.value.interpretAs === "instruction" ? InterpretAs.INSTRUCTION : InterpretAs.CONTENT,
      v:
        v === null
          ? { case: "nullValue", value: NullValue.NULL_VALUE }
          : typeof v === "number"
            ? { case: "numberValue", value: v }
            : typeof v === "boolean"
              ? { case: "boolValue", value: v }
              : { case: "stringValue", value: v },
    },
    source: f.source,
    timestamp: f.timestamp,
    confidence: f.confidence,
    scope: f.scope,
    cid: f.cid,
    validUntil: f.validUntil ?? undefined,
    originHlc: formatHlc(f.originHlc),
    supersedes: [...f.supersedes],
  });
}

/**
 * A page's facts as the UTF-8 JSON of `PullFactsPage.facts_json`: the REST
 * FactRecord shape with the same fields as {@link toFeedFact}, numbers
 * written with their canonical `value_v` text (a valid JSON number lexeme:
 * `42`, `1e+16`, `1e-05`), booleans and null as themselves.
 */
export function feedFactsJson(facts: readonly DomainFact[]): Uint8Array {
  const parts = facts.map((f) => {
    const fields = JSON.stringify({
      id: f.id,
      entity: f.entity,
      relation: f.relation,
      source: f.source,
      timestamp: f.timestamp,
      confidence: f.confidence,
      scope: f.scope,
      cid: f.cid,
      valid_until: f.validUntil,
      origin_hlc: formatHlc(f.originHlc),
      supersedes: f.supersedes,
    });
    const type = f.value.type;
    const v = type === "number" || type === "boolean" || type === "null" ? f.value.text : JSON.stringify(f.value.text);
    return `${fields.slice(0, -1)},"value":{"type":${JSON.stringify(type)},"v":${v},"interpret_as":${JSON.stringify(f.value.interpretAs)}}}`;
  });
  return new TextEncoder().encode(`[${parts.join(",")}]`);
}
