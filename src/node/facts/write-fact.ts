/**
 * Writes one validated local fact inside the caller's transaction, applying
 * the rules of protocol.md §4–§6 in order: dedup against the chain head,
 * HLC tick, CID, insert, chain head and triple projections, conflict
 * records, graph edge, fact-chain link. Authorization happened before.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { computeCid } from "../../core/cid.js";
import { conflictsOnInsert, valueKey } from "../../core/contradiction.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { formatTimestamp } from "../../core/timestamp.js";
import { newUuidV7 } from "../../core/uuid-v7.js";
import { isLiveAt, type FactRow } from "../../store/fact-store.js";
import type { StigmemNode } from "../stigmem-node.js";
import type { AssertInput } from "./assert-input.js";
import { headFacts, storeTripleVerdict } from "./triple-verdict.js";

export interface WriteOutcome {
  row: FactRow;
  deduplicated: boolean;
  /** Conflict ids recorded by this write. */
  conflicts: string[];
}

/**
 * Writes `input` as a fact by `actor`. Must run inside a write-queue job; the
 * caller writes the audit entry in the same one, and the queue persists the
 * clock and indexes the text before the commit.
 */
export function writeLocalFact(node: StigmemNode, input: AssertInput, actor: string, nowMs: number): WriteOutcome {
  const { facts, conflicts, factChain } = node.stores;
  const cid = computeCid({
    entity: input.entity,
    relation: input.relation,
    value_type: input.valueType,
    value_v: input.valueV,
    source: input.source,
    confidence: input.confidence,
    scope: input.scope,
  });
  const heads = facts.tripleHeads(input.entity, input.relation, input.scope);
  const head = heads.find((h) => h.source === input.source);
  // §4 dedup: the same fact again is the head itself, unless something that is
  // not in the CID differs (expiry, garden, interpretation).
  if (
    head !== undefined &&
    head.cid === cid &&
    head.valid_until === input.validUntil &&
    head.garden_id === input.gardenId &&
    head.interpret_as === input.interpretAs
  ) {
    return { row: head, deduplicated: true, conflicts: [] };
  }

  const viewBefore = heads.filter((h) => isLiveAt(h, nowMs));
  const hlc = node.clock.tick(nowMs);
  const timestamp = formatTimestamp(nowMs);
  const supersedes = head === undefined ? [] : [head.id];
  // One literal for the insert, the projections and the reply: spreading a
  // 28-field row into copies cost ~10 % of a bulk load.
  const stored: FactRow = {
    rowid: 0,
    // Time-ordered (UUIDv7, spec/README.md): the id index grows at its end,
    // where a uuid4 dirtied a random page of it per write.
    id: newUuidV7(nowMs),
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
    origin_hlc_w: hlc.wall,
    origin_hlc_c: hlc.counter,
    origin_node_id: null,
    received_from: null,
    actor,
    cid,
    supersedes: supersedes.length === 0 ? null : JSON.stringify(supersedes),
    write_mode: input.writeMode,
    derived_from: input.derivedFrom.length === 0 ? null : JSON.stringify(input.derivedFrom),
    quarantine: null,
    is_head: 1,
    overruled: 0,
    contradicted: 0,
  };
  const rowid = facts.insert(stored);
  stored.rowid = rowid;
  const live = input.confidence > 0;
  facts.setHead({
    entity: input.entity,
    relation: input.relation,
    scope: input.scope,
    source: input.source,
    head_rowid: rowid,
    hlc_w: hlc.wall,
    hlc_c: hlc.counter,
    live,
    value_key: valueKey(input.valueType, input.valueV),
  });

  const mine = headFacts(stored, node.nodeId);
  const recorded: string[] = [];
  const headView = head === undefined ? undefined : headFacts(head, node.nodeId);
  for (const other of conflictsOnInsert(mine, viewBefore.map((h) => headFacts(h, node.nodeId)), headView, supersedes)) {
    const otherRow = viewBefore.find((h) => h.id === other.id) ?? head!;
    const conflictId = `stigmem:conflict:${randomUUID()}`;
    const isNew = conflicts.insert({
      conflict_id: conflictId,
      fact_a_rowid: rowid,
      fact_b_rowid: otherRow.rowid,
      entity: input.entity,
      relation: input.relation,
      scope: input.scope,
      detected_at: timestamp,
    });
    if (isNew) recorded.push(conflictId);
  }

  // The triple's view after the write: the other chains' live heads, plus ours if live.
  const viewAfter: FactRow[] = viewBefore.filter((h) => h.source !== input.source);
  if (live && (input.validUntilMs === null || input.validUntilMs > nowMs)) viewAfter.push(stored);
  const verdict = storeTripleVerdict(node, input, viewAfter);
  stored.contradicted = live && verdict.contradicted ? 1 : 0;

  if (input.valueType === "ref") {
    facts.insertEdge(rowid, input.entity, normalizeEntityUri(input.valueV, "value.v"), input.relation, input.scope);
  }
  factChain.append(stored, timestamp);
  return { row: stored, deduplicated: false, conflicts: recorded };
}
