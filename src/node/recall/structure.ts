/**
 * Recall stage "structure" (protocol.md §9, stage 2, query understanding):
 * what the question names and asks, read against the store.
 *
 * - **Named entities** (core/recall/entity-link.ts): candidates are the
 *   entities with a query word (or its stem) among their id words, or a stored
 *   id word that abbreviates one ("gateway" → `gw`, "laboratory information
 *   system" → `lis`), from recall's in-memory index of ids
 *   (store-vocabulary.ts), and the entities whose name-like facts
 *   (`memory:name`, `hr:aka`, …) contain a query word, from its index of
 *   stated names; their names are read through the view; the linker decides
 *   which the question spells out, and an entity the caller sees no fact of
 *   in the view names nothing. Words beside a named entity that spell its
 *   kind ("the infra team") are part of the name.
 * - **Asked relations** (core/recall/relation-match.ts): matched against the
 *   relation names and profiles the store holds (store-vocabulary.ts), with
 *   the embedder's word similarity once it answered.
 * - **Asked-for walks** from the named entities and from the entities of
 *   the best lexical hits (multi-hop answers), with the facts at their ends.
 *
 * @module
 */
import { abbreviates, initialismAt } from "../../core/recall/abbreviation.js";
import { entityKind, linkEntities, type EntityLink, type EntitySpellings } from "../../core/recall/entity-link.js";
import { queryTokens, STOPWORDS_V1 } from "../../core/recall/query-text.js";
import { queryIntent, reviseIntent, settleIntent, walkAsked, type AskedReach, type QueryIntent } from "../../core/recall/query-intent.js";
import { contentWordIndices } from "../../core/recall/query-intent.js";
import { kindHit, type WordSimilarity } from "../../core/recall/relation-match.js";
import { stem, textWords } from "../../core/recall/words.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import { GRAPH_EDGE_CAP, GRAPH_MAX_ENTITIES } from "./graph-channel.js";
import { edgeLookup } from "./graph-edges.js";
import type { LexicalResult } from "./lexical-channel.js";
import type { RecallContext } from "./recall-context.js";
import { rowWords } from "./row-words.js";
import type { ScopeRelations } from "./store-vocabulary.js";

/** Query words looked up as entity names. */
const NAMED_ENTITY_WORDS = 8;
/** Most abbreviated id words looked up for one question. */
const SHORT_FORMS = 12;
/** Strength of an abbreviated link with its kind spelled beside it ("the pharmacy department"). */
const KIND_CONFIRMED = 0.9;

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
/** Share of the question's words no asked relation explains that a hit's value must hold to start a walk. */
const VALUE_SEED_SHARE = 0.5;
/**
 * A value seed whose hit scores at least this has its attributes (not only
 * its edges) count as answers: "the single sign-on decision" → its date.
 */
const VALUE_SEED_STRONG = 0.6;
/** Entities an asked-for walk from value seeds may reach. */
const VALUE_SEED_MAX_ENTITIES = 20;
/** Facts read per such entity. */
const PATH_END_FACTS = 20;
/** Named entities linked at least this surely take a step over any edge (see looseStep). */
const LOOSE_SEED_MIN = 0.8;
/** Relations asked at least this strongly are looked for one step away. */
const LOOSE_ASKED_MIN = 0.7;
/** Neighbours looked at per named entity. */
const LOOSE_NEIGHBOURS = 24;

/** What the question names and asks. */
export interface QueryStructure {
  /** How the question asks for relations; the words naming entities (and their kinds) ask for none. */
  readonly intent: QueryIntent;
  /** The entities the question names, best first. */
  readonly links: readonly EntityLink[];
  /** Their entities. */
  readonly named: ReadonlySet<string>;
  /** The recalled scope's relations, as learned from the store. */
  readonly relations: ScopeRelations;
  /**
   * The intent with outasked relations left out (core/recall/query-intent.ts
   * `settleIntent`): what decides which relations a question lists and which
   * it looks for one step away; scoring keeps every asked relation, since the
   * relation that outasks another may be one the named entity lacks.
   */
  readonly settled: QueryIntent;
}

/** Asked-for walks (multi-hop answers) and the facts at their ends. */
export interface AskedPaths {
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

/** The question's named entities and how it asks for relations (before the embedder answers). */
export function understandQuery(ctx: RecallContext): QueryStructure {
  const { node, params, view } = ctx;
  const relations = node.recall.vocabulary.relations(params.scope, ctx.now);
  const words = textWords(params.query);
  const links = view.entity === undefined ? namedEntities(ctx, words, relations) : [];
  const skip = new Set<number>();
  const kinds = new Set<number>();
  const confirmed = links.map((l) => {
    for (const i of l.words) skip.add(i);
    const beside = kindWordsBeside(words, l);
    for (const i of beside) kinds.add(i);
    // "the pharmacy department" for `dept/pharm`: the kind beside the name confirms an abbreviated link.
    return beside.length > 0 && l.strength < KIND_CONFIRMED ? { ...l, strength: KIND_CONFIRMED } : l;
  });
  for (const i of kinds) skip.add(i);
  const intent = queryIntent(params.query, skip, { profile: relations.profile }, kinds);
  return { intent, links: confirmed, named: new Set(links.map((l) => l.entity)), relations, settled: intent };
}

/**
 * The structure once the embedder answered (its word similarity, when it has
 * one), with its settled intent (outasked relations left out, core/recall/query-intent.ts).
 */
export function settleStructure(s: QueryStructure, similarity: WordSimilarity | null): QueryStructure {
  const intent = similarity === null ? s.intent : reviseIntent(s.intent, { profile: s.relations.profile, similarity });
  return { ...s, intent, settled: settleIntent(intent, intent.relevant(s.relations.index())) };
}

/**
 * The question without the words naming its entities and their kinds ("which
 * department does pedro alves work in" → "which department does work in"),
 * for comparing the named entities' facts by what is asked of them rather
 * than by the name they all share; null when it names none.
 */
export function residualQuestion(s: QueryStructure): string | null {
  if (s.links.length === 0) return null;
  const rest = s.intent.words.filter((_, i) => !s.intent.skip.has(i));
  return rest.length > 0 ? rest.join(" ") : null;
}

/**
 * The entities of the view's scope the question names (see the module
 * comment); stated names are read in one statement.
 */
function namedEntities(ctx: RecallContext, words: readonly string[], relations: ScopeRelations): EntityLink[] {
  const { node, params, view } = ctx;
  const recall = node.recall.store;
  const vocabulary = node.recall.vocabulary;
  const tokens = queryTokens(params.query).slice(0, NAMED_ENTITY_WORDS);
  const short = vocabulary
    .shortForms(words, (id, w, at) => abbreviates(id, w, true) !== undefined || initialismAt(id, words, at) > 0)
    .slice(0, SHORT_FORMS);
  const found = new Set<string>();
  for (const t of [...tokens, ...short]) for (const e of vocabulary.entitiesWithIdWord(t)) found.add(e);
  for (const t of tokens) for (const e of vocabulary.entitiesNamedWith(t)) found.add(e);
  // Their stated names, as the caller's view has them: one statement.
  const names = recall.namesOf([...found], relations.nameRelations(), view);
  // A word that is a word of a relation name ("risky" and `chg:risk`) is not read as a lone abbreviation of an id.
  const relationStems = new Set(vocabulary.relationWords().map(stem));
  const isStop = (w: string): boolean => STOPWORDS_V1.has(w);
  const reserved = (w: string): boolean => relationStems.has(stem(w));
  const link = (cands: readonly string[]): EntityLink[] =>
    linkEntities(words, isStop, cands.map((entity): EntitySpellings => ({ entity, names: names.get(entity) ?? [] })), reserved);
  // Candidates come from every scope's ids: an entity with no fact the caller sees in this view names nothing.
  let cands = [...found];
  for (;;) {
    const links = link(cands);
    const hidden = new Set(links.filter((l) => recall.entityScoringRows({ ...view, entity: l.entity }, node.nodeId, 1).length === 0).map((l) => l.entity));
    if (hidden.size === 0) return withoutSatellites(ctx, links);
    cands = cands.filter((e) => !hidden.has(e));
  }
}

/**
 * The links without those spelled by the same words as another linked entity
 * they point to: a reified relationship named after what it is about
 * (`oncall/billing` → `service/billing`, both "billing") is that entity's
 * satellite, reached from it anyway, not a second thing the question names.
 */
function withoutSatellites(ctx: RecallContext, links: readonly EntityLink[]): EntityLink[] {
  if (links.length < 2) return [...links];
  const { node, view } = ctx;
  const same = (a: EntityLink, b: EntityLink): boolean => a.words.size === b.words.size && [...a.words].every((i) => b.words.has(i));
  return links.filter((a) => {
    const twins = links.filter((b) => b !== a && same(a, b));
    if (twins.length === 0) return true;
    const targets = new Set(node.recall.store.edges(a.entity, "out", view, GRAPH_EDGE_CAP, node.nodeId).map((e) => e.dst));
    return !twins.some((b) => targets.has(b.entity));
  });
}

/**
 * Question words right beside a named entity's words that spell its kind
 * ("the infra team" for `team/infra`, "Heron Ward", "the payment gateway
 * service" for `svc/pay-gw`): part of the name, not a question about teams.
 */
function kindWordsBeside(words: readonly string[], link: EntityLink): number[] {
  const kind = entityKind(link.entity);
  if (kind === "") return [];
  const at = [...link.words];
  const lo = Math.min(...at);
  const hi = Math.max(...at);
  const near = new Set<number>();
  for (const i of [lo - 1, lo - 2, hi + 1]) if (i >= 0 && i < words.length && !link.words.has(i)) near.add(i);
  const others = new Set(words.map((_, i) => i).filter((i) => !near.has(i)));
  return [...kindHit(kind, words, words.map(stem), words.map((w) => STOPWORDS_V1.has(w)), others).at];
}

const NO_PATHS: AskedPaths = { reachedBy: new Map(), seedWeight: new Map(), seedHit: new Map(), strongSeeds: new Set(), ends: [] };

/**
 * The asked-for walks from the named entities and from the entities of the
 * best lexical hits (value seeds), and the view rows at their ends. None of
 * it depends on the semantic answer, so it runs while the search does.
 */
export function askedPaths(ctx: RecallContext, structure: QueryStructure, lexical: LexicalResult, asked: ReadonlyMap<string, number>): AskedPaths {
  const { node, params, view } = ctx;
  const { named, intent, links } = structure;
  if (!params.includeNeighbors || params.entity !== undefined) return NO_PATHS;
  const reachedBy = new Map<string, AskedReach>();
  const seedWeight = new Map<string, number>(links.map((l) => [l.entity, l.strength]));
  const seedHit = new Map<string, number>();
  const strongSeeds = new Set<string>();
  const store = node.recall.store;
  const rowsOf = (entity: string): ScoringRow[] => store.entityScoringRows({ ...view, entity }, node.nodeId, PATH_END_FACTS);
  // Paths from the named entities alone decide multi-hop answers: the entities at the end of an
  // asked-for path ("the maintainer of billing") have their facts read even if the graph
  // channel's walk was cut before them.
  const edgesOf = edgeLookup(node, { scope: view.scope, readable: view.readable, cap: GRAPH_EDGE_CAP });
  if (named.size > 0) {
    for (const [entity, r] of walkAsked(intent, [...named], params.depth, GRAPH_MAX_ENTITIES, edgesOf)) reachedBy.set(entity, r);
    for (const l of links) if (l.strength >= LOOSE_SEED_MIN) looseStep(l.entity, asked, rowsOf, edgesOf, reachedBy);
  }
  // Value seeds: the entities of the best lexical hits that the query does not name and that
  // no path from a named entity reached.
  const valueSeeds: string[] = [];
  const byLex = [...lexical.hits.values()].sort((a, b) => b.lexical - a.lexical || b.row.rowid - a.row.rowid);
  // A hit leads on only when its value holds at least half of the question's words that no
  // asked relation explains ("adopt" and "kafka" in "the person who decided to adopt kafka"),
  // not merely one of them ("hospital" in "where can I lock up my bike at the hospital").
  const explainedByRelations = new Set<number>();
  for (const r of asked.keys()) for (const i of intent.asked(r).words) explainedByRelations.add(i);
  const open = contentWordIndices(intent)
    .filter((i) => !explainedByRelations.has(i))
    .map((i) => intent.stems[i]!);
  // Hits holding every such word, by entity: when only one entity's do, that entity is who is meant.
  const holdingAll = new Set(byLex.filter((h) => h.lexical >= VALUE_SEED_MIN_LEXICAL && heldShare(h.row, open) === 1).map((h) => h.row.entity));
  for (const h of byLex) {
    if (valueSeeds.length >= VALUE_SEEDS || h.lexical < VALUE_SEED_MIN_LEXICAL) break;
    const e = h.row.entity;
    if (named.has(e) || reachedBy.has(e) || valueSeeds.includes(e)) continue;
    if (heldShare(h.row, open) < VALUE_SEED_SHARE) continue;
    seedWeight.set(e, VALUE_SEED_WEIGHT - VALUE_SEED_STEP * valueSeeds.length);
    seedHit.set(e, h.row.rowid);
    // The one entity whose hit holds every word no relation explains ("head of midwifery") is who is meant.
    if (h.lexical >= VALUE_SEED_STRONG || (holdingAll.size === 1 && holdingAll.has(e))) strongSeeds.add(e);
    valueSeeds.push(e);
  }
  if (valueSeeds.length > 0) {
    for (const [entity, r] of walkAsked(intent, valueSeeds, params.depth, VALUE_SEED_MAX_ENTITIES, edgesOf)) {
      if (!reachedBy.has(entity) && !seedWeight.has(entity)) reachedBy.set(entity, r);
    }
  }
  const endHops: [string, number][] = [...reachedBy].slice(0, PATH_END_ENTITIES).map(([entity, r]) => [entity, r.hops]);
  for (const e of valueSeeds) endHops.push([e, 0]);
  const ends = endHops.map(([entity, hops]) => ({ entity, hops, rows: rowsOf(entity) }));
  return { reachedBy, seedWeight, seedHit, strongSeeds, ends };
}

/**
 * One step over any edge from a named entity lacking a relation asked for
 * more strongly than any it holds, to the neighbours that hold it: "what
 * does the system hit by INC-0874 run on" names the incident, whose
 * `affected` edge leads to the system that runs on something, though
 * "affected" was never asked.
 */
function looseStep(
  seed: string,
  asked: ReadonlyMap<string, number>,
  rowsOf: (entity: string) => ScoringRow[],
  edgesOf: (entity: string) => readonly { to: string; relation: string }[],
  reachedBy: Map<string, AskedReach>,
): void {
  const strong = [...asked].filter(([, score]) => score >= LOOSE_ASKED_MIN);
  if (strong.length === 0) return;
  const own = new Set(rowsOf(seed).map((r) => r.relation));
  // Only when what the entity lacks is asked for more than anything it holds.
  const held = Math.max(0, ...strong.filter(([r]) => own.has(r)).map(([, score]) => score));
  const wanted = new Set(strong.filter(([r, score]) => !own.has(r) && score > held).map(([r]) => r));
  if (wanted.size === 0) return;
  const edges = [...edgesOf(seed)].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : a.relation < b.relation ? -1 : 1));
  let looked = 0;
  for (const e of edges) {
    if (reachedBy.has(e.to) || e.to === seed) continue;
    if (looked++ >= LOOSE_NEIGHBOURS) break;
    if (rowsOf(e.to).some((r) => wanted.has(r.relation))) reachedBy.set(e.to, { hops: 1, relations: [e.relation], through: [], from: seed, loose: true });
  }
}

/** The share of the stems `words` that a row's value holds (0 for none asked). */
function heldShare(row: ScoringRow, words: readonly string[]): number {
  if (words.length === 0) return 0;
  const own = rowWords(row).value;
  return words.filter((w) => own.has(w)).length / words.length;
}
