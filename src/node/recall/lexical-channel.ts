/**
 * Recall's lexical channel (protocol.md §9, stage 2): FTS5 over entity,
 * relation and value with the §9 query (quoted tokens joined by OR). Tokens
 * too common to rank by are left out of the MATCH
 * (core/recall/lexical-plan.ts, using cached document frequencies); FTS5
 * narrows first (best `k` by bm25; matches of very common ranked tokens
 * alone are taken newest first), the hits are cut to the scope's live heads,
 * and only the best are read for scoring; if too few survive, the window
 * grows. `lex = −bm25·coverage / max`, where coverage is the share of the
 * ranked query tokens a fact contains. With an `entity` filter that entity's
 * own facts are scored by coverage. Query words shaped like entity URIs are
 * matched exactly against entities (lex = 1, graph seeds).
 *
 * Every row comes from the caller's readable current view (recall-store.ts).
 *
 * @module
 */
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { entityCandidates, ftsMatchExpression, queryTokens } from "../../core/recall/query-text.js";
import { planLexical, type LexicalPlan } from "../../core/recall/lexical-plan.js";
import { normalizeBm25 } from "../../core/recall/scoring.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import type { ViewFilter } from "../../store/view-filter.js";
import type { NodeContext } from "../node-context.js";
import type { RecallParams } from "./recall-params.js";
import { firstInView } from "./view-reads.js";

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

export interface LexicalResult {
  /** rowid → row and normalized lexical score. */
  readonly hits: Map<number, { row: ScoringRow; lexical: number }>;
  /** Entities named exactly in the query that have facts in the view. */
  readonly exactEntities: string[];
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
