/**
 * @module federation/proto-wire-fact
 *
 * A `stigmem.v1.Fact` received on our peers' `PullFacts` stream, as the REST
 * FactRecord-shaped object `checkWireFact` validates, so facts from our
 * peers and from reference peers pass one set of checks. Only the fields
 * ingest reads are mapped; per-reader fields (contradicted, state, trust…)
 * are the sender's view and are dropped. `value_v` is ignored too: the
 * value is re-derived from `v` and must hash to the CID.
 */
import { InterpretAs, ValueType, type Fact } from "../../../gen/proto/stigmem/v1/fact_pb.js";

/** `ValueType.NUMBER` → `"number"` (protobuf-es drops the enum prefix); unset (0) stays undefined and fails the check. */
function enumText(e: Record<number, string>, value: number): string | undefined {
  return value === 0 ? undefined : e[value]?.toLowerCase();
}

/** The REST-shaped view of a proto Fact for `checkWireFact`. Empty proto3 strings mean absent. */
export function wireFactFromProto(fact: Fact): Record<string, unknown> {
  const value = fact.value;
  let v: unknown;
  switch (value?.v.case) {
    case "stringValue":
    case "numberValue":
    case "boolValue":
      v = value.v.value;
      break;
    case "nullValue":
      v = null;
      break;
    default:
      v = undefined;
  }
  return {
    id: fact.id,
    entity: fact.entity,
    relation: fact.relation,
    value:
      value === undefined
        ? undefined
        : {
            type: enumText(ValueType, value.type),
            interpret_as: enumText(InterpretAs, value.interpretAs),
            ...(v === undefined ? {} : { v }),
          },
    source: fact.source,
    timestamp: fact.timestamp,
    confidence: fact.confidence,
    scope: fact.scope,
    cid: fact.cid,
    valid_until: fact.validUntil ?? null,
    hlc: fact.hlc === "" ? null : fact.hlc,
    origin_hlc: fact.originHlc === "" ? null : fact.originHlc,
    garden_id: fact.gardenId ?? null,
    supersedes: [...fact.supersedes],
  };
}
