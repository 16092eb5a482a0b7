/**
 * The fact tools: write one (`assert_fact`), end a chain (`retract_fact`),
 * list (`query_facts`) and read one (`get_fact`). Each is one SDK call; the
 * node decides everything else (normalization, supersession, conflicts,
 * permissions) exactly as for REST.
 *
 * @module
 */
import type { RetractInput, Scope } from "@stigmem/sdk";
import { factDetail, factLine, factPageText } from "./tool-text.js";
import { assertFactInput, getFactInput, queryFactsInput, retractFactInput } from "./tool-inputs.js";
import { ToolArgumentError, toolResult } from "./tool-result.js";
import { defineTool, READ_ONLY, toValueInput } from "./tool-spec.js";

/** Page size when the model does not ask: enough to answer, small enough for a context window. */
const DEFAULT_PAGE = 20;

export const assertFact = defineTool({
  name: "assert_fact",
  title: "Remember a fact",
  description:
    "Write a typed fact to Stigmem shared memory: (entity, relation, value) said by a source. Facts are immutable: " +
    "asserting a new value for the same entity, relation, scope and source supersedes the old one; a different value from " +
    "another source is kept as a conflict (see list_conflicts). Example: " +
    '{"entity":"user:alice","relation":"memory:role","value":{"type":"string","v":"staff engineer"},"source":"agent:claude","scope":"company"}.',
  input: assertFactInput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ client }, a) {
    const r = await client.facts.assert({
      entity: a.entity,
      relation: a.relation,
      value: toValueInput(a.value),
      source: a.source,
      scope: a.scope,
      confidence: a.confidence,
      validUntil: a.valid_until,
    });
    const what = r.deduplicated ? "Already known (nothing new stored)" : "Stored";
    return toolResult(`${what}: ${factLine(r.fact)}`, r);
  },
});

export const queryFacts = defineTool({
  name: "query_facts",
  title: "List facts",
  description:
    "List facts by exact filters (entity, relation, source, scope), newest first, one page at a time. Use it to see " +
    "everything known about an entity; use recall for a question in natural language. Example: " +
    '{"entity":"user:alice"} or {"relation":"memory:role","scope":"company","limit":50}.',
  input: queryFactsInput,
  annotations: READ_ONLY,
  async run({ client }, a) {
    const page = await client.facts.query({
      entity: a.entity,
      relation: a.relation,
      source: a.source,
      scope: a.scope,
      minConfidence: a.min_confidence,
      includeContradicted: a.include_contradicted,
      includeSuperseded: a.include_superseded,
      includeExpired: a.include_expired,
      limit: a.limit ?? DEFAULT_PAGE,
      cursor: a.cursor,
    });
    return toolResult(factPageText(page), page);
  },
});

export const getFact = defineTool({
  name: "get_fact",
  title: "Read one fact",
  description:
    "Read one fact by its id or CID, in any state (current, superseded, retracted, …), with its CID and history links. " +
    'Example: {"id":"0190a5c3-7b1e-7c4e-9f3a-2d8e5b6c1a90"}.',
  input: getFactInput,
  annotations: READ_ONLY,
  async run({ client }, a) {
    const fact = await client.facts.get(a.id);
    return toolResult(factDetail(fact), { fact });
  },
});

export const retractFact = defineTool({
  name: "retract_fact",
  title: "Retract a fact",
  description:
    "Retract a fact that is no longer true: writes a confidence-0 fact from the same source that ends its chain " +
    "(the history stays, for audit). Give the fact's id, or its entity, relation, source and scope. Examples: " +
    '{"fact_id":"0190a5c3-7b1e-7c4e-9f3a-2d8e5b6c1a90"} or {"entity":"user:alice","relation":"memory:role","source":"agent:claude","scope":"company"}.',
  input: retractFactInput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ client }, a) {
    if (a.fact_id !== undefined && [a.entity, a.relation, a.source, a.scope].some((x) => x !== undefined)) {
      throw new ToolArgumentError("give fact_id or entity, relation, source and scope, not both");
    }
    const chain = a.fact_id === undefined ? chainOf(a) : await client.facts.get(a.fact_id);
    const r = await client.facts.retract({ entity: chain.entity, relation: chain.relation, source: chain.source, scope: chain.scope });
    return toolResult(`Retracted: ${chain.entity} ${chain.relation} from ${chain.source} in scope ${chain.scope} (retraction fact ${r.fact.id}).`, r);
  },
});

/** The chain named field by field; all four are needed. */
function chainOf(a: { entity?: string; relation?: string; source?: string; scope?: Scope }): RetractInput {
  const missing = (["entity", "relation", "source", "scope"] as const).filter((k) => a[k] === undefined);
  if (missing.length > 0) throw new ToolArgumentError(`give fact_id, or all of entity, relation, source and scope (missing: ${missing.join(", ")})`);
  return { entity: a.entity!, relation: a.relation!, source: a.source!, scope: a.scope! };
}
