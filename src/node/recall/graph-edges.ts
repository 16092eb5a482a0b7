/**
 * The edges a graph walk may follow (protocol.md §9 stage 4, and
 * `GET /v1/graph/neighbors`): `ref` facts of the caller's readable current
 * view in one scope, both directions, filtered by confidence, trust and an
 * optional relation glob. Shared by recall and the neighbors route so both
 * see the same graph.
 *
 * @module
 */
import type { Condition } from "../../core/access/condition.js";
import type { WalkEdge } from "../../core/recall/graph-walk.js";
import type { EdgeRow } from "../../store/recall-store.js";
import { sourceTrust } from "../facts/fact.js";
import type { NodeContext } from "../node-context.js";

export interface EdgeRules {
  /** Authorized scope to walk in. */
  readonly scope: string;
  /** The current-view facts the caller may read (node/access/read-rules.ts), with its confidence cut. */
  readonly readable: Condition;
  readonly minTrust?: number;
  readonly relationMatch?: (relation: string) => boolean;
  /** Most edges read per entity and direction (hubs are cut, deterministically). */
  readonly cap: number;
}

/** `edgesOf` for {@link walkGraph}: the usable edges of an entity, seen from it. */
export function edgeLookup(node: NodeContext, rules: EdgeRules): (entity: string) => WalkEdge[] {
  const recall = node.recall.store;
  const view = { scope: rules.scope, readable: rules.readable };
  const usable = (e: EdgeRow): boolean =>
    (rules.relationMatch === undefined || rules.relationMatch(e.relation)) && sourceTrust(e) >= (rules.minTrust ?? 0);
  return (entity) => {
    const out: WalkEdge[] = [];
    for (const e of recall.edges(entity, "out", view, rules.cap, node.nodeId)) {
      if (usable(e)) out.push({ to: e.dst, relation: e.relation, confidence: e.confidence, sourceTrust: sourceTrust(e) });
    }
    for (const e of recall.edges(entity, "in", view, rules.cap, node.nodeId)) {
      if (usable(e)) out.push({ to: e.src, relation: e.relation, confidence: e.confidence, sourceTrust: sourceTrust(e) });
    }
    return out;
  };
}
