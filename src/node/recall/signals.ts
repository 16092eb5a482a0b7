/**
 * Recall stage "signals" (protocol.md §9, stage 5 inputs): every candidate
 * scored on every channel, whichever channel found it.
 *
 * - **Lexical:** the lexical channel's normalized bm25 for its hits; for the
 *   others, the share of the question's search words the fact contains
 *   (squared, and never above the weakest hit, since bm25 ranked them lower).
 *   When the question asks for a relation strongly, a word match on a fact of
 *   another relation counts {@link OFF_RELATION} as much, and when the
 *   question names entities, a word match on a fact about none of them
 *   {@link OFF_TOPIC} as much. The lexical signal
 *   takes the structured match instead when that is higher: the question's
 *   named entity and asked-for relation, directly or over an asked-for path
 *   (core/recall/query-intent.ts), or — for a question that names no entity —
 *   the relation alone, scaled by how many of the question's other words the
 *   fact contains ("which systems run on postgres").
 * - **Semantic:** the semantic channel's similarity for its hits; for the
 *   others, the query's similarity with the fact's stored vector
 *   (`SemanticChannel.similarityTo`). A fact with no vector yet has an
 *   unknown similarity (NaN here; fuse.ts leaves it out, it is never 0). A
 *   path answer found by the walk alone also takes the best similarity of its
 *   path's edges.
 * - **Graph**, **source trust**, **recency** as §9 defines them.
 *
 * @module
 */
import {
  answerScore,
  contentWordIndices,
  explainedWords,
  leadsOn,
  structuredScores,
  type QueryIntent,
  type StructuredCandidate,
} from "../../core/recall/query-intent.js";
import { ASKED_MIN } from "../../core/recall/relation-match.js";
import { graphScore, recencyScore, type Signals } from "../../core/recall/scoring.js";
import { STOPWORDS_V1 } from "../../core/recall/query-text.js";
import { stem, textWords } from "../../core/recall/words.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import { sourceTrust } from "../facts/fact.js";
import type { Candidates } from "./candidates.js";
import type { RecallContext } from "./recall-context.js";
import { rowHolds } from "./row-words.js";
import type { QueryVectors } from "./semantic-search.js";
import type { QueryStructure } from "./structure.js";

/** A word match on a fact of a relation not asked for, when the question asks for one strongly. */
export const OFF_RELATION = 0.75;
/** A path over an edge nobody asked for (structure.ts's loose step) counts this much. */
const LOOSE_WEIGHT = 0.85;
/** Share of its word match a fact keeps when the question names entities and the fact is about none of them. */
export const OFF_TOPIC = 0.75;
/** Share of its word match a fact keeps when it holds the named entities' names but none of the question's other words. */
const NAME_ONLY = 0.5;
/** A relation asked at least this strongly makes other relations' word matches count less. */
const STRONG_ASK = 0.8;
/**
 * A question naming no entity is answered by a fact of an asked relation
 * only when at most this share of its content words is left unexplained (by
 * the relation, or by the fact's own words): "how many calories are in an
 * avocado" asks for a number, but "calories" and "avocado" are nowhere.
 */
const RELATION_ONLY_UNEXPLAINED = 0.5;
/** Share of the relation's match lost per unit of unexplained share. */
const RELATION_ONLY_LOSS = 0.6;

/** The signals of each candidate, in order; `semanticActive`: the semantic channel answered. */
export function candidateSignals(
  ctx: RecallContext,
  structure: QueryStructure,
  found: Candidates,
  vectors: QueryVectors | null,
  semanticActive: boolean,
): Signals[] {
  const cands = found.list;
  const structured = structuredSignal(structure, found);
  const lexical = lexicalSignal(ctx, structure, found, structured);
  const semantic = semanticSignal(ctx, found, vectors, semanticActive, structured);
  const { node, now } = ctx;
  const { reachedBy, seedWeight } = found.paths;
  return cands.map((c, i) => {
    // The end of an asked-for path is as near to the question as the entity it names.
    const onPath = reachedBy.has(c.row.entity) && !seedWeight.has(c.row.entity) && structured.scores[i]! > 0 && !structured.redundant[i];
    return {
      lexical: lexical[i]!,
      semantic: semantic[i]!,
      graph: onPath ? 1 : graphScore(c.direct, c.hops),
      source_trust: sourceTrust(c.row),
      recency: recencyScore(now - timestampMs(c.row.timestamp), node.config.recallHalfLifeDays),
    };
  });
}

interface Structured {
  readonly scores: number[];
  /** Path answers whose own relation only repeats words the path used. */
  readonly redundant: boolean[];
  readonly inputs: StructuredCandidate[];
}

/** The structured match of every candidate (see the module comment). */
function structuredSignal(structure: QueryStructure, found: Candidates): Structured {
  const { intent } = structure;
  const cands = found.list;
  const { reachedBy, seedWeight, seedHit, strongSeeds } = found.paths;
  // Entities reached over an asked-for path that also hold another asked-for fact: the path leads on.
  const beyond = new Set<string>();
  for (const c of cands) {
    const via = reachedBy.get(c.row.entity);
    if (via !== undefined && leadsOn(intent, via.relations, c.row.relation)) beyond.add(c.row.entity);
  }
  const inputs = cands.map((c): StructuredCandidate => {
    const via = reachedBy.get(c.row.entity);
    // The hit that made its entity a value seed keeps its own lexical score.
    // A value seed's own attributes are not asked about ("capital city" → someone's location in
    // "Mexico City"); its edges and the paths from it are.
    const valueSeed = seedHit.has(c.row.entity);
    const attribute = c.row.value_type !== "ref" && !strongSeeds.has(c.row.entity);
    const seed = valueSeed && (seedHit.get(c.row.entity) === c.row.rowid || attribute) ? undefined : seedWeight.get(c.row.entity);
    return {
      entity: c.row.entity,
      relation: c.row.relation,
      named: seed !== undefined,
      seed: valueSeed,
      via: seed === undefined && !seedWeight.has(c.row.entity) ? via : undefined,
      beyond: beyond.has(c.row.entity),
      weight: seed ?? (via !== undefined ? (seedWeight.get(via.from) ?? 1) * (via.loose === true ? LOOSE_WEIGHT : 1) : 1),
      ref: c.row.value_type === "ref" ? c.row.value_v : undefined,
    };
  });
  const scores = structuredScores(intent, inputs);
  const redundant = inputs.map((x, i) => scores[i]! > 0 && x.via !== undefined && explainedWords(intent, x).redundant);
  // A question naming no entity: a fact of an asked relation answers it when the relation and the
  // fact's own words between them explain most of the question ("which systems run on postgres").
  if (structure.named.size === 0) {
    const content = contentWords(intent);
    cands.forEach((c, i) => {
      const m = found.asked.get(c.row.relation) ?? 0;
      if (m < ASKED_MIN || content.length === 0) return;
      const asking = intent.asked(c.row.relation).words;
      const left = content.filter(([at]) => !asking.has(at)).map(([, s]) => s);
      const unexplained = left.length === 0 ? 0 : (1 - containedShare(left, c.row)) * (left.length / content.length);
      if (unexplained > RELATION_ONLY_UNEXPLAINED) return;
      scores[i] = Math.max(scores[i]!, answerScore(m) * (1 - RELATION_ONLY_LOSS * unexplained));
    });
  }
  return { scores, redundant, inputs };
}

/** The lexical signal of every candidate (see the module comment). */
function lexicalSignal(ctx: RecallContext, structure: QueryStructure, found: Candidates, structured: Structured): number[] {
  const cands = found.list;
  const search = searchStems(ctx.params.query);
  let weakest = 1;
  for (const c of cands) if (c.lexical !== undefined && c.lexical > 0) weakest = Math.min(weakest, c.lexical);
  const strongest = Math.max(0, ...found.asked.values());
  // When the question names entities, their names match all their facts alike: what counts is the rest.
  const asking = structure.named.size > 0 ? contentWords(structure.intent).map(([, s]) => s) : [];
  const onTopic = aboutNamed(structure, found);
  return cands.map((c, i) => {
    let lex = c.lexical;
    if (lex === undefined) {
      const share = search.length === 0 ? 0 : containedShare(search, c.row);
      lex = Math.min(weakest, share * share);
    }
    if (asking.length > 0) lex *= NAME_ONLY + (1 - NAME_ONLY) * containedShare(asking, c.row);
    if (!onTopic(c)) lex *= OFF_TOPIC;
    if (strongest >= STRONG_ASK && (found.asked.get(c.row.relation) ?? 0) < ASKED_MIN) lex *= OFF_RELATION;
    return Math.max(lex, structured.scores[i]!);
  });
}

/**
 * The semantic signal of every candidate (see the module comment); NaN when
 * unknown. When the question names entities, every candidate is compared
 * with the question without those names (structure.ts `residualQuestion`):
 * the name is already matched exactly (the structured and lexical signals),
 * and the rest is what tells the named entity's facts apart — compared
 * with the whole question, a fact repeating the name (its `full_name`) would
 * look closest, and other entities' facts sharing an id word (`inc`) close.
 */
function semanticSignal(
  ctx: RecallContext,
  found: Candidates,
  vectors: QueryVectors | null,
  active: boolean,
  structured: Structured,
): number[] {
  const cands = found.list;
  if (!active) return cands.map(() => 0);
  const semantic = ctx.node.recall.semantic;
  const residual = vectors?.residual ?? null;
  const scored = new Map<number, number>();
  const score = (query: Float32Array, rowids: number[]): void => {
    if (rowids.length === 0 || semantic?.similarityTo === undefined) return;
    try {
      const sims = semantic.similarityTo(query, rowids);
      rowids.forEach((rowid, k) => scored.set(rowid, sims[k]!));
    } catch (e) {
      ctx.node.recall.log.warn({ err: e }, "stored vectors unavailable; candidates the semantic channel did not find score 0 on it");
    }
  };
  if (residual !== null) score(residual, cands.map((c) => c.row.rowid));
  else if (vectors !== null) score(vectors.query, cands.flatMap((c) => (c.semantic === undefined ? [c.row.rowid] : [])));
  const sem = cands.map((c) => (residual !== null ? scored.get(c.row.rowid) : undefined) ?? c.semantic ?? scored.get(c.row.rowid) ?? 0);
  // A path answer found by the walk alone: its path's edges are what the question's words
  // describe (`person/leo rel:manager person/priya` for "where is leo's manager based"), so it
  // takes the best of theirs; a value seed's answer takes that of the hit that made it a seed.
  const { reachedBy, seedWeight, seedHit } = found.paths;
  const byTriple = new Map<string, number>();
  const byRow = new Map<number, number>();
  cands.forEach((c, i) => {
    const s = sem[i]!;
    if (Number.isNaN(s)) return;
    const k = `${c.row.entity}\u0000${c.row.relation}`;
    if (s > (byTriple.get(k) ?? 0)) byTriple.set(k, s);
    byRow.set(c.row.rowid, s);
  });
  const pathSemantic = (entity: string): number => {
    const r = reachedBy.get(entity);
    if (r === undefined) return 0;
    const stops = [r.from, ...r.through, entity];
    let best = 0;
    r.relations.forEach((rel, i) => {
      for (const e of [stops[i], stops[i + 1]]) best = Math.max(best, byTriple.get(`${e}\u0000${rel}`) ?? 0);
    });
    return best;
  };
  return cands.map((c, i) => {
    const s = sem[i]!;
    const st = structured.scores[i]!;
    const onPath = reachedBy.has(c.row.entity) && !seedWeight.has(c.row.entity) && st > 0 && !structured.redundant[i];
    if (onPath) return Math.max(Number.isNaN(s) ? 0 : s, pathSemantic(c.row.entity));
    if (seedHit.has(c.row.entity) && st > 0) return Math.max(Number.isNaN(s) ? 0 : s, byRow.get(seedHit.get(c.row.entity)!) ?? 0);
    return s;
  });
}

/** Stems of the question's search words (stop words left out unless nothing else is left). */
function searchStems(query: string): string[] {
  const words = textWords(query);
  const kept = words.filter((w) => !STOPWORDS_V1.has(w));
  return [...new Set((kept.length > 0 ? kept : words).map(stem))];
}

/**
 * Whether a candidate is about what the question names: always, when it
 * names nothing; else a fact of a named entity or of one reached from it (or
 * from a value seed), found by the graph, or holding a named entity's words.
 */
function aboutNamed(structure: QueryStructure, found: Candidates): (c: Candidates["list"][number]) => boolean {
  if (structure.named.size === 0) return () => true;
  const { reachedBy, seedWeight } = found.paths;
  const { intent } = structure;
  const names = [...intent.skip].filter((i) => !(intent.kindWords?.has(i) ?? false) && !intent.stop[i]).map((i) => intent.stems[i]!);
  return (c) =>
    !c.direct ||
    structure.named.has(c.row.entity) ||
    reachedBy.has(c.row.entity) ||
    seedWeight.has(c.row.entity) ||
    names.some((n) => rowHolds(c.row, n));
}

/** The question's content words (core/recall/query-intent.ts): [index, stem]. */
function contentWords(intent: QueryIntent): [number, string][] {
  return contentWordIndices(intent).map((i) => [i, intent.stems[i]!]);
}

/** The share of `stems` a fact's words contain (row-words.ts `rowHolds`). */
function containedShare(stems: readonly string[], row: ScoringRow): number {
  let n = 0;
  for (const s of stems) if (rowHolds(row, s)) n++;
  return n / stems.length;
}

function timestampMs(text: string): number {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
