/**
 * @module core/export/conflict-line
 *
 * One conflict record (protocol.md §6) as a line of the export file, and
 * back. Conflicts travel as records, not as something to recompute: their
 * ids, when they were detected and how a person resolved them are facts of
 * the node's history that no fact row holds. The two facts are named by id;
 * what a resolution overruled follows from the record and its resolution
 * fact, and is rebuilt.
 */
import { isScope, type Scope } from "../scope.js";
import { ExportFileError } from "./export-file-error.js";
import { count, optStr, str } from "./export-format.js";

/** A conflict record as exported and imported. */
export interface ExportedConflict {
  /** Detection order (1, 2, …), which conflict cursors page by. */
  seq: number;
  conflict_id: string;
  /** Id of the fact whose arrival opened the record. */
  fact_a: string;
  /** Id of the fact it contradicted. */
  fact_b: string;
  entity: string;
  relation: string;
  scope: Scope;
  status: "unresolved" | "resolved";
  detected_at: string;
  /** Id of the resolution fact. */
  resolved_by: string | null;
  resolution_note: string | null;
  resolver: string | null;
  resolved_at: string | null;
}

/** The record as its line. */
export function conflictLine(c: ExportedConflict): string {
  const o: Record<string, unknown> = {
    kind: "conflict",
    seq: c.seq,
    conflict_id: c.conflict_id,
    fact_a: c.fact_a,
    fact_b: c.fact_b,
    entity: c.entity,
    relation: c.relation,
    scope: c.scope,
    status: c.status,
    detected_at: c.detected_at,
  };
  if (c.resolved_by !== null) o.resolved_by = c.resolved_by;
  if (c.resolution_note !== null) o.resolution_note = c.resolution_note;
  if (c.resolver !== null) o.resolver = c.resolver;
  if (c.resolved_at !== null) o.resolved_at = c.resolved_at;
  return JSON.stringify(o);
}

/**
 * Reads a parsed conflict line (its `kind` already checked).
 * @throws ExportFileError naming the line and the field.
 */
export function readConflictLine(o: Record<string, unknown>, line: number): ExportedConflict {
  const status = o.status;
  if (status !== "unresolved" && status !== "resolved") throw new ExportFileError(line, "status", "must be unresolved or resolved");
  const scope = o.scope;
  if (!isScope(scope)) throw new ExportFileError(line, "scope", "must be local, team, company or public");
  const seq = count(o, "seq", line);
  if (seq === 0) throw new ExportFileError(line, "seq", "must be a positive integer");
  const resolvedBy = optStr(o, "resolved_by", line);
  if ((status === "resolved") !== (resolvedBy !== null)) {
    throw new ExportFileError(line, "resolved_by", "is given exactly when the conflict is resolved");
  }
  return {
    seq,
    conflict_id: str(o, "conflict_id", line),
    fact_a: str(o, "fact_a", line),
    fact_b: str(o, "fact_b", line),
    entity: str(o, "entity", line),
    relation: str(o, "relation", line),
    scope,
    status,
    detected_at: str(o, "detected_at", line),
    resolved_by: resolvedBy,
    resolution_note: optStr(o, "resolution_note", line),
    resolver: optStr(o, "resolver", line),
    resolved_at: optStr(o, "resolved_at", line),
  };
}
