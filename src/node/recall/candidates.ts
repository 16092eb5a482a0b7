/**
 * Recall stage "candidates" (protocol.md §9, stages 2–4): the facts worth
 * scoring, from every channel, each read from the caller's readable current
 * view:
 *
 * 1. the lexical hits (read while the semantic search runs on the
 *    embedder's thread);
 * 2. the semantic hits;
 * 3. **by relation**: when the question names no entity but asks for a
 *    relation ("who is on call?", "which systems run on postgres?"), the
 *    newest facts of the relations it asks for most (a bounded read per
 *    relation, store/recall-store.ts), since no word of the question need
 *    occur in them;
 * 4. the facts at the ends of asked-for paths (structure.ts);
 * 5. the graph walk from the seeds: an `entity` filter, exact entity words,
 *    named entities, the entities of the best direct hits.
 *
 * @module
 */
import { contentWordIndices } from "../../core/recall/query-intent.js";
import { ASKED_MIN } from "../../core/recall/relation-match.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import { graphChannel, GRAPH_SEED_HITS } from "./graph-channel.js";
import type { LexicalResult } from "./lexical-channel.js";
import type { RecallContext } from "./recall-context.js";
import { semanticChannel, type SemanticAnswer } from "./semantic-search.js";
import { askedPaths, type AskedPaths, type QueryStructure } from "./structure.js";

/** A relation asked for at least this strongly is read by relation when the question names no entity. */
export const LIST_MIN = 0.7;
/** Relations read that way: those within this margin of the best one … */
const LIST_MARGIN = 0.1;
/** … and at most this many. */
const LIST_RELATIONS = 3;
/** Facts read per relation that way (newest first), and never more than the request's `limit` per channel. */
const LIST_ROWS = 64;

/** One fact to score, with what the channels that found it said. */
export interface Candidate {
  readonly row: ScoringRow;
  /** Normalized lexical score from the lexical channel; undefined when it did not find the fact. */
  lexical: number | undefined;
  /** Similarity from the semantic channel; undefined when it did not find the fact. */
  semantic: number | undefined;
  /** Found by the lexical or semantic channel, or by relation (graph: 1). */
  readonly direct: boolean;
  /** Hops from the nearest seed, for facts found by the walk. */
  readonly hops: number;
}

/** Every candidate, and what found them. */
export interface Candidates {
  readonly list: Candidate[];
  readonly paths: AskedPaths;
  /**
   * Relations present in the scope that the question asks for (score ≥
   * {@link ASKED_MIN}) → how strongly, when it names no entity.
   */
  readonly asked: ReadonlyMap<string, number>;
  /** Relations read by relation (the question lists their values). */
  readonly listed: ReadonlySet<string>;
}

/** Every candidate, in the order found (see the module comment). */
export function gatherCandidates(ctx: RecallContext, structure: QueryStructure, lexical: LexicalResult, answer: SemanticAnswer): Candidates {
  const { node, params, view } = ctx;
  const cands = new Map<number, Candidate>();
  const add = (row: ScoringRow, direct: boolean, hops: number): Candidate => {
    let c = cands.get(row.rowid);
    if (c === undefined) cands.set(row.rowid, (c = { row, lexical: undefined, semantic: undefined, direct, hops }));
    return c;
  };
  for (const h of lexical.hits.values()) add(h.row, true, 0).lexical = h.lexical;
  if (answer !== null) {
    for (const h of semanticChannel(node, params, view, answer, new Set(cands.keys())).values()) add(h.row, true, 0).semantic = h.semantic;
  }
  const asked = askedRelations(ctx, structure);
  const listed = new Set<string>();
  if (structure.named.size === 0 && params.entity === undefined && params.relation === undefined) {
    const best = Math.max(0, ...asked.values());
    if (best >= LIST_MIN) {
      const chosen = [...asked].filter(([, s]) => s >= best - LIST_MARGIN).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      for (const [relation] of chosen.slice(0, LIST_RELATIONS)) {
        if (!explainsMost(structure, relation)) continue;
        listed.add(relation);
        for (const row of node.recall.store.relationScoringRows({ ...view, relation }, Math.min(LIST_ROWS, params.limit))) add(row, true, 0);
      }
    }
  }
  const paths = askedPaths(ctx, structure, lexical, asked);
  if (!params.includeNeighbors) return { list: [...cands.values()], paths, asked, listed };
  // Seeds: entities named exactly, then the entities of the best direct hits.
  const w = params.weights;
  const pre = [...cands.values()].sort(
    (a, b) =>
      w.lexical * (b.lexical ?? 0) + w.semantic * (b.semantic ?? 0) - (w.lexical * (a.lexical ?? 0) + w.semantic * (a.semantic ?? 0)) ||
      b.row.rowid - a.row.rowid,
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
    for (const row of rows) add(row, false, hops);
  }
  for (const row of graph.rows) add(row, false, hopsOf.get(row.entity) ?? 0);
  return { list: [...cands.values()], paths, asked, listed };
}

/**
 * Whether the words asking for `relation` (with its kind words) are at least
 * half of the question's content words: "who is on call", not "how many
 * calories are in an avocado" (which asks for a number, but mostly for
 * things no relation holds).
 */
function explainsMost(structure: QueryStructure, relation: string): boolean {
  const asking = structure.settled.asked(relation).words;
  const content = contentWordIndices(structure.settled);
  const explained = content.filter((i) => asking.has(i)).length;
  return content.length === 0 || explained * 2 >= content.length;
}

/** The relations with facts in the scope that the question asks for, and how strongly. */
function askedRelations(ctx: RecallContext, structure: QueryStructure): Map<string, number> {
  const out = new Map<string, number>();
  if (ctx.params.relation !== undefined) return out;
  for (const r of structure.settled.relevant(structure.relations.index())) {
    const s = structure.settled.asked(r).score;
    if (s >= ASKED_MIN) out.set(r, s);
  }
  return out;
}
