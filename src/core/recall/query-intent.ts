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

/** The stemmed name words of a relation (`rel:owned_by` → `own`; `memory:start_date` → `start`, `dat`). */
export function relationWords(relation: string): string[] {
  const colon = relation.lastIndexOf(":");
  const name = colon >= 0 ? relation.slice(colon + 1) : relation;
  const out: string[] = [];
  for (const w of name.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
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

/**
 * @example
 * relationAsked(queryIntent("where is dana based"), "memory:location"); // true
 */
export function queryIntent(query: string): QueryIntent {
  const words = query.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  const cues = new Set<string>();
  const add = (w: string): void => {
    const s = stem(w);
    cues.add(s);
    for (const x of SYNONYM_STEMS.get(s) ?? []) cues.add(x);
  };
  words.forEach((w, i) => {
    add(w);
    if (i + 1 < words.length) add(w + words[i + 1]!);
  });
  return { words, cues };
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
export function resolveEntities(intent: QueryIntent, candidates: readonly string[]): string[] {
  const present = new Set(intent.words);
  const named = [...new Set(candidates)]
    .map((e) => ({ e, words: entityNameWords(e) }))
    .filter((x) => x.words.length > 0 && x.words.every((w) => present.has(w)));
  return named
    .filter((x) => !named.some((y) => y.words.length > x.words.length && x.words.every((w) => y.words.includes(w))))
    .map((x) => x.e);
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
  if (c.named) return asked ? STRUCTURED.direct : STRUCTURED.namedOther;
  if (c.via === undefined) return 0;
  if (!asked) return 0;
  if (!c.via.relations.includes(c.relation)) return STRUCTURED.hop;
  return c.beyond === true ? STRUCTURED.hopLinkBeyond : STRUCTURED.hopLink;
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
}

/**
 * Breadth-first from the named entities over asked-for edges only: an edge
 * whose relation is asked for, or a reification link (`rel:subject`,
 * `rel:object`) to or from a relationship entity whose kind is asked for
 * (`maintainership/…` for "maintainer"). Every entity is reached once, at its
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
  for (const s of seeds) out.set(s, { hops: 0, relations: [], through: [] });
  let frontier = [...new Set(seeds)];
  for (let hop = 1; hop <= depth && frontier.length > 0 && out.size < maxEntities; hop++) {
    const next: string[] = [];
    for (const entity of [...frontier].sort()) {
      const here = out.get(entity)!;
      const edges = [...edgesOf(entity)].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : a.relation < b.relation ? -1 : 1));
      for (const e of edges) {
        if (out.has(e.to) || out.size >= maxEntities) continue;
        const asked =
          relationAsked(intent, e.relation) ||
          (isReificationLink(e.relation) && (kindAsked(intent, entity) || kindAsked(intent, e.to)));
        if (!asked) continue;
        out.set(e.to, {
          hops: hop,
          relations: [...here.relations, e.relation],
          through: here.hops === 0 ? [] : [...here.through, entity],
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
