/**
 * A stored fact as clients see it: the REST FactRecord of protocol.md §2,
 * every field always present. Connect maps this same object to its `Fact`
 * message, so both transports describe a fact identically.
 *
 * @module
 */
import { formatHlc } from "../../core/hlc.js";
import { relationWarnings } from "../../core/relation-warnings.js";
import { fromValueV, type InterpretAs, type ValueType, type ValueV } from "../../core/values.js";
import type { FactRow } from "../../store/fact-store.js";
import { withNumberLexeme } from "./number-lexeme.js";

export type FactState = "current" | "superseded" | "retracted" | "overruled" | "expired";

export interface FactRecord {
  id: string;
  entity: string;
  relation: string;
  value: { type: ValueType; v: ValueV; interpret_as: InterpretAs };
  source: string;
  timestamp: string;
  confidence: number;
  scope: string;
  cid: string;
  valid_until: string | null;
  hlc: string;
  origin_hlc: string;
  received_from: string | null;
  origin_node_id: string | null;
  origin_allowed_scopes: string[] | null;
  garden_id: string | null;
  contradicted: boolean;
  warnings: string[];
  effective_confidence: number;
  quarantine_status: string | null;
  quarantine_garden_id: string | null;
  derived_from: Record<string, unknown>[];
  source_trust: number;
  attested_key_id: null;
  attested: null;
  sanitizer_warnings: string[];
  sanitizer_redacted: false;
  supersedes: string[];
  state: FactState;
}

/** Trust of a local write whose source is not the writing key's own entity (protocol.md §2). */
export const OTHER_SOURCE_TRUST = 0.7;

/** The lifecycle state of a stored row at `nowMs`. */
export function factState(row: FactRow, nowMs: number): FactState {
  if (row.overruled) return "overruled";
  if (!row.is_head) return "superseded";
  if (row.confidence <= 0) return "retracted";
  if (row.valid_until_ms !== null && row.valid_until_ms <= nowMs) return "expired";
  return "current";
}

/** Trust in a fact received from a peer (protocol.md §2: the peer's trust, 0.5 by default). */
export const PEER_TRUST = 0.5;

/** Trust in the fact's source: its own key 1.0, another local key 0.7, a peer's fact 0.5. */
export function sourceTrust(row: FactRow): number {
  if (row.received_from !== null) return PEER_TRUST;
  return row.actor === row.source ? 1.0 : OTHER_SOURCE_TRUST;
}

/** Builds the wire record. `withWarnings` adds relation-naming advice (assert responses). */
export function toFactRecord(row: FactRow, nowMs: number, withWarnings = false): FactRecord {
  const trust = sourceTrust(row);
  return {
    id: row.id,
    entity: row.entity,
    relation: row.relation,
    value: withNumberLexeme(
      {
        type: row.value_type as ValueType,
        v: fromValueV(row.value_type as ValueType, row.value_v),
        interpret_as: row.interpret_as as InterpretAs,
      },
      row.value_v,
    ),
    source: row.source,
    timestamp: row.timestamp,
    confidence: row.confidence,
    scope: row.scope,
    cid: row.cid,
    valid_until: row.valid_until,
    hlc: formatHlc({ wall: row.hlc_w, counter: row.hlc_c }),
    origin_hlc: formatHlc({ wall: row.origin_hlc_w, counter: row.origin_hlc_c }),
    received_from: row.received_from,
    origin_node_id: row.received_from === null ? null : row.origin_node_id,
    origin_allowed_scopes: null,
    garden_id: row.garden_id,
    contradicted: row.contradicted === 1,
    warnings: withWarnings ? relationWarnings(row.relation) : [],
    effective_confidence: row.confidence * trust,
    quarantine_status: null,
    quarantine_garden_id: null,
    derived_from: row.derived_from === null ? [] : (JSON.parse(row.derived_from) as Record<string, unknown>[]),
    source_trust: trust,
    attested_key_id: null,
    attested: null,
    sanitizer_warnings: [],
    sanitizer_redacted: false,
    supersedes: row.supersedes === null ? [] : (JSON.parse(row.supersedes) as string[]),
    state: factState(row, nowMs),
  };
}
