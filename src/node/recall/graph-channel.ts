/**
 * Recall's graph channel (protocol.md §9, stage 4): breadth-first from the
 * seeds over `ref` edges of the caller's view; the facts of the entities
 * reached become candidates.
 *
 * @module
 */
import { walkGraph, type Reached } from "../../core/recall/graph-walk.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import type { ViewFilter } from "../../store/view-filter.js";
import type { NodeContext } from "../node-context.js";
import { edgeLookup } from "./graph-edges.js";
import type { RecallParams } from "./recall-params.js";

/** Hits whose entities seed the graph walk (§9). */
export const GRAPH_SEED_HITS = 5;
/** Graph walk bounds (§9). */
export const GRAPH_MAX_ENTITIES = 50;
export const GRAPH_EDGE_CAP = 200;
/** Facts taken from one reached entity (the size of a card). */
const GRAPH_FACTS_PER_ENTITY = 20;

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
