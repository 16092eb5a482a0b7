/**
 * A conflict record as the application hands it out (protocol.md §6): the
 * two facts, its status and, once resolved, by what and whom. The
 * transports render it for their wire.
 *
 * @module
 */
import type { ConflictRow } from "../../store/conflict-store.js";
import { AppError } from "../app-error.js";
import { toFact, type Fact } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";

export interface Conflict {
  readonly conflictId: string;
  /** The fact whose arrival opened the record. */
  readonly factA: Fact;
  /** The fact it contradicted. */
  readonly factB: Fact;
  readonly status: "unresolved" | "resolved";
  /** Id of the resolution fact. */
  readonly resolvedBy: string | null;
  readonly detectedAt: string;
  readonly entity: string;
  readonly relation: string;
  readonly scope: string;
  readonly resolutionNote: string | null;
  readonly resolver: string | null;
  readonly resolvedAt: string | null;
}

export function toConflict(node: NodeContext, row: ConflictRow, nowMs: number): Conflict {
  const a = node.stores.facts.byRowid(row.fact_a_rowid);
  const b = node.stores.facts.byRowid(row.fact_b_rowid);
  if (a === undefined || b === undefined) throw new AppError("internal", `conflict ${row.conflict_id} names a missing fact`);
  return {
    conflictId: row.conflict_id,
    factA: toFact(a, nowMs),
    factB: toFact(b, nowMs),
    status: row.status,
    resolvedBy: row.resolved_by,
    detectedAt: row.detected_at,
    entity: row.entity,
    relation: row.relation,
    scope: row.scope,
    resolutionNote: row.resolution_note,
    resolver: row.resolver,
    resolvedAt: row.resolved_at,
  };
}
