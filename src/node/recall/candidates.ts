/**
 * Recall stage "candidates" (protocol.md §9, stages 2–4): the facts worth
 * scoring, from every channel, each read from the caller's readable current
 * view. In two steps around the semantic search, which runs on the
 * embedder's thread meanwhile:
 *
 * - {@link directCandidates} (before the answer): the question's structure,
 *   its lexical hits and the asked-for paths;
 * - {@link gatherCandidates} (after it): the semantic hits, then the graph
 *   walk from the seeds (an `entity` filter, exact entity words, named
 *   entities, the entities of the best direct hits) and the facts at the
 *   ends of asked-for paths.
 *
 * @module
 */
import type { ScoringRow } from "../../store/recall-rows.js";
import { graphChannel, GRAPH_SEED_HITS } from "./graph-channel.js";
import { lexicalChannel, type LexicalResult } from "./lexical-channel.js";
import type { RecallContext } from "./recall-context.js";
import { semanticChannel, type SemanticAnswer } from "./semantic-search.js";
import { askedPaths, type AskedPaths, type QueryStructure } from "./structure.js";

/** One fact to score, with what the channels that found it said. */
export interface Candidate {
  readonly row: ScoringRow;
  /** Normalized lexical score, 0 when the lexical channel did not find it. */
  lexical: number;
  /** Similarity from the semantic channel, 0 when it did not find it. */
  semantic: number;
  /** Found by the lexical or semantic channel itself (graph: 1). */
  readonly direct: boolean;
  /** Hops from the nearest seed, for facts found by the walk. */
  readonly hops: number;
}

/**
 * What scoring reads before the semantic answer: what the query names and
 * asks, its lexical hits, and the asked-for paths from the named entities and
 * the best lexical hits (none of which depends on the semantic answer).
 */
export interface DirectCandidates {
  readonly structure: QueryStructure;
  readonly lexical: LexicalResult;
  readonly paths: AskedPaths;
}

export function directCandidates(ctx: RecallContext, structure: QueryStructure): DirectCandidates {
  const lexical = lexicalChannel(ctx.node, ctx.params, ctx.view);
  return { structure, lexical, paths: askedPaths(ctx, structure, lexical) };
}

/** Every candidate, in the order found: lexical, semantic, path ends, graph. */
export function gatherCandidates(ctx: RecallContext, direct: DirectCandidates, answer: SemanticAnswer): Map<number, Candidate> {
  const { node, params, view } = ctx;
  const { structure, lexical, paths } = direct;
  const cands = new Map<number, Candidate>();
  for (const [rowid, h] of lexical.hits) cands.set(rowid, { row: h.row, lexical: h.lexical, semantic: 0, direct: true, hops: 0 });
  if (answer !== null) {
    for (const [rowid, h] of semanticChannel(node, params, view, answer, new Set(cands.keys()))) {
      const c = cands.get(rowid);
      if (c !== undefined) c.semantic = h.semantic;
      else cands.set(rowid, { row: h.row, lexical: 0, semantic: h.semantic, direct: true, hops: 0 });
    }
  }
  if (!params.includeNeighbors) return cands;
  // Seeds: entities named exactly, then the entities of the best direct hits.
  const w = params.weights;
  const pre = [...cands.values()].sort(
    (a, b) => w.lexical * b.lexical + w.semantic * b.semantic - (w.lexical * a.lexical + w.semantic * a.semantic) || b.row.rowid - a.row.rowid,
  );
  // An entity filter makes that entity a seed: its other facts are candidates too (graph 1, hop 0).
  // Named entities come next: their facts are candidates even without a word match.
  const seeds = params.entity === undefined ? [...lexical.exactEntities] : [params.entity];
  for (const e of structure.named) if (!seeds.includes(e)) seeds.push(e);
  for (const c of pre.slice(0, GRAPH_SEED_HITS)) if (!seeds.includes(c.row.entity)) seeds.push(c.row.entity);
  const graph = graphChannel(node, params, view, seeds, (r) => structure.named.has(r.entity));
  const hopsOf = new Map(graph.reached.map((r) => [r.entity, r.hops]));
  for (const { entity, hops, rows } of paths.ends) {
    hopsOf.set(entity, Math.min(hopsOf.get(entity) ?? hops, hops));
    for (const row of rows) {
      if (!cands.has(row.rowid)) cands.set(row.rowid, { row, lexical: 0, semantic: 0, direct: false, hops });
    }
  }
  for (const row of graph.rows) {
    if (!cands.has(row.rowid)) cands.set(row.rowid, { row, lexical: 0, semantic: 0, direct: false, hops: hopsOf.get(row.entity) ?? 0 });
  }
  return cands;
}
