/**
 * @module core/recall/graph-walk
 *
 * Breadth-first walk over `ref` edges (protocol.md §9 stage 4, and
 * `GET /v1/graph/neighbors`). Edges are followed in both directions; each
 * entity is reached once, at its smallest hop count, through the first edge
 * found in a deterministic order (frontier and edges sorted by code point,
 * stronger edges first), so the same graph always gives the same paths.
 * Reified relationships (`rel:x rel:subject → a`, `rel:x rel:object → b`)
 * need nothing special: `a ← rel:x → b` is two hops.
 */
import { compareCodePoints } from "../code-point-order.js";

/** One edge as seen from the entity being expanded: `to` is the other end. */
export interface WalkEdge {
  readonly to: string;
  readonly relation: string;
  readonly confidence: number;
  readonly sourceTrust: number;
}

/** An entity the walk reached. */
export interface Reached {
  readonly entity: string;
  /** 0 for a seed. */
  readonly hops: number;
  /** Entities from a seed to this one, seed first, this one last. */
  readonly path: readonly string[];
  /** The edge that reached it; null for a seed. */
  readonly via: WalkEdge | null;
}

export interface WalkOptions {
  /** Maximum hops from a seed. */
  readonly depth: number;
  /** Maximum entities reached, seeds included. */
  readonly maxEntities: number;
  /** Edges of `entity` (both directions), already filtered by the caller's rules. */
  edgesOf(entity: string): readonly WalkEdge[];
}

/**
 * Walks from `seeds`. Returns every reached entity, seeds first, then by hops
 * and discovery order.
 *
 * @example
 * walkGraph(["a"], { depth: 2, maxEntities: 50, edgesOf }); // [{entity:"a",hops:0}, {entity:"b",hops:1,...}, ...]
 */
export function walkGraph(seeds: readonly string[], opts: WalkOptions): Reached[] {
  const reached = new Map<string, Reached>();
  let frontier: string[] = [];
  for (const s of seeds) {
    if (reached.size >= opts.maxEntities) break;
    if (reached.has(s)) continue;
    reached.set(s, { entity: s, hops: 0, path: [s], via: null });
    frontier.push(s);
  }
  for (let hop = 1; hop <= opts.depth && frontier.length > 0 && reached.size < opts.maxEntities; hop++) {
    const next: string[] = [];
    for (const entity of [...frontier].sort(compareCodePoints)) {
      const parent = reached.get(entity)!;
      const edges = [...opts.edgesOf(entity)].sort(
        (a, b) => compareCodePoints(a.to, b.to) || b.confidence - a.confidence || compareCodePoints(a.relation, b.relation),
      );
      for (const e of edges) {
        if (reached.has(e.to)) continue;
        reached.set(e.to, { entity: e.to, hops: hop, path: [...parent.path, e.to], via: e });
        next.push(e.to);
        if (reached.size >= opts.maxEntities) break;
      }
      if (reached.size >= opts.maxEntities) break;
    }
    frontier = next;
  }
  return [...reached.values()];
}

/**
 * A matcher for a relation glob: `*` is any run of characters, `?` one
 * character, everything else literal (`memory:*`, `rel:sub?ect`).
 *
 * @example
 * relationGlob("memory:*")("memory:role"); // true
 */
export function relationGlob(glob: string): (relation: string) => boolean {
  let source = "";
  for (const ch of glob) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  const re = new RegExp(`^${source}$`, "su");
  return (relation) => re.test(relation);
}
