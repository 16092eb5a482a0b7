/**
 * REST handlers of the `conflicts` tag.
 *
 * @module
 */
import { getConflict, listConflicts } from "../../node/conflicts/list-conflicts.js";
import { resolveConflict } from "../../node/conflicts/resolve-conflict.js";
import type { RestHandlers } from "./rest-plugin.js";

export const conflictHandlers: RestHandlers = {
  listConflicts: (req, _reply, { node, principal }) =>
    listConflicts(node, principal, req.query as Record<string, unknown>),
  getConflict: (req, _reply, { node, principal }) =>
    getConflict(node, principal, (req.params as { conflict_id: string }).conflict_id),
  resolveConflict: (req, _reply, { node, principal }) =>
    resolveConflict(node, principal, (req.params as { conflict_id: string }).conflict_id, req.body),
};
