/**
 * A fact as the PullFacts stream sends it: only what ingest reads (protocol.md
 * §10 — identity, content, CID, origin HLC and time, expiry, what it
 * supersedes), built straight from the stored row. `hlc` is left out too:
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
import { fromValueV, type ValueType as ValueTypeText } from "../../core/values.js";
import type { FactRow } from "../../store/fact-row.js";

const VALUE_TYPES: Readonly<Record<string, ValueType>> = {
  string: ValueType.STRING,
  text: ValueType.TEXT,
  number: ValueType.NUMBER,
  boolean: ValueType.BOOLEAN,
  datetime: ValueType.DATETIME,
  ref: ValueType.REF,
  null: ValueType.NULL,
};

/** The stream's `Fact` for a stored row. */
export function toFeedFact(row: FactRow): Fact {
  const v = fromValueV(row.value_type as ValueTypeText, row.value_v);
  return create(FactSchema, {
    id: row.id,
    entity: row.entity,
    relation: row.relation,
    value: {
      type: VALUE_TYPES[row.value_type] ?? ValueType.UNSPECIFIED,
      interpretAs: row.interpret_as === "instruction" ? InterpretAs.INSTRUCTION : InterpretAs.CONTENT,
      v:
        v === null
          ? { case: "nullValue", value: NullValue.NULL_VALUE }
          : typeof v === "number"
            ? { case: "numberValue", value: v }
            : typeof v === "boolean"
              ? { case: "boolValue", value: v }
              : { case: "stringValue", value: v },
    },
    source: row.source,
    timestamp: row.timestamp,
    confidence: row.confidence,
    scope: row.scope,
    cid: row.cid,
    validUntil: row.valid_until ?? undefined,
    originHlc: formatHlc({ wall: row.origin_hlc_w, counter: row.origin_hlc_c }),
    supersedes: row.supersedes === null ? [] : (JSON.parse(row.supersedes) as string[]),
  });
}

/**
 * A page's facts as the UTF-8 JSON of `PullFactsPage.facts_json`: the REST
 * FactRecord shape with the same fields as {@link toFeedFact}, numbers
 * written with their canonical `value_v` text (a valid JSON number lexeme:
 * `42`, `1e+16`, `1e-05`), booleans and null as themselves.
 */
export function feedFactsJson(rows: readonly FactRow[]): Uint8Array {
  const parts = rows.map((row) => {
    const fields = JSON.stringify({
      id: row.id,
      entity: row.entity,
      relation: row.relation,
      source: row.source,
      timestamp: row.timestamp,
      confidence: row.confidence,
      scope: row.scope,
      cid: row.cid,
      valid_until: row.valid_until,
      origin_hlc: formatHlc({ wall: row.origin_hlc_w, counter: row.origin_hlc_c }),
      supersedes: row.supersedes === null ? [] : (JSON.parse(row.supersedes) as string[]),
    });
    const v =
      row.value_type === "number" || row.value_type === "boolean" || row.value_type === "null" ? row.value_v : JSON.stringify(row.value_v);
    return `${fields.slice(0, -1)},"value":{"type":${JSON.stringify(row.value_type)},"v":${v},"interpret_as":${JSON.stringify(row.interpret_as)}}}`;
  });
  return new TextEncoder().encode(`[${parts.join(",")}]`);
}
