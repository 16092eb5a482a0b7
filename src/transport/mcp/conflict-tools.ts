/**
 * The conflict tools: `list_conflicts` shows where sources disagree about
 * an (entity, relation, scope), `resolve_conflict` settles one by keeping
 * one side or writing a new value, with a note kept for auditors.
 *
 * @module
 */
import type { Resolution } from "@stigmem/sdk";
import { conflictText } from "./tool-text.js";
import { listConflictsInput, resolveConflictInput, type ResolveConflictArgs } from "./tool-inputs.js";
import { ToolArgumentError, toolResult } from "./tool-result.js";
import { defineTool, READ_ONLY, toValueInput } from "./tool-spec.js";

export const listConflicts = defineTool({
  name: "list_conflicts",
  title: "List conflicts",
  description:
    "List conflicts: two sources asserting different values for the same entity, relation and scope. Each shows both " +
    'facts with their ids, for resolve_conflict. Example: {} (unresolved ones) or {"status":"resolved","limit":10}.',
  input: listConflictsInput,
  annotations: READ_ONLY,
  async run({ client }, a) {
    const status = a.status ?? "unresolved";
    const page = await client.conflicts.list({ status: status === "all" ? undefined : status, limit: a.limit ?? 20, cursor: a.cursor });
    const which = status === "all" ? "" : ` ${status}`;
    if (page.conflicts.length === 0) return toolResult(`No${which} conflicts.`, page);
    const lines = [`${page.conflicts.length} of ${page.total}${which} conflict(s):`, ...page.conflicts.map(conflictText)];
    if (page.cursor !== null) lines.push(`More: call list_conflicts again with cursor "${page.cursor}".`);
    return toolResult(lines.join("\n"), page);
  },
});

export const resolveConflict = defineTool({
  name: "resolve_conflict",
  title: "Resolve a conflict",
  description:
    "Settle a conflict from list_conflicts: keep one of its two facts (winning_fact_id) or record a new value " +
    "(new_value), with a note saying why. Needs write permission. Examples: " +
    '{"conflict_id":"stigmem:conflict:0190…","winning_fact_id":"0190…","note":"confirmed with alice"} or ' +
    '{"conflict_id":"stigmem:conflict:0190…","new_value":{"type":"string","v":"lead engineer"}}.',
  input: resolveConflictInput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run({ client }, a) {
    const r = await client.conflicts.resolve(a.conflict_id, resolution(a));
    return toolResult(`Resolved ${a.conflict_id}: resolution fact ${r.resolutionFactId}.`, r);
  },
});

/** Exactly one of the two ways to settle. */
function resolution(a: ResolveConflictArgs): Resolution {
  if ((a.winning_fact_id === undefined) === (a.new_value === undefined)) {
    throw new ToolArgumentError("give exactly one of winning_fact_id and new_value");
  }
  return a.winning_fact_id !== undefined
    ? { winningFactId: a.winning_fact_id, note: a.note }
    : { newValue: toValueInput(a.new_value!), note: a.note };
}
