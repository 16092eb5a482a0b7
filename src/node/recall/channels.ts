/**
 * Recall's candidate channels (protocol.md §9, stages 2–4). Each returns
 * rows of the caller's readable current view only: the view conditions are
 * part of every SQL statement (recall-store.ts), so a fact the caller may
 * not read is never a candidate.
 *
 * - **Lexical:** FTS5 over entity, relation and value with the §9 query
 *   (quoted tokens joined by OR). Tokens too common to rank by are left out
 *   of the MATCH (core/recall/lexical-plan.ts, using cached document
 *   frequencies); FTS5 narrows first (best `k` by bm25; matches of very
 *   common ranked tokens alone are taken newest first), the hits are
 *   cut to the scope's live heads, and only the best are read for scoring; if
 *   too few survive, the window grows. `lex = −bm25·coverage / max`, where
 *   coverage is the share of the ranked query tokens a fact contains (see
 *   {@link lexicalChannel}). With an `entity` filter that entity's own facts
 *   are scored by coverage. Query words shaped like entity URIs are matched
 *   exactly against entities (lex = 1, graph seeds).
 * - **Semantic:** the embedder's nearest facts inside the scope, over-fetched
 *   ×4 and then joined to the view. Optional: no embedder, a rejected search
 *   or a timeout leaves the channel out; weak matches are not candidates.
 * - **Graph:** breadth-first from the seeds over `ref` edges; the facts of
 *   the entities reached become candidates.
 *
 * @module
 */
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { entityCandidates, ftsMatchExpression, queryTokens } from "../../core/recall/query-text.js";
import { planLexical, type LexicalPlan } from "../../core/recall/lexical-plan.js";
import { resolveEntities, type QueryIntent } from "../../core/recall/query-intent.js";
import { normalizeBm25 } from "../../core/recall/scoring.js";
import { walkGraph, type Reached } from "../../core/recall/graph-walk.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import type { ViewFilter } from "../../store/view-filter.js";
import type { SemanticHit } from "./semantic-channel.js";
import type { NodeContext } from "../node-context.js";
import { edgeLookup } from "./graph-edges.js";
import type { RecallParams } from "./recall-params.js";

/**
 * First FTS window: `limit` over the share of full-text hits that the
 * scope's view kept last time (see `RecallRuntime.ftsShares`), times this margin.
 * FTS5 scores every match whatever the window, but every row of the window
 * is returned and sorted, which costs more than the ranking once the
 * window is thousands of rows; a scope holding a small share of the store
 * gets a proportionally wider window.
 */
const FTS_MARGIN = 2;
/** FTS window growth when the view keeps too few hits. */
const FTS_GROWTH = 8;
/** Largest FTS window tried. */
const FTS_MAX_WINDOW = 50_000;
/** Graph walk bounds (§9). */
export const GRAPH_MAX_ENTITIES = 50;
export const GRAPH_EDGE_CAP = 200;
/** Facts taken from one reached entity (the size of a card). */
const GRAPH_FACTS_PER_ENTITY = 20;
/** Longest wait for the embedder before recall answers without it. */
export const SEMANTIC_TIMEOUT_MS = 2_000;
/**
 * Below this similarity a fact the other channels did not find is noise,
 * not a candidate: nearest-neighbour search always answers k facts, so a
 * question about nothing stored would otherwise come back full of them.
 * Tuned for the offline embedder (unrelated texts score about 0.1–0.17
 * there); an embedder whose similarities are all high needs a higher floor.
 */
export const SEMANTIC_MIN_SIMILARITY = 0.25;

export interface LexicalResult {
  /** rowid → row and normalized lexical score. */
  readonly hits: Map<number, { row: ScoringRow; lexical: number }>;
  /** Entities named exactly in the query that have facts in the view. */
  readonly exactEntities: string[];
}

/** Most entities read per query word when resolving named entities. */
const NAMED_ENTITY_WINDOW = 200;
/** Query words found in more entity rows than this are not looked up as names. */
const NAMED_ENTITY_MAX_DF = 20_000;

/**
 * Entities of the view's scope whose name the query spells out
 * (core/recall/query-intent.ts): one entity-column full-text lookup per
 * query word (at most {@link MAX_ENTITY_CANDIDATES}-ish words, common ones
 * skipped), their `memory:name` values (one statement), then
 * {@link resolveEntities}.
 */
export function namedEntities(node: NodeContext, params: RecallParams, view: ViewFilter, intent: QueryIntent): string[] {
  if (view.entity !== undefined) return [];
  const recall = node.recall.store;
  const stats = node.recall.tokenStats;
  const docs = stats.documents();
  const found: string[] = [];
  for (const t of queryTokens(params.query).slice(0, 8)) {
    if (stats.df(t, docs) > NAMED_ENTITY_MAX_DF) continue;
    found.push(...recall.entitiesMatching(`"${t}"`, view, NAMED_ENTITY_WINDOW));
  }
  // Display names too ("data platform" is `team/data`, named "Data Platform"): one statement for all.
  const unique = [...new Set(found)];
  return resolveEntities(intent, unique, recall.namesOf(unique, view));
}

export function lexicalChannel(node: NodeContext, params: RecallParams, view: ViewFilter): LexicalResult {
  const recall = node.recall.store;
  const hits = new Map<number, { row: ScoringRow; lexical: number }>();
  const tokens = queryTokens(params.query);
  if (tokens.length > 0) {
    const stats = node.recall.tokenStats;
    const docs = stats.documents();
    const plan = planLexical(tokens, (t) => stats.df(t, docs));
    const scored =
      view.entity !== undefined ? entityCandidatesByCoverage(node, plan, params.limit, view) : ftsCandidates(node, plan, params.limit, view);
    // Coverage of the ranked tokens (Lucene's coordination factor): a fact
    // matching "alice" and "role" beats one matching "role" alone even when
    // "alice" is so frequent that its BM25 weight vanishes.
    const coverage = tokenCoverage(node, plan.ranked, scored.map((s) => s.row));
    const cov = scored.map((s) => coverage.get(s.row.rowid) ?? 1);
    const raw = scored.map((s, i) => -s.bm25 * cov[i]!);
    // Normalized to the best hit, then scaled by the fact's own coverage again, so that a "best"
    // hit matching one word of four stays a weak match in absolute terms (unrelated questions
    // must not score like answered ones).
    const lex = normalizeBm25(raw.map((x) => -x)).map((x, i) => x * cov[i]!);
    scored.forEach((s, i) => {
      if (lex[i]! > 0) hits.set(s.row.rowid, { row: s.row, lexical: lex[i]! });
    });
  }
  const exactEntities: string[] = [];
  for (const word of entityCandidates(params.query)) {
    let entity: string;
    try {
      entity = normalizeEntityUri(word, "query");
    } catch {
      continue;
    }
    if (view.entity !== undefined && view.entity !== entity) continue;
    const rows = recall.entityScoringRows({ ...view, entity }, node.nodeId, params.limit);
    if (rows.length === 0) continue;
    exactEntities.push(entity);
    for (const row of rows) hits.set(row.rowid, { row, lexical: 1 });
  }
  return { hits, exactEntities };
}

/**
 * The best `limit` view rows for the plan, best first, with their bm25 (−1
 * for every row when ranking was not possible). Narrows in FTS5 first, then
 * reads the hits best first until `limit` pass the view (see
 * {@link firstInView}). If fewer pass and FTS5 had more, the window grows.
 */
function ftsCandidates(node: NodeContext, plan: LexicalPlan, limit: number, view: ViewFilter): { row: ScoringRow; bm25: number }[] {
  const recall = node.recall.store;
  const ranked = plan.ranked.length > 0;
  const match = ftsMatchExpression(ranked ? plan.ranked : plan.broad)!;
  const sparse = plan.dense.length > 0 ? ftsMatchExpression(plan.ranked.filter((t) => !plan.dense.includes(t))) : null;
  const shares = node.recall.ftsShares;
  const share = shares.get(view.scope) ?? 1;
  let out: { row: ScoringRow; bm25: number }[];
  for (let k = Math.min(FTS_MAX_WINDOW, Math.max(1, Math.ceil((limit * FTS_MARGIN) / share))); ; ) {
    const found = !ranked
      ? recall.ftsNewest(match, k).map((rowid) => ({ rowid, bm25: -1 }))
      : sparse !== null
        ? recall.ftsTopSplit(sparse, ftsMatchExpression(plan.dense)!, k)
        : recall.ftsTop(match, k);
    // Best first (FTS5 rank order, ties newest first), read until `limit` pass the whole view.
    found.sort((a, b) => a.bm25 - b.bm25 || b.rowid - a.rowid);
    const read = firstInView(node, found, (h) => h.rowid, limit, view, share);
    out = read.rows.map(({ item, row }) => ({ row, bm25: item.bm25 }));
    // How much of the store the view keeps, from the hits looked at (a full window: a short one
    // holds every match and says nothing about the next query's).
    if (found.length === k && read.examined > 0 && view.entity === undefined && view.relation === undefined) {
      shares.set(view.scope, Math.max(out.length, 1) / read.examined);
    }
    if (out.length >= limit || found.length < k || k >= FTS_MAX_WINDOW) return out;
    k = Math.min(k * FTS_GROWTH, FTS_MAX_WINDOW);
  }
}


/**
 * With an `entity` filter the candidates are that entity's view rows (few),
 * scored by token coverage alone: bm25 cannot be computed for a chosen set
 * of rows without FTS5 recounting document frequencies row by row.
 */
function entityCandidatesByCoverage(
  node: NodeContext,
  plan: LexicalPlan,
  limit: number,
  view: ViewFilter,
): { row: ScoringRow; bm25: number }[] {
  const rows = node.recall.store.entityScoringRows({ ...view, entity: view.entity! }, node.nodeId, limit);
  const tokens = plan.ranked.length > 0 ? plan.ranked : plan.broad;
  const matched = new Set(node.recall.store.ftsMatching(ftsMatchExpression(tokens)!, rows.map((r) => r.rowid)));
  return rows.filter((r) => matched.has(r.rowid)).map((row) => ({ row, bm25: -1 }));
}

/** rowid → fraction of `tokens` the row contains; empty (= 1 for all) with fewer than two tokens. */
function tokenCoverage(node: NodeContext, tokens: readonly string[], rows: readonly ScoringRow[]): Map<number, number> {
  const out = new Map<number, number>();
  if (tokens.length < 2 || rows.length === 0) return out;
  const recall = node.recall.store;
  for (const r of rows) out.set(r.rowid, 0);
  // Matched among the rows themselves (recall-store.ts), not over each token's whole doclist.
  for (const matched of recall.tokensMatching(tokens, rows)) {
    for (const r of matched) out.set(r, out.get(r)! + 1 / tokens.length);
  }
  return out;
}

/**
 * Rows read at once when `missing` more are wanted: a quarter more
 * (at least 16) for the few that fail the view (expiry, confidence,
 * garden), divided by the share of rows the view is expected to keep; the
 * rest are read only if needed.
 */
export function readAhead(missing: number, share = 1): number {
  return Math.ceil((missing + Math.max(16, missing >> 2)) / Math.min(1, Math.max(share, 0.01)));
}

/**
 * The first `limit` of `ordered` (best first) that are in the view, with
 * their rows, and how many of `ordered` it took to find them (all of them
 * when fewer pass). Read in chunks straight from the view, with no
 * separate live-head pass: a row outside the scope or superseded costs one
 * index probe in the same statement, while the pass cost ~2 µs for every
 * hit. `share` is the fraction expected to pass, which sizes the chunks.
 */
function firstInView<T>(
  node: NodeContext,
  ordered: readonly T[],
  rowidOf: (item: T) => number,
  limit: number,
  view: ViewFilter,
  share: number,
): { rows: { item: T; row: ScoringRow }[]; examined: number } {
  const recall = node.recall.store;
  const rows: { item: T; row: ScoringRow }[] = [];
  let examined = 0;
  while (examined < ordered.length && rows.length < limit) {
    const chunk = ordered.slice(examined, examined + readAhead(limit - rows.length, share));
    const read = new Map(recall.viewRows(chunk.map(rowidOf), view).map((r) => [r.rowid, r]));
    for (const item of chunk) {
      if (rows.length >= limit) break;
      examined++;
      const row = read.get(rowidOf(item));
      if (row !== undefined) rows.push({ item, row });
    }
  }
  return { rows, examined };
}

/** What the embedder answered: null when the channel is unavailable for this recall. */
export type SemanticAnswer = SemanticHit[] | null;

/**
 * Asks the embedder (when there is one and its weight is not 0) for the
 * facts nearest to the query inside the scope. A rejection, a synchronous
 * throw or a timeout means "channel unavailable", never a failed recall.
 */
export async function semanticSearch(node: NodeContext, params: RecallParams): Promise<SemanticAnswer> {
  const semantic = node.recall.semantic;
  if (semantic === null || params.weights.semantic <= 0) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`embedder did not answer within ${SEMANTIC_TIMEOUT_MS} ms`)), SEMANTIC_TIMEOUT_MS);
    });
    // Called now, not in a later turn: a search on another thread starts while recall reads on this one.
    const search = semantic.search(params.query, { scopes: [params.scope], k: params.limit * 4 });
    const hits = await Promise.race([search, timeout]);
    return Array.isArray(hits) ? hits : null;
  } catch (e) {
    node.recall.log.warn({ err: e, embedder: semantic.embedderId }, "semantic channel unavailable; recall answers without it");
    return null;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * The embedder's hits that are in the view: rowid → row and similarity in
 * [0, 1], best `limit`. Hits below {@link SEMANTIC_MIN_SIMILARITY} count only
 * for facts in `keep` (already found by another channel).
 */
export function semanticChannel(
  node: NodeContext,
  params: RecallParams,
  view: ViewFilter,
  answer: SemanticHit[],
  keep: ReadonlySet<number>,
): Map<number, { row: ScoringRow; semantic: number }> {
  const similarity = new Map<number, number>();
  for (const h of answer) {
    if (!Number.isSafeInteger(h.rowid) || typeof h.similarity !== "number" || Number.isNaN(h.similarity)) continue;
    if (h.similarity < SEMANTIC_MIN_SIMILARITY && !keep.has(h.rowid)) continue;
    const s = Math.min(1, Math.max(0, h.similarity));
    if (s > (similarity.get(h.rowid) ?? -1)) similarity.set(h.rowid, s);
  }
  // Best first, read until `limit` pass the whole view (the embedder searched the scope already,
  // so nearly all of them do).
  const ordered = [...similarity].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  const best = firstInView(node, ordered, ([rowid]) => rowid, params.limit, view, 1).rows.map(({ item, row }) => ({ row, semantic: item[1] }));
  return new Map(best.map((b) => [b.row.rowid, b]));
}

export interface GraphResult {
  /** Every entity reached, seeds (hops 0) included. */
  readonly reached: Reached[];
  /** Facts of the reached entities in the view, nearest entities first, at most `limit`. */
  readonly rows: ScoringRow[];
}

/**
 * Walks from `seeds` and collects the facts of the entities reached: those
 * `first` picks, then the others nearest first.
 */
export function graphChannel(
  node: NodeContext,
  params: RecallParams,
  view: ViewFilter,
  seeds: readonly string[],
  first: (r: Reached, byEntity: ReadonlyMap<string, Reached>) => boolean = () => false,
): GraphResult {
  const reached = walkGraph(seeds, {
    depth: params.depth,
    maxEntities: GRAPH_MAX_ENTITIES,
    edgesOf: edgeLookup(node, { scope: view.scope, readable: view.readable, cap: GRAPH_EDGE_CAP }),
  });
  const recall = node.recall.store;
  const rows: ScoringRow[] = [];
  // Entities the caller cares most about first (named ones, ends of asked-for paths), then nearest first.
  const byEntity = new Map(reached.map((r) => [r.entity, r]));
  const rank = (r: Reached): number => (first(r, byEntity) ? 0 : 1);
  for (const r of [...reached].sort((a, b) => rank(a) - rank(b) || a.hops - b.hops)) {
    if (rows.length >= params.limit) break;
    if (view.entity !== undefined && view.entity !== r.entity) continue;
    const take = Math.min(GRAPH_FACTS_PER_ENTITY, params.limit - rows.length);
    rows.push(...recall.entityScoringRows({ ...view, entity: r.entity }, node.nodeId, take));
  }
  return { reached, rows };
}
