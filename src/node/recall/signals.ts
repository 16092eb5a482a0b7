/**
 * Recall stage "signals" (protocol.md §9, stage 5 inputs): the five signals
 * of every candidate. The lexical signal includes the structured match —
 * the question's named entity and asked-for relation, directly or over an
 * asked-for path (core/recall/query-intent.ts) — when that is higher; a path
 * answer found by the walk alone takes the semantic similarity of its path's
 * edges; graph proximity, the writer's trust and recency complete it.
 *
 * @module
 */
import { explainedWords, relationAsked, structuredScores, type StructuredCandidate } from "../../core/recall/query-intent.js";
import { graphScore, recencyScore, type Signals } from "../../core/recall/scoring.js";
import type { Candidate, DirectCandidates } from "./candidates.js";
import { writerTrust } from "./graph-edges.js";
import type { RecallContext } from "./recall-context.js";

/** The signals of each of `cands`, in order. */
export function candidateSignals(ctx: RecallContext, direct: DirectCandidates, cands: readonly Candidate[]): Signals[] {
  const { intent } = direct.structure;
  const { reachedBy, seedWeight, seedHit, strongSeeds } = direct.paths;
  // Entities reached over an asked-for path that also hold another asked-for fact: the path leads on.
  const beyond = new Set<string>();
  for (const c of cands) {
    const via = reachedBy.get(c.row.entity);
    if (via !== undefined && !via.relations.includes(c.row.relation) && relationAsked(intent, c.row.relation)) beyond.add(c.row.entity);
  }
  const structuredCands = cands.map((c): StructuredCandidate => {
    const via = reachedBy.get(c.row.entity);
    // The hit that made its entity a value seed keeps its own lexical score.
    // A value seed's own attributes are not asked about ("capital city" → someone's location in
    // "Mexico City"); its edges and the paths from it are.
    const valueSeed = seedHit.has(c.row.entity);
    const attribute = !c.row.relation.startsWith("rel:") && !strongSeeds.has(c.row.entity);
    const seed = valueSeed && (seedHit.get(c.row.entity) === c.row.rowid || attribute) ? undefined : seedWeight.get(c.row.entity);
    return {
      entity: c.row.entity,
      relation: c.row.relation,
      named: seed !== undefined,
      via: seed === undefined && !seedWeight.has(c.row.entity) ? via : undefined,
      beyond: beyond.has(c.row.entity),
      weight: seed ?? (via !== undefined ? (seedWeight.get(via.from) ?? 1) : 1),
    };
  });
  const structured = structuredScores(intent, structuredCands);
  // A path answer found by the walk alone has no similarity of its own; the facts of its path's
  // edges (`person/leo rel:manager person/priya` for "where is leo's manager based") are what the
  // question's words describe, so it takes the best of theirs. Likewise a value seed's answer
  // takes the similarity of the hit that made its entity a seed.
  const semanticOf = new Map<string, number>();
  const semanticOfRow = new Map<number, number>();
  for (const c of cands) {
    const k = `${c.row.entity}\u0000${c.row.relation}`;
    if (c.semantic > (semanticOf.get(k) ?? 0)) semanticOf.set(k, c.semantic);
    semanticOfRow.set(c.row.rowid, c.semantic);
  }
  const pathSemantic = (entity: string): number => {
    const r = reachedBy.get(entity);
    if (r === undefined) return 0;
    const stops = [r.from, ...r.through, entity];
    let best = 0;
    r.relations.forEach((rel, i) => {
      for (const e of [stops[i], stops[i + 1]]) best = Math.max(best, semanticOf.get(`${e}\u0000${rel}`) ?? 0);
    });
    return best;
  };
  // Path answers proper: reached over an asked-for path whose last relation adds words of the question.
  const onPath = cands.map(
    (c, i) => reachedBy.has(c.row.entity) && !seedWeight.has(c.row.entity) && structured[i]! > 0 && !explainedWords(intent, structuredCands[i]!).redundant,
  );
  const { node, now } = ctx;
  return cands.map((c, i) => ({
    lexical: Math.max(c.lexical, structured[i]!),
    semantic: onPath[i]
      ? Math.max(c.semantic, pathSemantic(c.row.entity))
      : seedHit.has(c.row.entity) && structured[i]! > 0
        ? Math.max(c.semantic, semanticOfRow.get(seedHit.get(c.row.entity)!) ?? 0)
        : c.semantic,
    // The end of an asked-for path is as near to the question as the entity it names.
    graph: onPath[i] ? 1 : graphScore(c.direct, c.hops),
    source_trust: writerTrust(c.row),
    recency: recencyScore(now - timestampMs(c.row.timestamp), node.config.recallHalfLifeDays),
  }));
}

function timestampMs(text: string): number {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
