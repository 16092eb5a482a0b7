/**
 * `lint`: a health sweep of a scope (contradictions, stale facts, orphans,
 * broken refs). The tool asks the node, so it works as soon as the node
 * does; a node without lint answers `not_implemented`, which reaches the
 * model as a tool error saying so (and the description points at
 * list_conflicts, the part of lint that works on every node).
 *
 * @module
 */
import { lintInput } from "./tool-inputs.js";
import { toolResult } from "./tool-result.js";
import { defineTool, READ_ONLY } from "./tool-spec.js";

export const lint = defineTool({
  name: "lint",
  title: "Lint a scope",
  description:
    "Sweep a scope for knowledge-base health problems: unresolved contradictions, stale or expiring facts, orphaned " +
    "entities and broken refs. Read-only. Not every node implements it; list_conflicts finds contradictions on any node. " +
    'Example: {"scope":"company","checks":["contradiction","stale"]}.',
  input: lintInput,
  annotations: READ_ONLY,
  async run(backend, a) {
    const answer = await backend.lint({ scope: a.scope, checks: a.checks ?? null, entity: a.entity ?? null, relation: a.relation ?? null,
      stale_lookahead_s: a.stale_lookahead_s ?? 0 });
    return toolResult(JSON.stringify(answer, null, 2), answer);
  },
});
