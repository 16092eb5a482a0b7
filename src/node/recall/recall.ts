/**
 * `POST /v1/recall` and `RecallService.Recall` (protocol.md §9): ranked,
 * token-budgeted retrieval for agents.
 *
 * 1. Authorize first: `read`, then the key's scopes; every channel reads the
 *    current view of that one scope through SQL that applies the view, so an
 *    unreadable fact is never scored, counted, packed or summarized.
 * 2. Candidates: lexical (FTS5/BM25 + exact entity words), semantic (when an
 *    embedder answers), graph (BFS from the entities the query names, then
 *    those of the top 5 hits). Query understanding (core/recall/query-intent.ts):
 *    named entities (entity-column FTS lookups), asked-for relations (stems +
 *    synonyms) and a walk over asked-for edges from the named entities (and,
 *    scaled down, from the entities of the best lexical hits) give a
 *    structured match that the lexical signal takes when higher; ties go to
 *    the candidate explaining more of the question's words.
 * 3. Fusion (`STIGMEM_RECALL_FUSION`: wsum or rrf) × confidence × 0.7 if
 *    contradicted; recency with half-life `STIGMEM_RECALL_HALF_LIFE_DAYS`.
 * 4. `prefer_cards`: an entity's content candidates that its card covers
 *    collapse into the card, scored at their best score.
 * 5. MMR (λ = `lambda_mmr`) and greedy packing into `token_budget`.
 * 6. CID check of every packed fact read from the file (recall's copy of
 *    the view keeps the rows that passed): a mismatch is dropped (audited,
 *    `degraded`) and the packing done again without it.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { queryHash } from "../../core/recall/query-text.js";
import {
  finalScore,
  fuse,
  graphScore,
  recencyScore,
  SIGNAL_NAMES,
  type SignalName,
  type Signals,
} from "../../core/recall/scoring.js";
import { tokenEstimate, type PackResult } from "../../core/recall/pack.js";
import type { FactRow } from "../../store/fact-store.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import type { ViewFilter } from "../../store/view-filter.js";
import type { Fact } from "../facts/fact.js";
import { verifyMany } from "../facts/read-integrity.js";
import { mayReadScope, readPolicyFor, requireReadableScope, type ReadPolicy } from "../access/read-policy.js";
import { readCondition } from "../access/read-rules.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import type { ChainProof } from "./chain-proof.js";
import { GRAPH_EDGE_CAP, GRAPH_MAX_ENTITIES, graphChannel, lexicalChannel, namedEntities, semanticChannel, semanticSearch } from "./channels.js";
import {
  explainedWords,
  kindWordsOfNamed,
  queryIntent,
  relationAsked,
  structuredScores,
  walkAsked,
  withoutWords,
  type AskedReach,
} from "../../core/recall/query-intent.js";
import { edgeLookup, writerTrust } from "./graph-edges.js";
import { collapseIntoCards } from "./card-collapse.js";
import { mmrPacker } from "./mmr-packer.js";
import type { RecallItem } from "./recall-item.js";
import { parseRecallParams, type RecallParams } from "./recall-params.js";
import { RecallClock, type RecallTimings } from "./recall-timing.js";

/** Most items diversified and packed (§9: fusion keeps ≤ 500 candidates). */
export const MAX_FUSED = 500;
/** Hits whose entities seed the graph walk (§9). */
export const GRAPH_SEED_HITS = 5;

/** Most entities at the end of an asked-for path whose facts are read (multi-hop answers). */
const PATH_END_ENTITIES = 12;
/**
 * Entities of the best lexical hits that start an asked-for walk as well, so
 * that a question starting at a value ("the person who decided to adopt
 * kafka" → the decision titled "Adopt Kafka …") can be followed. Their
 * structured match is scaled by {@link VALUE_SEED_WEIGHT} (less for later seeds).
 */
const VALUE_SEEDS = 3;
const VALUE_SEED_WEIGHT = 0.85;
/** Each further value seed counts this much less. */
const VALUE_SEED_STEP = 0.05;
/** Hits below this lexical score start no walk. */
const VALUE_SEED_MIN_LEXICAL = 0.15;
/**
 * A value seed whose hit scores at least this has its attributes (not only
 * its edges) count as answers: "the single sign-on decision" → its date.
 */
const VALUE_SEED_STRONG = 0.6;
/** Entities an asked-for walk from value seeds may reach. */
const VALUE_SEED_MAX_ENTITIES = 20;
/** Facts read per such entity. */
const PATH_END_FACTS = 20;

/** What an item's score is made of (protocol.md §9): each signal and the final score. */
export interface ScoreBreakdown {
  readonly lexical: number;
  readonly semantic: number;
  readonly graph: number;
  readonly sourceTrust: number;
  readonly recency: number;
  /** The item's score: the fused signals × confidence × the contradiction factor. */
  readonly weightedTotal: number;
}

/** One recalled item. */
export interface ScoredFact {
  /** The fact, or the memory card standing in for several of an entity's facts (`fromCard`). */
  readonly fact: Fact;
  readonly score: number;
  readonly breakdown: ScoreBreakdown;
  readonly hopDistance: number;
  readonly tokenEstimate: number;
  readonly fromCard: boolean;
}

/** A recall's answer: the packed items, best first, and what the packing did. */
export interface RecallAnswer {
  readonly recallId: string;
  /** SHA-256 hex of the UTF-8 question. */
  readonly queryHash: string;
  readonly facts: readonly ScoredFact[];
  /** Candidates scored, whether packed or not. */
  readonly totalScored: number;
  readonly tokenBudget: number;
  readonly tokensUsed: number;
  /** Something that fitted the question did not fit the budget. */
  readonly truncated: boolean;
  /** The verified fact chain, when asked for (`Stigmem-Verify: full`). */
  readonly chainProof: ChainProof | null;
}

export interface RecallOptions {
  /** `Stigmem-Verify: full`: verify the fact chain and fill `chainProof`. */
  verifyChain?: boolean;
}

export interface RecallResult {
  answer: RecallAnswer;
  /** A candidate failed CID verification and was dropped (`Stigmem-Integrity: degraded`). */
  degraded: boolean;
  /** Where the time went (`Server-Timing`). */
  timings: RecallTimings;
}

export async function recall(
  node: NodeContext,
  principal: Principal,
  raw: unknown,
  opts: RecallOptions = {},
): Promise<RecallResult> {
  const policy = readPolicyFor(principal);
  const params = parseRecallParams(raw);
  // A named scope outside the key is refused; the default one is filtered silently (§8).
  if (params.scopeExplicit) requireReadableScope(policy, params.scope);
  const readable = mayReadScope(policy, params.scope);
  // The rows read before and after waiting for the semantic search are read once (see holdReads).
  const release = node.recall.store.holdReads();
  try {
    return await rank(node, policy, params, opts, readable);
  } finally {
    release();
  }
}

/** Candidates, scoring, packing and the answer of an authorized recall. */
async function rank(
  node: NodeContext,
  policy: ReadPolicy,
  params: RecallParams,
  opts: RecallOptions,
  readable: boolean,
): Promise<RecallResult> {
  // The semantic search runs on the embedder's thread when it has one, while this thread reads the
  // direct candidates; those are read again if a write committed meanwhile, so that everything
  // scored comes from one state of the store.
  const clock = new RecallClock();
  const semantic = readable ? semanticSearch(node, params) : null;
  const chain = opts.verifyChain === true ? node.recall.chain.verify(policy.actor) : null;
  const now = Date.now();
  const view: ViewFilter = {
    scope: params.scope,
    // Recall shows every value of a contradicted triple, flagged and scored down (§9).
    readable: readCondition(policy, {
      kind: "current",
      nowMs: now,
      includeContradicted: true,
      minConfidence: params.minConfidence,
    }),
    entity: params.entity,
    relation: params.relation,
  };
  const store = node.recall.store;
  let direct = readable ? directCandidates(node, params, view) : null;
  // Taken after the reads, which may fill temporary tables of their own.
  const mark = store.stateMark();
  clock.lap("direct");
  const [semanticHits, chainProof] = await Promise.all([semantic, chain]);
  clock.lap("semantic-wait");
  if (direct !== null && store.stateMark() !== mark) {
    store.forgetReads();
    direct = directCandidates(node, params, view);
    clock.lap("direct");
  }

  let items: RecallItem[] = [];
  let degraded = false;
  if (direct !== null) {
    items = scoreCandidates(node, params, view, direct, semanticHits, now);
    if (params.preferCards) {
      const collapsed = collapseIntoCards(node, policy, params.scope, items);
      items = collapsed.items;
      degraded ||= collapsed.degraded;
    }
  }

  items.sort(
    (a, b) => b.score - a.score || b.hlc.wall - a.hlc.wall || b.hlc.counter - a.hlc.counter || compareIds(a, b),
  );
  clock.lap("score");
  const pack = mmrPacker(node);
  /** rowid → full row of the packed facts that passed verification. */
  const served = new Map<number, FactRow>();
  // Rows read and checked by an earlier recall, kept exact by the same copy as the scoring rows.
  const verified = node.stores.viewRows;
  let packed: PackResult<RecallItem>;
  // Only what is served is read in full and re-hashed (most candidates are never packed); a packed
  // fact that fails is dropped (audited) and the rest packed again, as if it had never been a candidate.
  for (;;) {
    packed = pack(items.slice(0, MAX_FUSED), params.tokenBudget, params.lambdaMmr);
    clock.lap("pack");
    const unchecked: number[] = [];
    for (const i of packed.packed) {
      if (i.row === null || served.has(i.row.rowid)) continue;
      const row = verified.verified(i.row.rowid);
      if (row !== undefined) served.set(row.rowid, row);
      else unchecked.push(i.row.rowid);
    }
    for (const row of verifyMany(node.stores.audit, store.factRows(unchecked), policy.actor).rows) {
      served.set(row.rowid, row);
      verified.putVerified(row);
    }
    clock.lap("rows");
    const bad = new Set(unchecked.filter((rowid) => !served.has(rowid)));
    if (bad.size === 0) break;
    degraded = true;
    items = items.filter((i) => i.row === null || !bad.has(i.row.rowid));
  }
  const totalScored = items.length;

  const facts = packed.packed.map((i) => toScoredFact(node, i, i.row === null ? null : served.get(i.row.rowid)!, now));
  const answer: RecallAnswer = {
    recallId: randomUUID(),
    queryHash: queryHash(params.query),
    facts,
    totalScored,
    tokenBudget: params.tokenBudget,
    tokensUsed: packed.tokensUsed,
    truncated: packed.truncated,
    chainProof,
  };
  clock.lap("build");
  return { answer, degraded, timings: clock.timings() };
}

/**
 * What scoring reads before the semantic answer: what the query names and
 * asks, its lexical hits, and the asked-for paths from the named entities and
 * the best lexical hits (none of which depends on the semantic answer).
 */
interface DirectCandidates {
  readonly named: ReadonlySet<string>;
  readonly intent: ReturnType<typeof withoutWords>;
  readonly lexical: ReturnType<typeof lexicalChannel>;
  readonly paths: AskedPaths;
}

/** Asked-for walks (multi-hop answers) and the facts at their ends. */
interface AskedPaths {
  readonly reachedBy: ReadonlyMap<string, AskedReach>;
  /** Entities that start an asked-for walk → how surely they are meant (named: 1). */
  readonly seedWeight: ReadonlyMap<string, number>;
  /** Value seed → the rowid of the hit that made it one (its own words already scored it). */
  readonly seedHit: ReadonlyMap<string, number>;
  /** Value seeds whose hit matched most of the query: their attributes may be the answer too. */
  readonly strongSeeds: ReadonlySet<string>;
  /** Path ends and value seeds with their hops and view rows, in the order they become candidates. */
  readonly ends: readonly { entity: string; hops: number; rows: ScoringRow[] }[];
}

function directCandidates(node: NodeContext, params: RecallParams, view: ViewFilter): DirectCandidates {
  const asked = queryIntent(params.query);
  const named = new Set(namedEntities(node, params, view, asked));
  // "the infra team": "team" is part of the name, not a question about membership.
  const intent = withoutWords(asked, kindWordsOfNamed(asked, [...named]));
  const lexical = lexicalChannel(node, params, view);
  return { named, intent, lexical, paths: askedPaths(node, params, view, named, intent, lexical) };
}

function askedPaths(
  node: NodeContext,
  params: RecallParams,
  view: ViewFilter,
  named: ReadonlySet<string>,
  intent: ReturnType<typeof withoutWords>,
  lexical: ReturnType<typeof lexicalChannel>,
): AskedPaths {
  const reachedBy = new Map<string, AskedReach>();
  const seedWeight = new Map<string, number>([...named].map((e) => [e, 1]));
  const seedHit = new Map<string, number>();
  const strongSeeds = new Set<string>();
  const ends: { entity: string; hops: number; rows: ScoringRow[] }[] = [];
  if (!params.includeNeighbors || params.entity !== undefined) return { reachedBy, seedWeight, seedHit, strongSeeds, ends };
  // Paths from the named entities alone decide multi-hop answers: the entities at the end of an
  // asked-for path ("the maintainer of billing") have their facts read even if the graph
  // channel's walk was cut before them.
  const edgesOf = edgeLookup(node, { scope: view.scope, readable: view.readable, cap: GRAPH_EDGE_CAP });
  if (named.size > 0) {
    for (const [entity, r] of walkAsked(intent, [...named], params.depth, GRAPH_MAX_ENTITIES, edgesOf)) reachedBy.set(entity, r);
  }
  // Value seeds: the entities of the best lexical hits that the query does not name and that
  // no path from a named entity reached.
  const valueSeeds: string[] = [];
  const byLex = [...lexical.hits.values()].sort((a, b) => b.lexical - a.lexical || b.row.rowid - a.row.rowid);
  for (const h of byLex) {
    if (valueSeeds.length >= VALUE_SEEDS || h.lexical < VALUE_SEED_MIN_LEXICAL) break;
    const e = h.row.entity;
    if (named.has(e) || reachedBy.has(e) || valueSeeds.includes(e)) continue;
    seedWeight.set(e, VALUE_SEED_WEIGHT - VALUE_SEED_STEP * valueSeeds.length);
    seedHit.set(e, h.row.rowid);
    if (h.lexical >= VALUE_SEED_STRONG) strongSeeds.add(e);
    valueSeeds.push(e);
  }
  if (valueSeeds.length > 0) {
    for (const [entity, r] of walkAsked(intent, valueSeeds, params.depth, VALUE_SEED_MAX_ENTITIES, edgesOf)) {
      if (!reachedBy.has(entity) && !seedWeight.has(entity)) reachedBy.set(entity, r);
    }
  }
  const store = node.recall.store;
  const endHops: [string, number][] = [...reachedBy].slice(0, PATH_END_ENTITIES).map(([entity, r]) => [entity, r.hops]);
  for (const e of valueSeeds) endHops.push([e, 0]);
  for (const [entity, hops] of endHops) ends.push({ entity, hops, rows: store.entityScoringRows({ ...view, entity }, node.nodeId, PATH_END_FACTS) });
  return { reachedBy, seedWeight, seedHit, strongSeeds, ends };
}

/** Gathers and scores the candidates of every channel. */
function scoreCandidates(
  node: NodeContext,
  params: RecallParams,
  view: ViewFilter,
  { named, intent, lexical, paths }: DirectCandidates,
  answer: Awaited<ReturnType<typeof semanticSearch>>,
  now: number,
): RecallItem[] {
  interface Cand {
    row: ScoringRow;
    lexical: number;
    semantic: number;
    direct: boolean;
    hops: number;
  }
  const cands = new Map<number, Cand>();
  for (const [rowid, h] of lexical.hits) cands.set(rowid, { row: h.row, lexical: h.lexical, semantic: 0, direct: true, hops: 0 });
  if (answer !== null) {
    for (const [rowid, h] of semanticChannel(node, params, view, answer, new Set(cands.keys()))) {
      const c = cands.get(rowid);
      if (c !== undefined) c.semantic = h.semantic;
      else cands.set(rowid, { row: h.row, lexical: 0, semantic: h.semantic, direct: true, hops: 0 });
    }
  }

  const { reachedBy, seedWeight, seedHit, strongSeeds } = paths;
  if (params.includeNeighbors) {
    // Seeds: entities named exactly, then the entities of the best direct hits.
    const w = params.weights;
    const pre = [...cands.values()].sort(
      (a, b) => w.lexical * b.lexical + w.semantic * b.semantic - (w.lexical * a.lexical + w.semantic * a.semantic) || b.row.rowid - a.row.rowid,
    );
    // An entity filter makes that entity a seed: its other facts are candidates too (graph 1, hop 0).
    // Named entities come next: their facts are candidates even without a word match.
    const seeds = params.entity === undefined ? [...lexical.exactEntities] : [params.entity];
    for (const e of named) if (!seeds.includes(e)) seeds.push(e);
    for (const c of pre.slice(0, GRAPH_SEED_HITS)) if (!seeds.includes(c.row.entity)) seeds.push(c.row.entity);
    const graph = graphChannel(node, params, view, seeds, (r) => named.has(r.entity));
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
  }

  const kept = [...cands.values()];
  // Entities reached over an asked-for path that also hold another asked-for fact: the path leads on.
  const beyond = new Set<string>();
  for (const c of kept) {
    const via = reachedBy.get(c.row.entity);
    if (via !== undefined && !via.relations.includes(c.row.relation) && relationAsked(intent, c.row.relation)) beyond.add(c.row.entity);
  }
  // The lexical signal includes the structured match: the question's named entity and asked-for
  // relation, directly or over an asked-for path (core/recall/query-intent.ts).
  const structuredCands = kept.map((c) => {
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
  for (const c of kept) {
    const k = `${c.row.entity}\u0000${c.row.relation}`;
    if (c.semantic > (semanticOf.get(k) ?? 0)) semanticOf.set(k, c.semantic);
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
  const onPath = kept.map(
    (c, i) =>
      reachedBy.has(c.row.entity) && !seedWeight.has(c.row.entity) && structured[i]! > 0 && !explainedWords(intent, structuredCands[i]!).redundant,
  );
  const signals: Signals[] = kept.map((c, i) => ({
    lexical: Math.max(c.lexical, structured[i]!),
    semantic: onPath[i]
      ? Math.max(c.semantic, pathSemantic(c.row.entity))
      : seedHit.has(c.row.entity) && structured[i]! > 0
        ? Math.max(c.semantic, cands.get(seedHit.get(c.row.entity)!)?.semantic ?? 0)
        : c.semantic,
    // The end of an asked-for path is as near to the question as the entity it names.
    graph: onPath[i] ? 1 : graphScore(c.direct, c.hops),
    source_trust: writerTrust(c.row),
    recency: recencyScore(now - timestampMs(c.row.timestamp), node.config.recallHalfLifeDays),
  }));
  const active: SignalName[] = SIGNAL_NAMES.filter((s) => s !== "semantic" || answer !== null);
  const raw = fuse(signals, params.weights, active, node.config.recallFusion);
  const items = kept.map((c, i): RecallItem => ({
    row: c.row,
    card: null,
    entity: c.row.entity,
    relation: c.row.relation,
    scope: c.row.scope,
    interpretAs: c.row.interpret_as,
    signals: signals[i]!,
    score: finalScore(raw[i]!, c.row.confidence, c.row.contradicted === 1),
    hops: c.direct ? 0 : c.hops,
    tokens: tokenEstimate(c.row.entity, c.row.relation, c.row.value_v, c.row.source),
    hlc: { wall: c.row.hlc_w, counter: c.row.hlc_c },
  }));
  return items;
}

/** `row`: the item's fact read in full, null for a card. */
function toScoredFact(node: NodeContext, i: RecallItem, row: FactRow | null, now: number): ScoredFact {
  const s = i.signals;
  return {
    fact: i.card ?? node.recall.factOf(row!, now),
    score: i.score,
    breakdown: {
      lexical: s.lexical,
      semantic: s.semantic,
      graph: s.graph,
      sourceTrust: s.source_trust,
      recency: s.recency,
      weightedTotal: i.score,
    },
    hopDistance: i.hops,
    tokenEstimate: i.tokens,
    fromCard: i.card !== null,
  };
}

function timestampMs(text: string): number {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function compareIds(a: RecallItem, b: RecallItem): number {
  const x = a.row?.rowid ?? 0;
  const y = b.row?.rowid ?? 0;
  return y - x;
}
