/**
 * The input schemas of the MCP tools, written for a language model to fill
 * in: every field says what it is with an example, scopes and value types
 * are enums, and objects are strict so a misspelt argument is an error the
 * model can read instead of a silently ignored one. The MCP SDK turns them
 * into the JSON Schema of `tools/list` and validates every call against
 * them before a handler runs; the node still checks what only it can know
 * (URI syntax, value sizes, permissions).
 *
 * Argument names are snake_case, as in the REST API and the reference MCP
 * server, so prompts written for either keep working.
 *
 * @module
 */
import { z } from "zod";
import { SCOPES } from "../../core/scope.js";
import { VALUE_TYPES } from "../../core/values.js";

const scopeField = z
  .enum(SCOPES)
  .describe("Visibility scope: local (this node only, the default), team, company or public (may be shared with peers).");

const entityField = z.string().min(1).describe('Entity URI the fact is about, e.g. "user:alice" or "project:atlas".');
const relationField = z.string().min(1).describe('Namespaced relation, e.g. "memory:role", "memory:prefers", "project:status".');
const sourceField = z.string().min(1).describe('Who asserts it (you), as a URI, e.g. "agent:claude" or "user:alice".');

/** A typed value, as the node stores it. */
export const valueInput = z
  .strictObject({
    type: z.enum(VALUE_TYPES).describe("Value type: string (short), text (long prose), number, boolean, datetime (RFC 3339), ref (another entity URI) or null."),
    v: z
      .union([z.string(), z.number(), z.boolean(), z.null()])
      .optional()
      .describe("The value itself, matching type; omit for null."),
  })
  .describe(
    'Typed value, e.g. {"type":"string","v":"staff engineer"}, {"type":"number","v":42}, {"type":"boolean","v":true}, ' +
      '{"type":"datetime","v":"2025-06-01T09:00:00Z"}, {"type":"ref","v":"project:atlas"} or {"type":"null"}.',
  );

export const assertFactInput = z.strictObject({
  entity: entityField,
  relation: relationField,
  value: valueInput,
  source: sourceField,
  scope: scopeField.optional(),
  confidence: z.number().min(0).max(1).optional().describe("How sure the source is, 0–1 (default 1). 0 retracts; prefer retract_fact for that."),
  valid_until: z.string().optional().describe('RFC 3339 instant after which the fact expires, e.g. "2025-12-31T23:59:59Z". Omit for never.'),
});

export const recallInput = z.strictObject({
  query: z.string().min(1).describe('A natural-language question or keywords, e.g. "what does alice work on?".'),
  scope: scopeField.optional().describe("Scope to recall from (exact; default local)."),
  token_budget: z.number().int().min(1).max(200_000).optional().describe("Most tokens of facts to return (default 4000)."),
  entity: z.string().optional().describe('Only facts about this entity, e.g. "user:alice".'),
  relation: z.string().optional().describe('Only facts with this relation, e.g. "memory:role".'),
  min_confidence: z.number().min(0).max(1).optional().describe("Leave out facts below this confidence (default 0.1)."),
  depth: z.number().int().min(1).max(3).optional().describe("Hops through ref facts to related entities, 1–3 (default 2)."),
});

export const queryFactsInput = z.strictObject({
  entity: z.string().optional().describe('Facts about this entity, e.g. "user:alice".'),
  relation: z.string().optional().describe('Facts with this relation, e.g. "memory:role".'),
  source: z.string().optional().describe('Facts asserted by this source, e.g. "agent:claude".'),
  scope: scopeField.optional().describe("Only facts in this scope (default: every scope your key may read)."),
  min_confidence: z.number().min(0).max(1).optional().describe("Leave out facts below this confidence."),
  include_contradicted: z.boolean().optional().describe("Also list the losing side of contradicted facts (default false: a contradicted fact shows its winning value, flagged)."),
  include_superseded: z.boolean().optional().describe("Include history: superseded, retracted and overruled facts, each with its state."),
  include_expired: z.boolean().optional().describe("Include facts past their valid_until."),
  limit: z.number().int().min(1).max(500).optional().describe("Facts per page, 1–500 (default 20)."),
  cursor: z.string().optional().describe("The cursor a previous query_facts returned, for the next page."),
});

export const getFactInput = z.strictObject({
  id: z.string().min(1).describe('A fact id (UUID) or CID ("sha256:…"), as returned by assert_fact, query_facts or recall.'),
});

export const getCardInput = z.strictObject({
  entity: entityField.describe('Entity URI whose memory card (a summary of its current facts) to read, e.g. "user:alice".'),
  scope: scopeField.optional().describe("Scope of the card (default local)."),
  refresh: z.boolean().optional().describe("Rebuild the card now instead of serving a cached one."),
});

export const listConflictsInput = z.strictObject({
  status: z.enum(["unresolved", "resolved", "all"]).optional().describe("Which conflicts: unresolved (default, the ones to settle), resolved or all."),
  limit: z.number().int().min(1).max(500).optional().describe("Conflicts per page, 1–500 (default 20)."),
  cursor: z.string().optional().describe("The cursor a previous list_conflicts returned, for the next page."),
});

export const resolveConflictInput = z.strictObject({
  conflict_id: z.string().min(1).describe('The conflict to settle, as list_conflicts shows it, e.g. "stigmem:conflict:0190…".'),
  winning_fact_id: z.string().optional().describe("Keep this one of the two facts (its fact_a or fact_b id). Give this or new_value, not both."),
  new_value: valueInput.optional().describe('Settle on a new value instead, e.g. {"type":"string","v":"lead engineer"}. Give this or winning_fact_id.'),
  note: z.string().optional().describe("Why, kept on the conflict for auditors."),
});

export const retractFactInput = z.strictObject({
  fact_id: z.string().optional().describe("Retract the chain this fact belongs to (id or CID). Or give entity, relation, source and scope instead."),
  entity: z.string().optional().describe('Entity of the chain to retract, e.g. "user:alice".'),
  relation: z.string().optional().describe('Relation of the chain, e.g. "memory:role".'),
  source: z.string().optional().describe('Source that asserted it, e.g. "agent:claude"; a retraction comes from the same source.'),
  scope: scopeField.optional().describe("Scope of the chain."),
});

export const lintInput = z.strictObject({
  scope: scopeField.describe("Scope to sweep."),
  checks: z
    .array(z.enum(["contradiction", "stale", "orphan", "broken_ref", "namespacing"]))
    .optional()
    .describe("Checks to run (default all): contradiction, stale, orphan, broken_ref, namespacing."),
  entity: z.string().optional().describe("Only this entity."),
  relation: z.string().optional().describe("Only this relation."),
  stale_lookahead_s: z.number().int().min(0).optional().describe("Also report facts expiring within this many seconds (default 0)."),
});

export type AssertFactArgs = z.infer<typeof assertFactInput>;
export type RecallArgs = z.infer<typeof recallInput>;
export type QueryFactsArgs = z.infer<typeof queryFactsInput>;
export type GetFactArgs = z.infer<typeof getFactInput>;
export type GetCardArgs = z.infer<typeof getCardInput>;
export type ListConflictsArgs = z.infer<typeof listConflictsInput>;
export type ResolveConflictArgs = z.infer<typeof resolveConflictInput>;
export type RetractFactArgs = z.infer<typeof retractFactInput>;
export type LintArgs = z.infer<typeof lintInput>;
export type ValueArg = z.infer<typeof valueInput>;
