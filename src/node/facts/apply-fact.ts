/**
 * The ONE write step for facts (architecture.md): a local assert, a batch
 * item, a conflict's resolution and (with federation) a fact ingested from a
 * peer all arrive here, inside the caller's write transaction, and leave the
 * same trace: the immutable row, its chain head and triple verdict, its graph
 * edge, its conflict records, their audit entries and — for local writes —
 * the fact-chain link. What supersedes what is decided by one pure function
 * (core/supersession.ts); where the fact came from is an input, not a
 * constant.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { computeCid } from "../../core/cid.js";
import { valueKey, type HeadFacts } from "../../core/contradiction.js";
import type { Hlc } from "../../core/hlc.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { decideSupersession, type ChainHead } from "../../core/supersession.js";
import { formatTimestamp } from "../../core/timestamp.js";
import { newUuidV7 } from "../../core/uuid-v7.js";
import type { AuditLog } from "../../store/audit-log.js";
import type { ConflictStore } from "../../store/conflict-store.js";
import type { FactChain } from "../../store/fact-chain.js";
import type { FactRow, FactStore, HeadRow } from "../../store/fact-store.js";
import type { ViewSignal } from "../../store/view-signal.js";
import type { Clock } from "../clock.js";
import type { AssertInput } from "./assert-input.js";

/** Where a fact comes from. */
export type Provenance =
  /** Written on this node by `actor` (the key's entity). */
  | { readonly kind: "local"; readonly actor: string }
  /**
   * Received from the peer `receivedFrom`, as its origin stamped it: the
   * origin's id, timestamp, HLC and node, the CID the ingest checks verified,
   * the ids it declared superseded, and a quarantine status (instructions
   * from peers wait for a moderator).
   */
  | {
      readonly kind: "ingested";
      readonly receivedFrom: string;
      readonly id: string;
      readonly timestamp: string;
      readonly originHlc: Hlc;
      readonly originNodeId: string;
      readonly cid: string;
      readonly supersedes: readonly string[];
      readonly quarantine: string | null;
    };

export interface ApplyOutcome {
  readonly row: FactRow;
  /** The chain head already was this fact (§4 dedup): nothing was written. */
  readonly deduplicated: boolean;
  /** Conflict ids recorded by this write. */
  readonly conflicts: readonly string[];
}

export interface ApplyOptions {
  /**
   * Audit each write as `fact_write` / `fact_retract` (a single assert). A
   * batch or an ingested page writes one entry for the whole instead. Each
   * recorded conflict is audited either way.
   */
  readonly auditWrite: boolean;
}

/** What the write step needs, named. */
export interface FactApplierDeps {
  readonly nodeId: string;
  readonly facts: FactStore;
  readonly conflicts: ConflictStore;
  readonly audit: AuditLog;
  readonly factChain: FactChain;
  readonly clock: Clock;
  readonly signal: ViewSignal;
}

export class FactApplier {
  constructor(private readonly deps: FactApplierDeps) {}

  /**
   * Writes `input` with its `provenance` at `nowMs`. Must run inside a write
   * transaction (a write-queue job); authorization and validation happened
   * before. A local write identical to its chain's head (§4: same CID,
   * expiry, garden and interpretation) returns that head and writes nothing.
   */
  apply(input: AssertInput, provenance: Provenance, nowMs: number, opts: ApplyOptions): ApplyOutcome {
    const { facts, factChain, clock, nodeId } = this.deps;
    const cid =
      provenance.kind === "ingested"
        ? provenance.cid
        : computeCid({
            entity: input.entity,
            relation: input.relation,
            value_type: input.valueType,
            value_v: input.valueV,
            source: input.source,
            confidence: input.confidence,
            scope: input.scope,
          });
    const heads = facts.tripleHeads(input.entity, input.relation, input.scope);
    const own = heads.find((h) => h.source === input.source);
    if (
      provenance.kind === "local" &&
      own !== undefined &&
      own.cid === cid &&
      own.valid_until === input.validUntil &&
      own.garden_id === input.gardenId &&
      own.interpret_as === input.interpretAs
    ) {
      return { row: own, deduplicated: true, conflicts: [] };
    }

    const local = provenance.kind === "local";
    const hlc = local ? clock.tick(nowMs) : clock.receive(provenance.originHlc, nowMs);
    const originHlc = local ? hlc : provenance.originHlc;
    const id = local ? newUuidV7(nowMs) : provenance.id;
    const timestamp = local ? formatTimestamp(nowMs) : provenance.timestamp;
    const arriving = {
      id,
      source: input.source,
      valueKey: valueKey(input.valueType, input.valueV),
      confidence: input.confidence,
      origin_hlc: originHlc,
      origin_node_id: local ? nodeId : provenance.originNodeId,
      cid,
      validUntilMs: input.validUntilMs,
      origin: local ? ({ kind: "local" } as const) : ({ kind: "ingested", supersedes: provenance.supersedes } as const),
    };
    const decision = decideSupersession(arriving, heads.map((h) => chainHead(h, nodeId)), nowMs);

    // One literal for the insert, the projections and the reply: spreading a
    // 29-field row into copies cost ~10 % of a bulk load.
    const stored: FactRow = {
      rowid: 0,
      // Time-ordered (UUIDv7, spec/README.md): the id index grows at its end.
      id,
      entity: input.entity,
      relation: input.relation,
      value_type: input.valueType,
      value_v: input.valueV,
      interpret_as: input.interpretAs,
      source: input.source,
      confidence: input.confidence,
      scope: input.scope,
      garden_id: input.gardenId,
      valid_until: input.validUntil,
      valid_until_ms: input.validUntilMs,
      timestamp,
      hlc_w: hlc.wall,
      hlc_c: hlc.counter,
      origin_hlc_w: originHlc.wall,
      origin_hlc_c: originHlc.counter,
      origin_node_id: local ? null : provenance.originNodeId,
      received_from: local ? null : provenance.receivedFrom,
      actor: local ? provenance.actor : null,
      cid,
      supersedes: decision.supersedes.length === 0 ? null : JSON.stringify(decision.supersedes),
      write_mode: input.writeMode,
      derived_from: input.derivedFrom.length === 0 ? null : JSON.stringify(input.derivedFrom),
      quarantine: local ? null : provenance.quarantine,
      is_head: decision.becomesHead ? 1 : 0,
      overruled: 0,
      contradicted: 0,
    };
    const rowid = facts.insert(stored);
    stored.rowid = rowid;
    this.deps.signal.wrote(stored);

    if (decision.becomesHead) {
      facts.setHead({
        entity: input.entity,
        relation: input.relation,
        scope: input.scope,
        source: input.source,
        head_rowid: rowid,
        hlc_w: hlc.wall,
        hlc_c: hlc.counter,
        live: input.confidence > 0,
        value_key: arriving.valueKey,
      });
    }
    if (decision.verdict !== null) {
      const v = decision.verdict;
      facts.setTriple(input.entity, input.relation, input.scope, v.contradicted, v.winnerKey, v.nextExpiryMs);
      stored.contradicted = decision.becomesHead && input.confidence > 0 && v.contradicted ? 1 : 0;
    }

    const actor = local ? provenance.actor : provenance.receivedFrom;
    const recorded = this.recordConflicts(stored, decision.conflictsWith, heads, nowMs);
    if (input.valueType === "ref") {
      facts.insertEdge(rowid, input.entity, normalizeEntityUri(input.valueV, "value.v"), input.relation, input.scope);
    }
    // The fact chain covers this node's own writes (protocol.md §11), not what peers sent.
    if (local) factChain.append(stored, timestamp);
    if (local && opts.auditWrite) {
      this.deps.audit.append(
        {
          eventType: input.confidence > 0 ? "fact_write" : "fact_retract",
          actor,
          outcome: "success",
          scope: input.scope,
          factId: id,
          detail: { cid, entity: input.entity, relation: input.relation, conflicts: recorded },
        },
        nowMs,
      );
    }
    for (const conflictId of recorded) {
      this.deps.audit.append(
        { eventType: "conflict_detected", actor, outcome: "success", scope: input.scope, factId: id, detail: { conflict_id: conflictId } },
        nowMs,
      );
    }
    return { row: stored, deduplicated: false, conflicts: recorded };
  }

  /** Records a conflict of `stored` with each of `others`, once per pair; returns the new records' ids. */
  private recordConflicts(stored: FactRow, others: readonly HeadFacts[], heads: readonly HeadRow[], nowMs: number): string[] {
    const recorded: string[] = [];
    for (const other of others) {
      const otherRow = heads.find((h) => h.id === other.id)!;
      const conflictId = `stigmem:conflict:${randomUUID()}`;
      const isNew = this.deps.conflicts.insert({
        conflict_id: conflictId,
        fact_a_rowid: stored.rowid,
        fact_b_rowid: otherRow.rowid,
        entity: stored.entity,
        relation: stored.relation,
        scope: stored.scope,
        detected_at: formatTimestamp(nowMs),
      });
      if (isNew) recorded.push(conflictId);
    }
    return recorded;
  }
}

/** A stored chain head as the supersession rules see it. */
function chainHead(h: HeadRow, ownNodeId: string): ChainHead {
  return {
    id: h.id,
    source: h.source,
    valueKey: valueKey(h.value_type, h.value_v),
    confidence: h.confidence,
    origin_hlc: { wall: h.origin_hlc_w, counter: h.origin_hlc_c },
    origin_node_id: h.origin_node_id ?? ownNodeId,
    cid: h.cid,
    live: h.head_live === 1,
    validUntilMs: h.valid_until_ms,
    supersedes: h.supersedes === null ? [] : (JSON.parse(h.supersedes) as string[]),
  };
}
