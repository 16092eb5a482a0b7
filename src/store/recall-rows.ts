/**
 * The rows recall reads in bulk, as column lists and the functions that
 * build them from better-sqlite3's raw (array) rows. Building the objects
 * here, with one fixed literal shape, costs about half of what
 * better-sqlite3 spends creating an object per row itself, and recall reads
 * hundreds of rows per query. Each builder is typed against its row type,
 * so a column added to the type and not here fails to compile.
 *
 * @module
 */
import type { FactRow } from "./fact-store.js";

/**
 * What recall scores a view row by. Reading every column of a fact costs
 * about five times as much as these (mostly building JavaScript strings for
 * ids, CIDs and provenance), and most candidates are never packed: recall
 * reads {@link FULL_COLUMNS} for the packed ones only.
 */
export type ScoringRow = Pick<
  FactRow,
  | "rowid"
  | "entity"
  | "relation"
  | "value_type"
  | "value_v"
  | "interpret_as"
  | "source"
  | "actor"
  | "received_from"
  | "confidence"
  | "scope"
  | "timestamp"
  | "hlc_w"
  | "hlc_c"
  | "contradicted"
>;

/**
 * The columns of {@link ScoringRow} over `f` (facts) and `t` (its triple in
 * fact_triples): a view row is a live head, so `contradicted` is its
 * triple's flag.
 */
const SCORING_EXPRESSIONS = [
  "f.rowid",
  "f.entity",
  "f.relation",
  "f.value_v",
  "f.interpret_as",
  "f.source",
  "f.actor",
  "f.confidence",
  "f.scope",
  "f.timestamp",
  "f.hlc_w",
  "f.hlc_c",
  "(t.contradicted IS 1)",
  "f.value_type",
  "f.received_from",
] as const;
export const SCORING_COLUMNS = SCORING_EXPRESSIONS.join(", ");

export function scoringRow(r: unknown[]): ScoringRow {
  return {
    rowid: r[0] as number,
    entity: r[1] as string,
    relation: r[2] as string,
    value_v: r[3] as string,
    interpret_as: r[4] as string,
    source: r[5] as string,
    actor: r[6] as string | null,
    confidence: r[7] as number,
    scope: r[8] as string,
    timestamp: r[9] as string,
    hlc_w: r[10] as number,
    hlc_c: r[11] as number,
    contradicted: r[12] as number,
    value_type: r[13] as string,
    received_from: r[14] as string | null,
  };
}

/** A stored fact as recall scores it, with what decides whether a view holds it. */
export interface CachedFact {
  readonly rowid: number;
  readonly entity: string;
  /**
   * The fact as recall scores it when it is its chain's head and that head is
   * live (confidence > 0, not overruled); null otherwise, and then no view
   * holds it. `contradicted` is as it was when read: a change drops the entity.
   */
  readonly row: ScoringRow | null;
  readonly validUntilMs: number | null;
  readonly gardenId: string | null;
  readonly quarantine: string | null;
}

/**
 * What recall keeps of any fact (view-row-cache.ts), over `f`, `hh` (its
 * chain head, if it is one) and `t` (its triple, joined for live heads
 * only): rowid and entity, the rest of the {@link SCORING_COLUMNS} in their
 * places, whether the fact is a live head, then what decides which views hold
 * it. Every column but rowid and entity is read for a live head only: a fact
 * that is no live head costs no more than its entity, and full-text hits are
 * often superseded facts.
 */
const onlyLive = (expression: string): string => `CASE WHEN hh.live = 1 THEN ${expression} END`;
export const CACHED_COLUMNS = [
  "f.rowid",
  "f.entity",
  ...SCORING_EXPRESSIONS.slice(2).map(onlyLive),
  "(hh.live IS 1)",
  onlyLive("f.valid_until_ms"),
  onlyLive("f.garden_id"),
  onlyLive("f.quarantine"),
].join(", ");

export function cachedFact(r: unknown[]): CachedFact {
  const rowid = r[0] as number;
  const entity = r[1] as string;
  if (r[15] !== 1) return { rowid, entity, row: null, validUntilMs: null, gardenId: null, quarantine: null };
  return {
    rowid,
    entity,
    row: scoringRow(r),
    validUntilMs: r[16] as number | null,
    gardenId: r[17] as string | null,
    quarantine: r[18] as string | null,
  };
}

/**
 * Every column of {@link FactRow} over `f` and the joins of fact-store.ts's
 * `FACT_JOINS` (`h` its chain head, `o` its overruling, `t` its triple), with
 * the same projections as its `FACT_COLUMNS`.
 */
export const FULL_COLUMNS = `f.rowid, f.id, f.entity, f.relation, f.value_type, f.value_v, f.interpret_as,
  f.source, f.confidence, f.scope, f.garden_id, f.valid_until, f.valid_until_ms, f.timestamp, f.hlc_w, f.hlc_c,
  f.origin_hlc_w, f.origin_hlc_c, f.origin_node_id, f.received_from, f.actor, f.cid, f.supersedes,
  f.write_mode, f.derived_from, f.quarantine, (h.head_rowid IS NOT NULL), (o.fact_rowid IS NOT NULL),
  (h.live = 1 AND t.contradicted IS 1)`;

export function fullRow(r: unknown[]): FactRow {
  return {
    rowid: r[0] as number,
    id: r[1] as string,
    entity: r[2] as string,
    relation: r[3] as string,
    value_type: r[4] as string,
    value_v: r[5] as string,
    interpret_as: r[6] as string,
    source: r[7] as string,
    confidence: r[8] as number,
    scope: r[9] as string,
    garden_id: r[10] as string | null,
    valid_until: r[11] as string | null,
    valid_until_ms: r[12] as number | null,
    timestamp: r[13] as string,
    hlc_w: r[14] as number,
    hlc_c: r[15] as number,
    origin_hlc_w: r[16] as number,
    origin_hlc_c: r[17] as number,
    origin_node_id: r[18] as string | null,
    received_from: r[19] as string | null,
    actor: r[20] as string | null,
    cid: r[21] as string,
    supersedes: r[22] as string | null,
    write_mode: r[23] as string | null,
    derived_from: r[24] as string | null,
    quarantine: r[25] as string | null,
    is_head: r[26] as number,
    overruled: r[27] as number,
    contradicted: r[28] as number,
  };
}
