/**
 * Facts on the REST wire (protocol.md §2): the reference's FactRecord with
 * every field always present, built from the application's {@link Fact},
 * and write bodies turned into the application's drafts. Field names are the
 * generated OpenAPI types', so a renamed contract field fails to compile.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import { formatHlc } from "../../core/hlc.js";
import { fromValueV } from "../../core/values.js";
import type { AssertDraft, ValueDraft } from "../../node/facts/assert-input.js";
import type { Fact } from "../../node/facts/fact.js";
import { isRecord } from "../../node/validation.js";
import { withNumberLexeme } from "./number-lexeme.js";

type Schemas = components["schemas"];
export type FactRecordJson = Schemas["FactRecord"];

/** The FactRecord of `f`. Numbers carry their canonical text as the JSON lexeme (number-lexeme.ts). */
export function factJson(f: Fact): FactRecordJson {
  return {
    id: f.id,
    entity: f.entity,
    relation: f.relation,
    value: withNumberLexeme(
      { type: f.value.type, v: fromValueV(f.value.type, f.value.text), interpret_as: f.value.interpretAs },
      f.value.text,
    ),
    source: f.source,
    timestamp: f.timestamp,
    confidence: f.confidence,
    scope: f.scope as Schemas["Scope"],
    cid: f.cid,
    valid_until: f.validUntil,
    hlc: formatHlc(f.hlc),
    origin_hlc: formatHlc(f.originHlc),
    received_from: f.receivedFrom,
    origin_node_id: f.originNodeId,
    origin_allowed_scopes: null,
    garden_id: f.gardenId,
    contradicted: f.contradicted,
    warnings: [...f.warnings],
    effective_confidence: f.confidence * f.sourceTrust,
    quarantine_status: f.quarantine as FactRecordJson["quarantine_status"],
    quarantine_garden_id: null,
    derived_from: [...f.derivedFrom],
    source_trust: f.sourceTrust,
    attested_key_id: null,
    attested: null,
    sanitizer_warnings: [],
    sanitizer_redacted: false,
    supersedes: [...f.supersedes],
    state: f.state,
  };
}

/** A FactValue body as a {@link ValueDraft}; anything but an object is handed on as it is, for validation to refuse. */
export function valueDraftJson(x: unknown): unknown {
  if (!isRecord(x)) return x;
  const v = x as Partial<Schemas["FactValueInput"]> & Record<string, unknown>;
  const draft: ValueDraft = { type: v.type, v: v.v, interpretAs: v.interpret_as };
  return draft;
}

/** An AssertRequest body (or a batch item) as an {@link AssertDraft}; a non-object is handed on for validation to refuse. */
export function assertDraftJson(x: unknown): unknown {
  if (!isRecord(x)) return x;
  const b = x as Partial<Schemas["AssertRequest"]> & Record<string, unknown>;
  const draft: AssertDraft = {
    entity: b.entity,
    relation: b.relation,
    value: b.value === undefined || b.value === null ? b.value : valueDraftJson(b.value),
    source: b.source,
    confidence: b.confidence,
    scope: b.scope,
    validUntil: b.valid_until,
    gardenId: b.garden_id,
    writeMode: b.write_mode,
    derivedFrom: b.derived_from,
  };
  return draft;
}
