/**
 * A conflict as clients see it (protocol.md §6): the ref's shape plus our
 * `entity, relation, scope, resolution_note, resolver, resolved_at`.
 *
 * @module
 */
import type { ConflictRow } from "../../store/conflict-store.js";
import { AppError } from "../app-error.js";
import { toFactRecord, type FactRecord } from "../facts/fact-record.js";
import type { NodeContext } from "../node-context.js";

export interface ConflictRecord {
  conflict_id: string;
  fact_a: FactRecord;
  fact_b: FactRecord;
  status: "unresolved" | "resolved";
  resolved_by: string | null;
  detected_at: string;
  entity: string;
  relation: string;
  scope: string;
  resolution_note: string | null;
  resolver: string | null;
  resolved_at: string | null;
}

export function toConflictRecord(node: NodeContext, row: ConflictRow, nowMs: number): ConflictRecord {
  const a = node.stores.facts.byRowid(row.fact_a_rowid);
  const b = node.stores.facts.byRowid(row.fact_b_rowid);
  if (a === undefined || b === undefined) throw new AppError("internal", `conflict ${row.conflict_id} names a missing fact`);
  return {
    conflict_id: row.conflict_id,
    fact_a: toFactRecord(a, nowMs),
    fact_b: toFactRecord(b, nowMs),
    status: row.status,
    resolved_by: row.resolved_by,
    detected_at: row.detected_at,
    entity: row.entity,
    relation: row.relation,
    scope: row.scope,
    resolution_note: row.resolution_note,
    resolver: row.resolver,
    resolved_at: row.resolved_at,
  };
}
