/**
 * @module core/recall/query-intent
 *
 * What a recall question asks (protocol.md §9, stage 2, "query
 * understanding"), given the entities it names (core/recall/entity-link.ts)
 * and how it asks for each relation (core/recall/relation-match.ts). Pure:
 * the caller supplies the store's knowledge.
 *
 * - **Structured match** ({@link structuredMatch}): for a fact of a named
 *   entity, how strongly its relation is asked for; a fact reached over a
 *   graph edge whose relation (or the kind of the entity it passes through,
 *   such as `maintainership/…`) is asked for, and whose own relation is
 *   asked for too, is a multi-hop answer; a named entity's other facts are
 *   context. {@link structuredScores} breaks ties by how many of the
 *   question's asking words a candidate (with its path) explains.
 * - **Inverse asking:** "who reports to priya" asks for facts
 *   `X rel:manager priya`, not for priya's own manager.
 */
import { entityKind } from "./entity-link.js";
import {
  ASKED_MIN,
  kindHit,
  RelationMatcher,
  type QuestionWords,
  type RelationIndex,
  type RelationMatch,
  type RelationProfile,
  type WordSimilarity,
} from "./relation-match.js";
import { STOPWORDS_V1 } from "./query-text.js";
import { FILLER_WORDS } from "./data/relation-lexicon.js";
import { stem, textWords } from "./words.js";

/** What a question asks about. */
export interface QueryIntent extends QuestionWords {
  readonly stems: readonly string[];
  /**
   * Indices of words that ask for a relation the other way round: "who
   * reports to priya" asks for facts `X rel:manager priya`, not for priya's
   * own manager.
   */
  readonly inverse: ReadonlySet<number>;
  /** How the question asks for `relation`. */
  asked(relation: string): RelationMatch;
  /** Of `index`'s relations, those the question may ask for (every other one is asked by nothing). */
  relevant(index: RelationIndex): string[];
}

/** Words that, followed by "to" and something more, ask for the relation inversely ("who reports to priya"). */
const INVERSE_BEFORE_TO: ReadonlySet<string> = new Set(["report"]);

/** What the store knows that relation matching uses. */
export interface IntentKnowledge {
  /** A relation's profile in the recalled scope, when it has facts there. */
  readonly profile?: (relation: string) => RelationProfile | undefined;
  /** The embedder's word similarity, once known. */
  readonly similarity?: WordSimilarity;
}

/**
 * The intent of `query`; the words at `skip` name something (entities, their
 * kinds) and ask for no relation.
 *
 * @example
 * relationAsked(queryIntent("where is dana based"), "memory:location"); // true
 */
export function queryIntent(
  query: string,
  skip: ReadonlySet<number> = new Set(),
  knowledge: IntentKnowledge = {},
  kindWords: ReadonlySet<number> = new Set(),
): QueryIntent {
  return intentOf(textWords(query), skip, knowledge, kindWords);
}

/** The same question with other knowledge. */
export function reviseIntent(intent: QueryIntent, knowledge: IntentKnowledge): QueryIntent {
  return intentOf(intent.words, intent.skip, knowledge, intent.kindWords ?? new Set());
}

/** A relation is outasked by another that uses all its asking words and scores this much more. */
export const OUTASKED = 0.15;

/**
 * The intent with the relations among `relations` that are outasked left
 * out (asked for by nothing): those whose every asking word (kind words
 * aside) asks much more strongly for another relation — "call" asks for
 * `contact:phone`, but "on call" for `has-oncall`; "run" for a leader, but
 * "run on" for `infra:runs_on`.
 */
export function settleIntent(intent: QueryIntent, relations: readonly string[]): QueryIntent {
  // Only relations some word asks for can outask or be outasked.
  const matches = relations.map((r) => [r, intent.asked(r)] as const).filter(([, m]) => m.score >= ASKED_MIN);
  const bestOf = new Map<number, number>();
  const own = (m: RelationMatch): number[] => [...m.words].filter((i) => !(m.kindWords?.has(i) ?? false));
  for (const [, m] of matches) for (const i of own(m)) bestOf.set(i, Math.max(bestOf.get(i) ?? 0, m.score));
  const out = new Set<string>();
  for (const [r, m] of matches) {
    const words = own(m);
    if (words.length > 0 && words.every((i) => bestOf.get(i)! >= m.score + OUTASKED)) out.add(r);
  }
  if (out.size === 0) return intent;
  const none: RelationMatch = { score: 0, nameScore: 0, words: new Set() };
  return { ...intent, asked: (relation) => (out.has(relation) ? none : intent.asked(relation)) };
}

function intentOf(words: readonly string[], skip: ReadonlySet<number>, knowledge: IntentKnowledge, kindWords: ReadonlySet<number>): QueryIntent {
  const stems = words.map(stem);
  const stop = words.map((w) => STOPWORDS_V1.has(w));
  const inverse = new Set<number>();
  words.forEach((w, i) => {
    if (INVERSE_BEFORE_TO.has(stems[i]!) && words[i + 1] === "to" && i + 2 < words.length) inverse.add(i);
  });
  const q: QuestionWords = { words, stop, skip, kindWords };
  const matcher = new RelationMatcher(q, knowledge.profile ?? (() => undefined), knowledge.similarity);
  return { words, stems, stop, skip, kindWords, inverse, asked: (relation) => matcher.match(relation), relevant: (index) => matcher.candidates(index) };
}

const FILLERS: ReadonlySet<string> = new Set(FILLER_WORDS);

/**
 * Indices of the question's content words: not stop words, not filler
 * ("anyone", "each"), not naming an entity.
 */
export function contentWordIndices(intent: QueryIntent): number[] {
  const out: number[] = [];
  intent.words.forEach((w, i) => {
    if (!intent.stop[i] && !intent.skip.has(i) && !FILLERS.has(w)) out.push(i);
  });
  return out;
}

/** Indices of the query words that ask for `relation` (empty when it is not asked for). */
export function askingWords(intent: QueryIntent, relation: string): Set<number> {
  const m = intent.asked(relation);
  return m.score >= ASKED_MIN ? new Set(m.words) : new Set();
}

/** Whether the question asks for `relation`. */
export function relationAsked(intent: QueryIntent, relation: string): boolean {
  return intent.asked(relation).score >= ASKED_MIN;
}

/** Indices of the query words that name the kind of `uri` (see {@link kindAsked}). */
export function kindWords(intent: QueryIntent, uri: string): Set<number> {
  const kind = entityKind(uri);
  if (kind.length === 0) return new Set();
  return new Set(kindHit(kind, intent.words, intent.stems, intent.stop, intent.skip).at);
}

/** Whether an entity's kind is asked for (`maintainership` for "maintainer", `oncall` for "on call"). */
export function kindAsked(intent: QueryIntent, uri: string): boolean {
  const kind = entityKind(uri);
  if (kind.length === 0) return false;
  if (kindHit(kind, intent.words, intent.stems, intent.stop, intent.skip).strength > 0) return true;
  // `maintainership` → `maintain…`, `oncall` → "on call": a question word (or pair) that starts the kind name.
  const s = stem(kind);
  for (let i = 0; i < intent.words.length; i++) {
    if (intent.skip.has(i)) continue;
    // "on call" → `oncall` (a stop word may start the pair).
    if (intent.words[i] + (intent.words[i + 1] ?? "") === kind) return true;
    const w = intent.stems[i]!;
    if (!intent.stop[i] && w.length >= 4 && s.startsWith(w)) return true;
  }
  return false;
}

/** How a candidate fact relates to the question's named entities. */
export interface StructuredCandidate {
  readonly entity: string;
  readonly relation: string;
  /** The fact's entity is one the query names (or a value seed's, see `seed`). */
  readonly named: boolean;
  /**
   * The entity is only the entity of a strong lexical hit ("kafka" → the
   * decision titled "Adopt Kafka …"), not named: its facts answer only for
   * an asked relation, never as context.
   */
  readonly seed?: boolean;
  /**
   * When the entity was reached from a named one over asked-for edges
   * ({@link walkAsked}): the relations of the edges and the entities passed
   * on the way (excluding both ends).
   */
  readonly via?: { readonly relations: readonly string[]; readonly through: readonly string[]; readonly from?: string } | undefined;
  /** The fact's value when it is a reference: the fact is the path's last edge when it points back to the stop before. */
  readonly ref?: string | undefined;
  /** The entity has another asked-for fact beyond the path's own relations (then that one is the answer). */
  readonly beyond?: boolean;
  /**
   * How surely the walk's start is meant (1 for an entity the query names
   * word for word; less through abbreviations, or for the entity of a value
   * hit, "kafka" → the decision titled "Adopt Kafka …"). Scales the match. Default 1.
   */
  readonly weight?: number;
}

/** The structured match an asked relation gives its facts: at least {@link ANSWER_FLOOR}, 1 for an exact match. */
export const ANSWER_FLOOR = 0.8;

/**
 * How well a fact of a relation asked at `score` (≥ ASKED_MIN) answers: any
 * asked relation is an answer, above everything merely mentioning the words,
 * and how surely it is asked only orders the answers.
 */
export function answerScore(score: number): number {
  return ANSWER_FLOOR + ((1 - ANSWER_FLOOR) * (score - ASKED_MIN)) / (1 - ASKED_MIN);
}

/** Structured-match scores (see {@link structuredMatch}); all but `namedOther` are scaled by how strongly the relation is asked. */
export const STRUCTURED = Object.freeze({
  /** A fact of an entity reached over an asked-for edge, with another asked-for relation. */
  hop: 1,
  /** The edge a path took into the entity (`dana rel:maintains billing` for "who maintains billing"). */
  hopLink: 0.9,
  /** The same when the entity has another asked-for fact (the path leads on to that one). */
  hopLinkBeyond: 0.6,
  /** Another fact of a named entity. */
  namedOther: 0.4,
});

/** The subject link of a reified relationship whose kind is asked for ("who is on call" → `oncall/x rel:subject`). */
function subjectAsked(intent: QueryIntent, c: StructuredCandidate): boolean {
  return isSubjectLink(c.relation) && kindAsked(intent, c.entity);
}

/**
 * 0–1: how well a candidate answers the question's structure (named entity,
 * asked-for relation, asked-for path). 0 when the question names no entity.
 *
 * @example
 * structuredMatch(queryIntent("dana location"), { entity: ".../person/dana", relation: "memory:location", named: true }); // 1
 */
export function structuredMatch(intent: QueryIntent, c: StructuredCandidate): number {
  const m = intent.asked(c.relation);
  const asked = m.score >= ASKED_MIN ? answerScore(m.score) : subjectAsked(intent, c) ? 1 : 0;
  const w = c.weight ?? 1;
  if (c.named) {
    if (asked > 0 && !onlyInverse(intent, c.relation)) return w * Math.max(asked, STRUCTURED.namedOther);
    return c.seed === true ? 0 : w * STRUCTURED.namedOther;
  }
  if (c.via === undefined) return 0;
  if (asked === 0) return 0;
  if (!c.via.relations.includes(c.relation)) {
    // Asked only by words the path already took ("look after" for `maintains`, then for `manager`;
    // "maintains" for a `maintainership/…` passed on the way, then for `rel:maintains`): no further step.
    const own = ownWords(intent, c);
    const path = pathWords(intent, c.via);
    return own.size > 0 && [...own].every((i) => path.has(i)) ? 0 : w * STRUCTURED.hop * asked;
  }
  // Another fact of a relation the path already took leads on to a sibling ("the boss of the boss"), not back.
  const previous = c.via.through.length > 0 ? c.via.through[c.via.through.length - 1] : c.via.from;
  if (c.ref !== undefined && previous !== undefined && c.ref !== previous) return 0;
  // "who reports to priya": the edge into the named entity is itself the answer.
  if (c.via.relations.length === 1 && onlyInverse(intent, c.relation)) return w * STRUCTURED.hop * asked;
  return w * asked * (c.beyond === true ? STRUCTURED.hopLinkBeyond : STRUCTURED.hopLink);
}

/** Whether every word asking for `relation` asks for it inversely ("reports to"). */
function onlyInverse(intent: QueryIntent, relation: string): boolean {
  if (intent.inverse.size === 0) return false;
  const ws = askingWords(intent, relation);
  return ws.size > 0 && [...ws].every((i) => intent.inverse.has(i));
}

/** Structured scores lost per asking word a candidate leaves unexplained that another candidate explains. */
export const UNEXPLAINED_WORD_PENALTY = 0.1;
/** Lost when a path's last relation is asked for only by words its edges already used ("where" for both `rel:office` and `memory:address`). */
export const REDUNDANT_STEP_PENALTY = 0.03;

/**
 * The query words a candidate explains: those asking for its relation (or,
 * for the subject of a reified relationship, for its kind) and for the
 * relations of the path that reached it; and whether its own relation is
 * asked for only by words the path already used.
 */
export function explainedWords(intent: QueryIntent, c: StructuredCandidate): { words: Set<number>; redundant: boolean } {
  const own = ownWords(intent, c);
  if (c.via === undefined) return { words: own, redundant: false };
  const path = pathWords(intent, c.via);
  const redundant = !c.via.relations.includes(c.relation) && own.size > 0 && path.size > 0 && [...own].every((i) => path.has(i));
  return { words: new Set([...path, ...own]), redundant };
}

/** The words asking for a candidate's own relation (for the subject of a reified relationship, for its kind too). */
function ownWords(intent: QueryIntent, c: StructuredCandidate): Set<number> {
  const own = askingWords(intent, c.relation);
  if (isSubjectLink(c.relation)) for (const i of kindWords(intent, c.entity)) own.add(i);
  return own;
}

/**
 * The words asking for a path's relations (not those only naming the kind of
 * entity holding one: "decision" of "the decision that affects the ledger"
 * still asks for who made it); a reified relationship passed on the way
 * explains those asking for its kind.
 */
function pathWords(intent: QueryIntent, via: NonNullable<StructuredCandidate["via"]>): Set<number> {
  const path = new Set<number>();
  for (const r of via.relations) if (!isReificationLink(r)) for (const i of relationWordsOf(intent, r)) path.add(i);
  if (via.relations.some(isReificationLink)) for (const t of via.through) for (const i of kindWords(intent, t)) path.add(i);
  return path;
}

/**
 * {@link structuredMatch} for a whole candidate set, with ties between
 * structured answers broken by how much of the question each explains: a
 * candidate explaining fewer asking words than the best one loses
 * {@link UNEXPLAINED_WORD_PENALTY} per word, so that "where is leo's
 * manager based" prefers Priya's location (manager + where + based) over
 * Leo's own (where + based), and a two-hop chain beats its first hop.
 */
export function structuredScores(intent: QueryIntent, cands: readonly StructuredCandidate[]): number[] {
  const base = cands.map((c) => structuredMatch(intent, c));
  const explained = cands.map((c, i) => (base[i]! > STRUCTURED.namedOther * (c.weight ?? 1) ? explainedWords(intent, c) : undefined));
  let most = 0;
  for (const e of explained) if (e !== undefined) most = Math.max(most, e.words.size);
  return base.map((b, i) => {
    const e = explained[i];
    if (e === undefined) return b;
    const s = b - UNEXPLAINED_WORD_PENALTY * (most - e.words.size) - (e.redundant ? REDUNDANT_STEP_PENALTY : 0);
    return Math.max(0, s);
  });
}

/** One edge seen from the entity being expanded (as in graph-walk.ts). */
export interface IntentEdge {
  readonly to: string;
  readonly relation: string;
}

/** An entity reached over asked-for edges only. */
export interface AskedReach {
  readonly hops: number;
  /** Edge relations from the named entity to this one. */
  readonly relations: readonly string[];
  /** Entities passed on the way (both ends excluded). */
  readonly through: readonly string[];
  /** The seed the path starts at. */
  readonly from: string;
  /** Reached over an edge no question word asked for (structure.ts's loose step): counts less. */
  readonly loose?: boolean;
}

/**
 * Breadth-first from the seeds over asked-for edges only: an edge whose
 * relation is asked for, or a reification link (`rel:subject`, `rel:object`)
 * to or from a relationship entity whose kind is asked for
 * (`maintainership/…` for "maintainer"); never the relation of the step
 * before (that leads back out to siblings). Every entity is reached once, at
 * its smallest hop count; frontier and edges in code point order (deterministic).
 *
 * @example
 * // "where does the maintainer of billing sit": billing ← rel:maintains ← dana
 * walkAsked(queryIntent("the maintainer of billing"), [billing], 2, 50, edgesOf); // dana → {hops 1, relations [rel:maintains]}
 */
export function walkAsked(
  intent: QueryIntent,
  seeds: readonly string[],
  depth: number,
  maxEntities: number,
  edgesOf: (entity: string) => readonly IntentEdge[],
): Map<string, AskedReach> {
  const out = new Map<string, AskedReach>();
  for (const s of seeds) out.set(s, { hops: 0, relations: [], through: [], from: s });
  let frontier = [...new Set(seeds)];
  for (let hop = 1; hop <= depth && frontier.length > 0 && out.size < maxEntities; hop++) {
    const next: string[] = [];
    for (const entity of [...frontier].sort()) {
      const here = out.get(entity)!;
      const edges = [...edgesOf(entity)].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : a.relation < b.relation ? -1 : 1));
      for (const e of edges) {
        if (out.has(e.to) || out.size >= maxEntities) continue;
        // The same relation twice in a row leads to siblings (leo → office ← everyone in that office).
        if (here.relations.length > 0 && here.relations[here.relations.length - 1] === e.relation) continue;
        const asked =
          (intent.asked(e.relation).nameScore >= ASKED_MIN && addsWords(intent, here.relations, e.relation)) ||
          (isReificationLink(e.relation) && (kindAsked(intent, entity) || kindAsked(intent, e.to)));
        if (!asked) continue;
        out.set(e.to, {
          hops: hop,
          relations: [...here.relations, e.relation],
          through: here.hops === 0 ? [] : [...here.through, entity],
          from: here.from,
        });
        next.push(e.to);
      }
    }
    frontier = next;
  }
  for (const s of seeds) out.delete(s);
  return out;
}

/**
 * Whether `relation` is asked by a word the path's earlier relations did not
 * use: a step asked only by the same words as the one before leads sideways
 * (someone's site, then every ward located at that site, both "where").
 */
function addsWords(intent: QueryIntent, path: readonly string[], relation: string): boolean {
  if (path.length === 0) return true;
  const used = new Set<number>();
  for (const r of path) for (const i of relationWordsOf(intent, r)) used.add(i);
  return [...askingWords(intent, relation)].some((i) => !used.has(i));
}

/**
 * Whether a fact of `relation` on an entity a path reached leads the path on
 * (it is asked for by a word the path's relations did not use): then the
 * path's own edge is only a step, not the answer.
 */
export function leadsOn(intent: QueryIntent, path: readonly string[], relation: string): boolean {
  return !path.includes(relation) && relationAsked(intent, relation) && addsWords(intent, path, relation);
}

/** The words asking for `relation` itself, without those naming only the kind of entity holding it. */
function relationWordsOf(intent: QueryIntent, relation: string): Set<number> {
  const words = askingWords(intent, relation);
  const kinds = intent.asked(relation).kindWords;
  if (kinds !== undefined) for (const i of kinds) words.delete(i);
  return words;
}

const SUBJECT_WORDS: ReadonlySet<string> = new Set(["subject"]);
const REIFICATION_WORDS: ReadonlySet<string> = new Set(["subject", "object"]);

const LOCAL_WORDS = new Map<string, readonly string[]>();

function localWords(relation: string): readonly string[] {
  let w = LOCAL_WORDS.get(relation);
  if (w === undefined) {
    if (LOCAL_WORDS.size >= 16_384) LOCAL_WORDS.clear();
    const colon = relation.lastIndexOf(":");
    w = textWords(colon >= 0 ? relation.slice(colon + 1) : relation);
    LOCAL_WORDS.set(relation, w);
  }
  return w;
}

function isSubjectLink(relation: string): boolean {
  return localWords(relation).some((w) => SUBJECT_WORDS.has(w));
}

function isReificationLink(relation: string): boolean {
  return localWords(relation).some((w) => REIFICATION_WORDS.has(w));
}
