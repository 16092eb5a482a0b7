/**
 * @module core/recall/query-intent
 *
 * What a recall question is about, beyond its bare words (protocol.md §9,
 * stage 2, "query understanding"): which stored entities it names, and which
 * relations its words ask for. Pure: the caller supplies the entities to
 * resolve against.
 *
 * - **Relation cues:** every query word is reduced to a crude stem
 *   ({@link stem}) and expanded through {@link RELATION_SYNONYMS}, a small
 *   English map from everyday words to the words relation names are made of
 *   (`boss` → `manager`, `based` → `location`). A relation such as
 *   `rel:maintains` or `memory:start_date` is *asked for* when one of its
 *   name words (prefix dropped, split on `_`, stemmed, link words like `by`
 *   left out) is among the cues. Adjacent words are also joined
 *   (`time zone` → `timezone`, `on call` → `oncall`).
 * - **Entity resolution:** an entity is *named* when every word of its last
 *   path segment (`stigmem://acme/service/search-api` → `search`, `api`)
 *   occurs among the query words; when one named entity's words contain
 *   another's (`search-api` ⊃ `search`), only the longer name counts.
 * - **Structured match** ({@link structuredMatch}): 1 for a fact of a named
 *   entity whose relation is asked for; a fact reached over a graph edge
 *   whose relation (or the kind of the entity it passes through, such as
 *   `maintainership/…`) is asked for, and whose own relation is asked for
 *   too, is a multi-hop answer; a named entity's other facts are context.
 *   {@link structuredScores} breaks ties by how many of the query's asking
 *   words a candidate (with its path) explains.
 */

/**
 * Everyday words → the relation-name words they ask for (both are compared
 * as stems, {@link stem}; a word always asks for its own stem too, so
 * `maintainer` needs no entry). Changing the map changes rankings.
 */
export const RELATION_SYNONYMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // where someone is
  where: ["location", "office", "address"],
  based: ["location", "office"],
  base: ["location", "office"],
  sit: ["location", "office"],
  city: ["location"],
  located: ["location", "office"],
  office: ["location", "office"],
  work: ["location", "office"],
  // who manages whom
  boss: ["manager"],
  report: ["manager"],
  manage: ["manager"],
  manages: ["manager"],
  supervisor: ["manager"],
  // what someone does
  title: ["role", "title"],
  job: ["role"],
  position: ["role"],
  pm: ["role"],
  // contact
  mail: ["email"],
  reach: ["email"],
  contact: ["email"],
  // time
  when: ["date", "deadline", "start"],
  due: ["deadline"],
  join: ["start"],
  hired: ["start"],
  // state
  schedule: ["status"],
  blocked: ["status"],
  done: ["status"],
  progress: ["status"],
  risk: ["status"],
  // leadership and ownership
  heads: ["lead"],
  led: ["lead"],
  leader: ["lead"],
  charge: ["lead"],
  looks: ["maintains"],
  after: ["maintains"],
  responsible: ["maintains", "owned"],
  belong: ["member"],
  group: ["member"],
  squad: ["member"],
  team: ["member", "owned"],
  // decisions and reasons
  why: ["rationale"],
  reason: ["rationale"],
  reasoning: ["rationale"],
  decision: ["decided", "title"],
  chose: ["decided", "rationale"],
  choose: ["decided", "rationale"],
  pick: ["decided", "rationale"],
  // money and size
  money: ["budget"],
  allocated: ["budget"],
  cost: ["budget"],
  people: ["headcount"],
  many: ["headcount", "capacity"],
  // other attributes
  purpose: ["mission", "goal", "description"],
  // "what does the ledger do"
  do: ["description"],
  achieve: ["goal"],
  aim: ["goal"],
  programming: ["language"],
  written: ["language"],
  rely: ["trust"],
  good: ["skills"],
  critical: ["tier", "criticality"],
  paged: ["subject", "oncall"],
  call: ["subject", "oncall"],
  slack: ["channel"],
});

/** Relation-name words that carry no meaning of their own. */
const LINK_WORDS: ReadonlySet<string> = new Set(["by", "of", "to", "on", "at", "in", "for", "is", "has", "eur", "v"]);

const SUFFIXES = ["ions", "ion", "ers", "er", "ings", "ing", "ies", "ied", "es", "ed", "s", "e", "y"];

/**
 * A crude English stem: lowercase, one common suffix stripped when at least
 * three letters remain (`maintainer`, `maintains` → `maintain`; `located`,
 * `location` → `locat`).
 *
 * @example
 * stem("maintainers"); // "maintain"
 * stem("location"); // "locat"
 */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const s of SUFFIXES) {
    if (w.length - s.length >= 3 && w.endsWith(s)) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/** The stemmed name words of a relation (`rel:owned_by` → `own`; `memory:start_date` → `start`, `dat`; `memory:decided_at` → `decid`, `dat`). */
export function relationWords(relation: string): string[] {
  const colon = relation.lastIndexOf(":");
  const name = colon >= 0 ? relation.slice(colon + 1) : relation;
  const out: string[] = [];
  const parts = name.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  // `decided_at`, `created_at`: a point in time, asked for by "when".
  if (parts.length > 1 && parts[parts.length - 1] === "at") parts.push("date");
  for (const w of parts) {
    if (w.length === 0 || LINK_WORDS.has(w)) continue;
    const s = stem(w);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** The name words of an entity URI: its last path segment split on punctuation (`…/service/search-api` → `search`, `api`). */
export function entityNameWords(uri: string): string[] {
  const trimmed = uri.replace(/[/#?]+$/u, "");
  const cut = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf(":"));
  const last = trimmed.slice(cut + 1).toLowerCase();
  return last.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The kind of an entity URI: the path segment before its last one (`…/person/dana` → `person`), or "". */
export function entityKind(uri: string): string {
  const parts = uri.replace(/[/#?]+$/u, "").split("/");
  return parts.length >= 2 ? parts[parts.length - 2]!.toLowerCase() : "";
}

/** What a question asks about. */
export interface QueryIntent {
  /** The query's words, lowercase, in order (stop words included). */
  readonly words: readonly string[];
  /** Stems a relation name word must be among to be asked for. */
  readonly cues: ReadonlySet<string>;
  /** cue → the indices of the query words that ask for it (a joined pair counts for both words). */
  readonly sources: ReadonlyMap<string, ReadonlySet<number>>;
  /**
   * Indices of words that ask for a relation the other way round: "who
   * reports to priya" asks for facts `X rel:manager priya`, not for priya's
   * own manager.
   */
  readonly inverse: ReadonlySet<number>;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** {@link RELATION_SYNONYMS} with keys and values stemmed. */
const SYNONYM_STEMS: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [k, vs] of Object.entries(RELATION_SYNONYMS)) {
    const key = stem(k);
    m.set(key, [...new Set([...(m.get(key) ?? []), ...vs.map(stem)])]);
  }
  return m;
})();

/** Words that, followed by "to" and something more, ask for the relation inversely ("who reports to priya"). */
const INVERSE_BEFORE_TO: ReadonlySet<string> = new Set(["report"]);

/**
 * @example
 * relationAsked(queryIntent("where is dana based"), "memory:location"); // true
 */
export function queryIntent(query: string): QueryIntent {
  const words = query.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  return intentOf(words, new Set());
}

function intentOf(words: readonly string[], skip: ReadonlySet<number>): QueryIntent {
  const sources = new Map<string, Set<number>>();
  const put = (cue: string, idx: readonly number[]): void => {
    let set = sources.get(cue);
    if (set === undefined) sources.set(cue, (set = new Set()));
    for (const i of idx) set.add(i);
  };
  const add = (w: string, idx: readonly number[]): void => {
    const s = stem(w);
    put(s, idx);
    for (const x of SYNONYM_STEMS.get(s) ?? []) put(x, idx);
  };
  const inverse = new Set<number>();
  words.forEach((w, i) => {
    if (skip.has(i)) return;
    add(w, [i]);
    if (i + 1 < words.length && !skip.has(i + 1)) add(w + words[i + 1]!, [i, i + 1]);
    if (INVERSE_BEFORE_TO.has(stem(w)) && words[i + 1] === "to" && i + 2 < words.length) inverse.add(i);
  });
  return { words, cues: new Set(sources.keys()), sources, inverse };
}

/**
 * The intent without the words at `indices` (they name something rather
 * than ask for a relation: "team" in "the lead of the infra team").
 */
export function withoutWords(intent: QueryIntent, indices: ReadonlySet<number>): QueryIntent {
  if (indices.size === 0) return intent;
  return intentOf(intent.words, indices);
}

/**
 * Indices of query words that spell the kind of a named entity next to its
 * name, or one word further ("infra team" for `team/infra`, "data platform
 * team" for `team/data`, "project orion"): part of the name,
 * not a question about team membership.
 */
export function kindWordsOfNamed(intent: QueryIntent, named: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const e of named) {
    const kind = stem(entityKind(e));
    if (kind.length === 0) continue;
    const name = new Set(entityNameWords(e));
    intent.words.forEach((w, i) => {
      const s = stem(w);
      if (s !== kind && KIND_SYNONYMS.get(s) !== kind) return;
      // "infra team", "data platform team", "project orion".
      const near = [intent.words[i - 1], intent.words[i - 2], intent.words[i + 1]].some((x) => x !== undefined && name.has(x));
      if (near) out.add(i);
    });
  }
  return out;
}

/** Everyday words for entity kinds (stems): "the web squad" is `team/web`. */
const KIND_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ["squad", "team"],
  ["group", "team"],
]);

/** Indices of the query words that ask for `relation` (empty when it is not asked for). */
export function askingWords(intent: QueryIntent, relation: string): Set<number> {
  const out = new Set<number>();
  for (const w of relationWords(relation)) for (const i of intent.sources.get(w) ?? []) out.add(i);
  return out;
}

/** Indices of the query words that ask for the kind of `uri` (see {@link kindAsked}). */
export function kindWords(intent: QueryIntent, uri: string): Set<number> {
  const out = new Set<number>();
  const kind = entityKind(uri);
  if (kind.length === 0) return out;
  const s = stem(kind);
  for (const [c, idx] of intent.sources) {
    if (c === s || (c.length >= 4 && s.startsWith(c))) for (const i of idx) out.add(i);
  }
  return out;
}

/** Whether the question asks for `relation` (one of its name words is a cue). */
export function relationAsked(intent: QueryIntent, relation: string): boolean {
  return relationWords(relation).some((w) => intent.cues.has(w));
}

/** Whether an entity's kind is asked for (`maintainership` for "maintainer", `oncall` for "on call"). */
export function kindAsked(intent: QueryIntent, uri: string): boolean {
  const kind = entityKind(uri);
  if (kind.length === 0) return false;
  const s = stem(kind);
  if (intent.cues.has(s)) return true;
  // `maintainership` → `maintain…`: a cue that starts the kind name.
  for (const c of intent.cues) if (c.length >= 4 && s.startsWith(c)) return true;
  return false;
}

/**
 * The entities among `candidates` that the question names (see the module
 * comment): all their name words occur in the query, and no other named
 * entity's words strictly contain theirs. Order of `candidates` is kept.
 *
 * @example
 * resolveEntities(queryIntent("who maintains the search api"), [".../team/search", ".../service/search-api"]);
 * // [".../service/search-api"]
 */
export function resolveEntities(
  intent: QueryIntent,
  candidates: readonly string[],
  names: ReadonlyMap<string, readonly string[]> = new Map(),
): string[] {
  const present = new Set(intent.words);
  const named: { e: string; words: string[] }[] = [];
  for (const e of new Set(candidates)) {
    // The longest spelling of the entity that the query contains: its URI's last segment or one of its names.
    let best: string[] | undefined;
    for (const words of [entityNameWords(e), ...(names.get(e) ?? []).map(nameWords)]) {
      if (words.length === 0 || !words.every((w) => present.has(w))) continue;
      if (best === undefined || words.length > best.length) best = words;
    }
    if (best !== undefined) named.push({ e, words: best });
  }
  return named
    .filter((x) => !named.some((y) => y.words.length > x.words.length && x.words.every((w) => y.words.includes(w))))
    .map((x) => x.e);
}

/** The words of a display name (`memory:name`): lowercase letters and digits. */
export function nameWords(name: string): string[] {
  return [...new Set(name.normalize("NFKC").toLowerCase().match(WORD) ?? [])];
}

/** How a candidate fact relates to the question's named entities. */
export interface StructuredCandidate {
  readonly entity: string;
  readonly relation: string;
  /** The fact's entity is one the query names. */
  readonly named: boolean;
  /**
   * When the entity was reached from a named one over asked-for edges
   * ({@link walkAsked}): the relations of the edges and the entities passed
   * on the way (excluding both ends).
   */
  readonly via?: { readonly relations: readonly string[]; readonly through: readonly string[] } | undefined;
  /** The entity has another asked-for fact beyond the path's own relations (then that one is the answer). */
  readonly beyond?: boolean;
  /**
   * How surely the walk's start is meant (1 for an entity the query names;
   * less for the entity of a value hit, "kafka" → the decision titled
   * "Adopt Kafka …"). Scales the match. Default 1.
   */
  readonly weight?: number;
}

/** Structured-match scores (see {@link structuredMatch}). */
export const STRUCTURED = Object.freeze({
  /** A named entity's fact whose relation is asked for. */
  direct: 1,
  /** A fact of an entity reached over an asked-for edge, with an asked-for relation. */
  hop: 1,
  /** A fact of an entity reached over an asked-for edge, whose relation is that edge's (`rel:maintains` for "who maintains"). */
  hopLink: 0.9,
  /** The same when the entity has another asked-for fact (the path leads on to that one). */
  hopLinkBeyond: 0.6,
  /** Another fact of a named entity. */
  namedOther: 0.4,
});

/**
 * 0–1: how well a candidate answers the question's structure (named entity,
 * asked-for relation, asked-for path). 0 when the question names no entity.
 *
 * @example
 * structuredMatch(queryIntent("dana location"), { entity: ".../person/dana", relation: "memory:location", named: true }); // 1
 */
export function structuredMatch(intent: QueryIntent, c: StructuredCandidate): number {
  // The subject of a reified relationship whose kind is asked for ("who is on call" → `oncall/x rel:subject`).
  const asked = relationAsked(intent, c.relation) || (relationWords(c.relation).includes("subject") && kindAsked(intent, c.entity));
  const w = c.weight ?? 1;
  if (c.named) return w * (asked && !onlyInverse(intent, c.relation) ? STRUCTURED.direct : STRUCTURED.namedOther);
  if (c.via === undefined) return 0;
  if (!asked) return 0;
  if (!c.via.relations.includes(c.relation)) return w * STRUCTURED.hop;
  // "who reports to priya": the edge into the named entity is itself the answer.
  if (c.via.relations.length === 1 && onlyInverse(intent, c.relation)) return w * STRUCTURED.hop;
  return w * (c.beyond === true ? STRUCTURED.hopLinkBeyond : STRUCTURED.hopLink);
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
  const own = askingWords(intent, c.relation);
  if (relationWords(c.relation).includes("subject")) for (const i of kindWords(intent, c.entity)) own.add(i);
  if (c.via === undefined) return { words: own, redundant: false };
  const path = new Set<number>();
  for (const r of c.via.relations) if (!isReificationLink(r)) for (const i of askingWords(intent, r)) path.add(i);
  // A reified relationship passed on the way explains the words asking for its kind.
  if (c.via.relations.some(isReificationLink)) for (const t of c.via.through) for (const i of kindWords(intent, t)) path.add(i);
  const redundant = !c.via.relations.includes(c.relation) && own.size > 0 && path.size > 0 && [...own].every((i) => path.has(i));
  return { words: new Set([...path, ...own]), redundant };
}

/**
 * {@link structuredMatch} for a whole candidate set, with ties between
 * structured answers broken by how much of the question each explains: a
 * candidate explaining fewer asking words than the best one loses
 * {@link UNEXPLAINED_WORD_PENALTY} per word, so that "where is leo's
 * manager based" prefers Priya's location (manager + where + based) over
 * Leo's own (where + based), and a two-hop chain beats its first hop.
 *
 * @example
 * const i = queryIntent("where is leo's manager based");
 * structuredScores(i, [
 *   { entity: leo, relation: "memory:location", named: true },
 *   { entity: priya, relation: "memory:location", named: false, via: { relations: ["rel:manager"], through: [] } },
 * ]); // [0.9, 1]
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
}

/**
 * Breadth-first from the named entities over asked-for edges only: an edge
 * whose relation is asked for, or a reification link (`rel:subject`,
 * `rel:object`) to or from a relationship entity whose kind is asked for
 * (`maintainership/…` for "maintainer"); never the relation of the step
 * before (that leads back out to siblings). Every entity is reached once, at its
 * smallest hop count; frontier and edges in code point order (deterministic).
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
          relationAsked(intent, e.relation) ||
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

function isReificationLink(relation: string): boolean {
  const w = relationWords(relation);
  return w.includes("subject") || w.includes("object");
}
