/**
 * Recall stage "structure" (protocol.md §9, stage 2, query understanding):
 * what the question names and asks, read against the store. The entities it
 * names (entity-column full-text lookups and stated names,
 * core/recall/query-intent.ts), the relations its words ask for, and the
 * asked-for walks from the named entities and from the entities of the best
 * lexical hits (multi-hop answers), with the facts at their ends.
 *
 * @module
 */
import { queryTokens } from "../../core/recall/query-text.js";
import {
  kindWordsOfNamed,
  queryIntent,
  resolveEntities,
  walkAsked,
  withoutWords,
  type AskedReach,
  type QueryIntent,
} from "../../core/recall/query-intent.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import { GRAPH_EDGE_CAP, GRAPH_MAX_ENTITIES } from "./graph-channel.js";
import { edgeLookup } from "./graph-edges.js";
import type { LexicalResult } from "./lexical-channel.js";
import type { RecallContext } from "./recall-context.js";

/** Most entities read per query word when resolving named entities. */
const NAMED_ENTITY_WINDOW = 200;
/** Query words found in more entity rows than this are not looked up as names. */
const NAMED_ENTITY_MAX_DF = 20_000;
/** Query words looked up as entity names. */
const NAMED_ENTITY_WORDS = 8;

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

/** What the question names and asks. */
export interface QueryStructure {
  /** The asking words, without those that spell a named entity's kind ("the infra team"). */
  readonly intent: QueryIntent;
  /** Entities the question names. */
  readonly named: ReadonlySet<string>;
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

/** The question's named entities and asking words. */
export function understandQuery(ctx: RecallContext): QueryStructure {
  const asked = queryIntent(ctx.params.query);
  const named = new Set(namedEntities(ctx, asked));
  // "the infra team": "team" is part of the name, not a question about membership.
  return { named, intent: withoutWords(asked, kindWordsOfNamed(asked, [...named])) };
}

/**
 * Entities of the view's scope whose name the query spells out
 * (core/recall/query-intent.ts): one entity-column full-text lookup per
 * query word (common ones skipped), their `memory:name` values (one
 * statement), then {@link resolveEntities}.
 */
function namedEntities(ctx: RecallContext, intent: QueryIntent): string[] {
  const { node, params, view } = ctx;
  if (view.entity !== undefined) return [];
  const recall = node.recall.store;
  const stats = node.recall.tokenStats;
  const docs = stats.documents();
  const found: string[] = [];
  for (const t of queryTokens(params.query).slice(0, NAMED_ENTITY_WORDS)) {
    if (stats.df(t, docs) > NAMED_ENTITY_MAX_DF) continue;
    found.push(...recall.entitiesMatching(`"${t}"`, view, NAMED_ENTITY_WINDOW));
  }
  // Display names too ("data platform" is `team/data`, named "Data Platform"): one statement for all.
  const unique = [...new Set(found)];
  return resolveEntities(intent, unique, recall.namesOf(unique, view));
}

const NO_PATHS: AskedPaths = { reachedBy: new Map(), seedWeight: new Map(), seedHit: new Map(), strongSeeds: new Set(), ends: [] };

/**
 * The asked-for walks from the named entities and from the entities of the
 * best lexical hits (value seeds), and the view rows at their ends. None of
 * it depends on the semantic answer, so it runs while the search does.
 */
export function askedPaths(ctx: RecallContext, structure: QueryStructure, lexical: LexicalResult): AskedPaths {
  const { node, params, view } = ctx;
  const { named, intent } = structure;
  if (!params.includeNeighbors || params.entity !== undefined) return NO_PATHS;
  const reachedBy = new Map<string, AskedReach>();
  const seedWeight = new Map<string, number>([...named].map((e) => [e, 1]));
  const seedHit = new Map<string, number>();
  const strongSeeds = new Set<string>();
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
  const ends = endHops.map(([entity, hops]) => ({ entity, hops, rows: store.entityScoringRows({ ...view, entity }, node.nodeId, PATH_END_FACTS) }));
  return { reachedBy, seedWeight, seedHit, strongSeeds, ends };
}
