/**
 * REST handlers of the `conflicts` tag: query strings and JSON in as drafts,
 * domain conflicts out as the contract's JSON.
 *
 * @module
 */
import type { components } from "../../../gen/openapi/stigmem.js";
import type { Conflict } from "../../node/conflicts/conflict.js";
import { getConflict, listConflicts } from "../../node/conflicts/list-conflicts.js";
import { resolveConflict } from "../../node/conflicts/resolve-conflict.js";
import { isRecord } from "../../node/validation.js";
import { factJson, valueDraftJson } from "./fact-json.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

export const conflictHandlers: RestHandlers = {
  listConflicts: (req, _reply, { node, principal }): Schemas["ConflictPage"] => {
    const q = req.query as Record<string, unknown>;
    const page = listConflicts(node, principal, { status: q.status, cursor: q.cursor, limit: q.limit });
    return { conflicts: page.conflicts.map(conflictJson), cursor: page.cursor, has_more: page.hasMore, total: page.total };
  },
  getConflict: (req, _reply, { node, principal }): Schemas["Conflict"] =>
    conflictJson(getConflict(node, principal, (req.params as { conflict_id: string }).conflict_id)),
  resolveConflict: async (req, _reply, { node, principal }): Promise<Schemas["ConflictResolution"]> => {
    const body = req.body;
    const b = (isRecord(body) ? body : {}) as Partial<Schemas["ConflictResolveRequest"]> & Record<string, unknown>;
    const draft = isRecord(body)
      ? {
          winningFactId: b.winning_fact_id,
          newValue: b.new_value === undefined || b.new_value === null ? b.new_value : valueDraftJson(b.new_value),
          resolutionNote: b.resolution_note,
        }
      : (body as object);
    const r = await resolveConflict(node, principal, (req.params as { conflict_id: string }).conflict_id, draft);
    return { resolution_fact_id: r.resolutionFactId, conflict_status: r.conflictStatus };
  },
};

function conflictJson(c: Conflict): Schemas["Conflict"] {
  return {
    conflict_id: c.conflictId,
    fact_a: factJson(c.factA),
    fact_b: factJson(c.factB),
    status: c.status,
    resolved_by: c.resolvedBy,
    detected_at: c.detectedAt,
    entity: c.entity,
    relation: c.relation,
    scope: c.scope,
    resolution_note: c.resolutionNote,
    resolver: c.resolver,
    resolved_at: c.resolvedAt,
  };
}
