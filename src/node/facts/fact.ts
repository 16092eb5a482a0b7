/**
 * A stored fact as the application layer hands it out: the fact model of
 * protocol.md §2 in camelCase, with its lifecycle state and provenance. The
 * transports render it — REST as the reference's FactRecord JSON
 * (transport/rest/fact-json.ts), Connect as the `Fact` message
 * (transport/connect/fact-mapping.ts) — so both describe a fact from one
 * object, and nothing here knows either wire.
 *
 * @module
 */
import type { Hlc } from "../../core/hlc.js";
import { relationWarnings } from "../../core/relation-warnings.js";
import type { InterpretAs, ValueType } from "../../core/values.js";
import type { FactRow } from "../../store/fact-row.js";

export type FactState = "current" | "superseded" | "retracted" | "overruled" | "expired";

/** A value as stored: its type and its canonical text (`value_v`, the CID input). */
export interface FactValue {
  readonly type: ValueType;
  /** The canonical text: numbers in protocol.md §4's form, `true`/`false`, `null`. */
  readonly text: string;
  readonly interpretAs: InterpretAs;
}

export interface Fact {
  readonly id: string;
  readonly entity: string;
  readonly relation: string;
  readonly value: FactValue;
  readonly source: string;
  /** When the origin wrote it, in the fixed format of protocol.md §2. */
  readonly timestamp: string;
  readonly confidence: number;
  readonly scope: string;
  readonly cid: string;
  /** RFC 3339 text as written; null when the fact does not expire. */
  readonly validUntil: string | null;
  /** This node's HLC of the fact. */
  readonly hlc: Hlc;
  /** The HLC its origin stamped (equal to `hlc` for a local fact). */
  readonly originHlc: Hlc;
  /** The peer it arrived from; null for a local write. */
  readonly receivedFrom: string | null;
  /** The node that wrote it, for a fact that arrived from a peer. */
  readonly originNodeId: string | null;
  readonly gardenId: string | null;
  /** It is a live head of a triple whose current view holds another value (§6). */
  readonly contradicted: boolean;
  /** Relation-naming advice, on the reply to the write only. */
  readonly warnings: readonly string[];
  /** Trust in its source (protocol.md §2): its own key 1.0, another local key 0.7, a peer's trust. */
  readonly sourceTrust: number;
  /** Quarantine status it was stored with (`pending`), or null. */
  readonly quarantine: string | null;
  readonly derivedFrom: readonly Record<string, unknown>[];
  /** Ids this fact replaced in its chain. */
  readonly supersedes: readonly string[];
  readonly state: FactState;
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
export function sourceTrust(row: Pick<FactRow, "actor" | "source" | "received_from">): number {
  if (row.received_from !== null) return PEER_TRUST;
  return row.actor === row.source ? 1.0 : OTHER_SOURCE_TRUST;
}

/** The fact of a stored row at `nowMs`. `withWarnings` adds relation-naming advice (the reply to a write). */
export function toFact(row: FactRow, nowMs: number, withWarnings = false): Fact {
  return {
    id: row.id,
    entity: row.entity,
    relation: row.relation,
    value: { type: row.value_type as ValueType, text: row.value_v, interpretAs: row.interpret_as as InterpretAs },
    source: row.source,
    timestamp: row.timestamp,
    confidence: row.confidence,
    scope: row.scope,
    cid: row.cid,
    validUntil: row.valid_until,
    hlc: { wall: row.hlc_w, counter: row.hlc_c },
    originHlc: { wall: row.origin_hlc_w, counter: row.origin_hlc_c },
    receivedFrom: row.received_from,
    originNodeId: row.received_from === null ? null : row.origin_node_id,
    gardenId: row.garden_id,
    contradicted: row.contradicted === 1,
    warnings: withWarnings ? relationWarnings(row.relation) : [],
    sourceTrust: sourceTrust(row),
    quarantine: row.quarantine,
    derivedFrom: row.derived_from === null ? [] : (JSON.parse(row.derived_from) as Record<string, unknown>[]),
    supersedes: row.supersedes === null ? [] : (JSON.parse(row.supersedes) as string[]),
    state: factState(row, nowMs),
  };
}
