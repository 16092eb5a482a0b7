/**
 * @module core/recall/relation-match
 *
 * How strongly a question asks for a relation (protocol.md §9, query
 * understanding), learned from the store rather than hand-written: the
 * relation's name is split into words (`contract:renewal_date` → renewal,
 * date; `languagesSpoken` → languages, spoken; the namespace `contract`
 * apart) and each word is met by the question's words through, in order of
 * strength:
 *
 * 1. the same word, stem, or an adjacent pair joined ("on call" → `oncall`);
 * 2. an abbreviation (`ext` for "extension", `rto` for "recovery time
 *    objective", core/recall/abbreviation.ts);
 * 3. the generic lexicon (core/recall/data/relation-lexicon.ts: "boss" and
 *    `manager`);
 * 4. the embedder's similarity of the two words, when the caller has one.
 *
 * What the store holds under the relation adds evidence
 * ({@link RelationProfile}): a value question ("when" → relations holding
 * times, "how many" → numbers, "where" → references to places), the words
 * most of its values share ("bleep" for `contact:pager` = "Bleep 4410"),
 * and the kinds of entity holding it ("changes" for `chg/…`, which makes
 * `chg:status` the state of a change rather than of an incident).
 *
 * The score is `best · (0.7 + 0.3 · mean)` over the relation's own words
 * (its last word may be met by a value question), then raised by a quarter
 * of the way to 1 by kind evidence.
 */
import { abbreviates, initialismAt } from "./abbreviation.js";
import { HOW_QUESTIONS, LEXICON_SIMILARITY, LINK_WORDS, PLACE_KINDS, RELATION_LEXICON, VALUE_QUESTIONS, type ValueKind } from "./data/relation-lexicon.js";
import { identifierWords, stem } from "./words.js";

/** What the store holds under one relation (in one scope), from a sample of its facts. */
export interface RelationProfile {
  /** Kinds of the entities holding it → share of the sample (`chg` → 1). */
  readonly kinds: ReadonlyMap<string, number>;
  /** Share of its values that are times (datetimes, ISO dates). */
  readonly timeShare: number;
  /** Share of its values that are numbers. */
  readonly numberShare: number;
  /** Kinds its references point to → share of the sample. */
  readonly refKinds: ReadonlyMap<string, number>;
  /** Share of its values that are durations ("4 hours", "15 min"). */
  readonly durationShare?: number;
  /** Share of its values that are levels ("P1 – life-critical", "SEV2", "tier-1", "high"). */
  readonly levelShare?: number;
  /** Words the names of what it references commonly hold ("hospital" for references to sites named "… Hospital"). */
  readonly refNameWords?: readonly string[];
  /** Words most of its values share ("bleep" in "Bleep 4410"). */
  readonly valueWords: readonly string[];
}

/** The embedder's similarity of two words in [0, 1], or undefined when it cannot tell. */
export type WordSimilarity = (questionWord: string, relationWord: string) => number | undefined;

/** How a question asks for one relation. */
export interface RelationMatch {
  /** 0–1; 0 when not asked. */
  readonly score: number;
  /**
   * The same from the relation's name alone (no value-type, typical-value or
   * reference-kind evidence): what a walk over an edge of the relation needs,
   * since what the question wants as its answer ("which team") says nothing
   * about the way there.
   */
  readonly nameScore: number;
  /** Indices of the question words that ask for it (its name, and what it holds). */
  readonly words: ReadonlySet<number>;
  /** Of them, the words naming the kind of entity holding it or its namespace ("changes" for `chg:status`). */
  readonly kindWords?: ReadonlySet<number>;
}

/** The question as the matcher sees it. */
export interface QuestionWords {
  /** Lowercase words in order, stop words included. */
  readonly words: readonly string[];
  /** Whether each word is a stop word. */
  readonly stop: readonly boolean[];
  /** Words that name something (entities, their kinds) rather than ask: never matched to relation names. */
  readonly skip: ReadonlySet<number>;
  /**
   * Of the skipped words, those that spell a named entity's kind ("the lisbon
   * office"): they still ask for relations whose references point to
   * entities of that kind (`rel:office`), as any word naming a kind does.
   */
  readonly kindWords?: ReadonlySet<number>;
}

const VALUE_KINDS: readonly ValueKind[] = ["time", "quantity", "place", "duration", "level"];

/** Below this a relation is not asked for. */
export const ASKED_MIN = 0.6;
/** Embedder similarities below this say nothing. */
export const EMBED_MIN = 0.45;
/** An embedder similarity counts at most this much (less than the lexicon: the vectors are noisy). */
const EMBED_MAX = 0.75;
const SAME = 1;
const ABBREVIATED = 0.9;
/**
 * A relation word that contracts a question word (`svc` of "service"): less
 * sure than a prefix, and than the lexicon, since short contractions fit
 * unrelated words too (`ext` fits "expert" as well as "extension").
 */
const CONTRACTED = 0.78;
/** A value question or a typical value word meeting a relation. */
const VALUE_EVIDENCE = 0.8;
/** Share of a relation's sample that makes it hold times, numbers or places. */
const VALUE_SHARE = 0.6;
/** Kinds holding at least this share of a relation's sample tell what it is about. */
const KIND_SHARE = 0.25;
/** Kind evidence raises a match this share of the way to 1. */
const KIND_LIFT = 0.25;

const NO_MATCH: RelationMatch = Object.freeze({ score: 0, nameScore: 0, words: new Set<number>() });
/** A question word meeting a relation word at least this well is one of the words asking for it. */
const WORD_MIN = 0.6;
const LINKS: ReadonlySet<string> = new Set(LINK_WORDS);
const PLACES: ReadonlySet<string> = new Set(PLACE_KINDS.map(stem));

/** Lexicon group names of each stem (of each stem pair, for two-word entries: "look after" → "look after"). */
const GROUPS: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [group, ws] of Object.entries(RELATION_LEXICON)) {
    for (const w of ws) {
      const s = w.split(" ").map(stem).join(" ");
      const gs = m.get(s) ?? [];
      if (!gs.includes(group)) gs.push(group);
      m.set(s, gs);
    }
  }
  return m;
})();

/** Letters a lexicon word must have beyond a relation word for the relation word to abbreviate it. */
const EXPANSION_MIN_GAIN = 4;
/** Single lexicon words, for abbreviated relation words (`ext` → extension). */
const LEXICON_WORDS: readonly string[] = Object.values(RELATION_LEXICON).flatMap((ws) => ws.filter((w) => !w.includes(" ")));
/** Groups of relation-name words that are no lexicon word but abbreviate one, as found. */
const ABBREVIATED_GROUPS = new Map<string, readonly string[]>();

/** The lexicon groups of a stem, or those of the words it abbreviates (`ext` → contact). */
function groupsOf(s: string): readonly string[] | undefined {
  const direct = GROUPS.get(s);
  if (direct !== undefined || s.length < 3 || s.includes(" ")) return direct;
  let found = ABBREVIATED_GROUPS.get(s);
  if (found === undefined) {
    const gs = new Set<string>();
    // Prefixes only, and of words much longer: a contraction fits too many words (`ext` fits "expert"
    // as well as "extension"), and a short word is often a word of its own (`repo` is no "report").
    for (const w of LEXICON_WORDS) {
      if (w.length >= s.length + EXPANSION_MIN_GAIN && abbreviates(s, w) === "prefix") for (const g of GROUPS.get(stem(w)) ?? []) gs.add(g);
    }
    found = [...gs];
    if (ABBREVIATED_GROUPS.size < 4096) ABBREVIATED_GROUPS.set(s, found);
  }
  return found.length > 0 ? found : undefined;
}

/** Whether most of a relation's values are of the kind a value question asks for. */
function holds(p: RelationProfile, kind: ValueKind): boolean {
  switch (kind) {
    case "time":
      return p.timeShare >= VALUE_SHARE;
    case "quantity":
      return p.numberShare >= VALUE_SHARE;
    case "duration":
      return (p.durationShare ?? 0) >= VALUE_SHARE;
    case "level":
      return (p.levelShare ?? 0) >= VALUE_SHARE;
    case "place":
      return [...p.refKinds].some(([k, share]) => share >= VALUE_SHARE && PLACES.has(stem(k)));
  }
}

/** `best · (0.7 + 0.3 · mean)` over a relation's word hits (0 when none hits). */
function combine(hits: readonly WordHit[]): number {
  let best = 0;
  let sum = 0;
  for (const h of hits) {
    best = Math.max(best, h.strength);
    sum += h.strength;
  }
  return best === 0 ? 0 : best * (0.7 + (0.3 * sum) / hits.length);
}

function shares(a: readonly string[], b: readonly string[]): boolean {
  for (const g of a) if (b.includes(g)) return true;
  return false;
}

/** Whether two stems share a lexicon group (the second may abbreviate a lexicon word, `ext`). */
export function lexiconPair(a: string, b: string): boolean {
  const ga = GROUPS.get(a);
  if (ga === undefined) return false;
  const gb = groupsOf(b);
  return gb !== undefined && ga.some((g) => gb.includes(g));
}

/** The words of a relation's name: its local part's meaningful words, and its namespace's. */
export interface RelationName {
  /** Local words without link words (all of them when nothing else is left). */
  readonly words: readonly string[];
  /** Adjacent local words joined (`time_zone` → `timezone`). */
  readonly joined: readonly string[];
  readonly namespace: readonly string[];
}

/**
 * @example
 * relationName("contract:renewal_date"); // { words: ["renewal", "date"], joined: ["renewaldate"], namespace: ["contract"] }
 * relationName("has-oncall"); // { words: ["oncall"], joined: [], namespace: [] }
 */
export function relationName(relation: string): RelationName {
  let n = NAMES.get(relation);
  if (n === undefined) {
    if (NAMES.size >= 16_384) NAMES.clear();
    n = relationNameOf(relation);
    NAMES.set(relation, n);
  }
  return n;
}

/** Relation names already split (the store's few hundred recur in every question). */
const NAMES = new Map<string, RelationName>();

function relationNameOf(relation: string): RelationName {
  const colon = relation.lastIndexOf(":");
  const local = identifierWords(colon >= 0 ? relation.slice(colon + 1) : relation);
  const meaningful = local.filter((w) => !LINKS.has(w));
  const words = meaningful.length > 0 ? meaningful : local;
  const joined: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) joined.push(words[i]! + words[i + 1]!);
  return { words, joined, namespace: colon >= 0 ? identifierWords(relation.slice(0, colon)) : [] };
}

/**
 * The relations of a scope by what can make a question ask for them: their
 * name words, their value types, their typical value words and the kinds
 * they reference. A question then matches only the relations one of its
 * words can reach ({@link RelationMatcher.candidates}), not all of them.
 */
export class RelationIndex {
  /** Name word (and joined pair) → relations. */
  readonly byWord = new Map<string, string[]>();
  /** Value kind → relations holding mostly values of that kind. */
  readonly byValueKind = new Map<ValueKind, string[]>();
  /** Typical value word → relations. */
  readonly byValueWord = new Map<string, string[]>();
  /** Referenced kind → relations. */
  readonly byRefKind = new Map<string, string[]>();

  constructor(
    readonly relations: readonly string[],
    profileOf: (relation: string) => RelationProfile | undefined,
  ) {
    const add = (m: Map<string, string[]>, k: string, r: string): void => {
      const rs = m.get(k);
      if (rs === undefined) m.set(k, [r]);
      else if (rs[rs.length - 1] !== r) rs.push(r);
    };
    for (const r of relations) {
      const n = relationName(r);
      for (const w of [...n.words, ...n.joined]) add(this.byWord, w, r);
      const p = profileOf(r);
      if (p === undefined) continue;
      for (const kind of VALUE_KINDS) if (holds(p, kind)) add(this.byValueKind, kind, r);
      for (const [k, share] of p.refKinds) if (share >= VALUE_SHARE) add(this.byRefKind, k, r);
      for (const w of p.valueWords) add(this.byValueWord, w, r);
      for (const w of p.refNameWords ?? []) add(this.byValueWord, w, r);
    }
  }
}

/** A word's best counterpart among the question's words. */
interface WordHit {
  readonly strength: number;
  readonly at: readonly number[];
  /** Other question words meeting it at least {@link WORD_MIN}. */
  readonly also?: readonly number[];
}

/**
 * Matches relations against one question; results are kept per relation.
 *
 * @example
 * const m = new RelationMatcher(question("who is dana's boss"), () => undefined);
 * m.match("rel:manager").score; // 0.75 (lexicon)
 */
export class RelationMatcher {
  private readonly stems: readonly string[];
  private readonly known = new Map<string, RelationMatch>();
  /** Value questions the question asks, with the index of the word asking. */
  private readonly valueQuestions: { kind: ValueKind; at: number }[] = [];
  /** Indices of the words that may ask for a relation. */
  private readonly asking: readonly number[];
  /** Adjacent pairs of words that may be joined ("on call" → `oncall`), as [joined, i]. */
  private readonly pairs: readonly (readonly [string, number])[];
  /** Relation word → its hit (the same words recur across the store's relations). */
  private readonly hits = new Map<string, WordHit>();
  /** Lexicon groups of each question word's stem (undefined: none). */
  private readonly groups: readonly (readonly string[] | undefined)[];
  /** Adjacent word pairs that are a two-word lexicon entry, with their groups. */
  private readonly lexiconPairs: readonly (readonly [readonly string[], number])[];
  /** Kind (and words left out) → the question word naming it. */
  private readonly kinds = new Map<string, WordHit>();
  /** See {@link notNamingKind}. */
  private notNamingKinds: ReadonlySet<number> | undefined;

  constructor(
    private readonly q: QuestionWords,
    private readonly profileOf: (relation: string) => RelationProfile | undefined,
    private readonly similarity?: WordSimilarity,
  ) {
    this.stems = q.words.map(stem);
    // Stop words ask too when the lexicon knows them ("where", "when", "why"); "do" only last ("what does it do").
    const last = q.words.length - 1;
    this.asking = q.words
      .map((_, i) => i)
      .filter((i) => !q.skip.has(i) && (!q.stop[i] || (GROUPS.has(this.stems[i]!) && (q.words[i] !== "do" || i === last))));
    const pairs: [string, number][] = [];
    for (let i = 0; i + 1 < q.words.length; i++) {
      if (!q.skip.has(i) && !q.skip.has(i + 1) && !(q.stop[i] && q.stop[i + 1])) pairs.push([q.words[i]! + q.words[i + 1]!, i]);
    }
    this.pairs = pairs;
    this.groups = this.stems.map((x) => GROUPS.get(x));
    this.lexiconPairs = pairs.flatMap(([, i]) => {
      const g = GROUPS.get(`${this.stems[i]} ${this.stems[i + 1]}`);
      return g === undefined ? [] : [[g, i] as const];
    });
    q.words.forEach((w, i) => {
      if (q.skip.has(i)) return;
      const kind = VALUE_QUESTIONS[w] ?? (w === "how" ? HOW_QUESTIONS[q.words[i + 1] ?? ""] : undefined);
      if (kind !== undefined) this.valueQuestions.push({ kind, at: i });
    });
  }

  /**
   * The relations of `index` this question may ask for: those one of its
   * words reaches (a name word, a value question, a typical value word, a
   * referenced kind); every other relation's match is 0.
   */
  candidates(index: RelationIndex): string[] {
    const out = new Set<string>();
    const addAll = (rs: readonly string[] | undefined): void => {
      for (const r of rs ?? []) out.add(r);
    };
    for (const [w, rs] of index.byWord) if (this.wordHit(w).strength > 0) addAll(rs);
    for (const v of this.valueQuestions) addAll(index.byValueKind.get(v.kind));
    for (const i of this.asking) {
      addAll(index.byValueWord.get(this.q.words[i]!));
      addAll(index.byValueWord.get(this.stems[i]!));
    }
    for (const [k, rs] of index.byRefKind) if (this.kindHitOf(k, this.notNamingKind(), "ref").strength > 0) addAll(rs);
    return [...out];
  }

  /** How the question asks for `relation`. */
  match(relation: string): RelationMatch {
    let m = this.known.get(relation);
    if (m === undefined) {
      m = this.compute(relation);
      this.known.set(relation, m);
    }
    return m;
  }

  private compute(relation: string): RelationMatch {
    const name = relationName(relation);
    const profile = this.profileOf(relation);
    const hits = name.words.map((w) => this.wordHit(w));
    // Joined pairs stand for both their words.
    name.joined.forEach((j, k) => {
      const h = this.wordHit(j, false);
      if (h.strength > Math.min(hits[k]!.strength, hits[k + 1]!.strength)) hits[k] = hits[k + 1] = h;
    });
    const nameScore = combine(hits);
    // What the relation holds may stand for its last (head) word: "when" for `renewal_date`'s
    // date, "bleep" for `pager` (whose values read "Bleep 4410").
    // Such evidence explains its question words even where the name explains the head better.
    const held: number[] = [];
    if (profile !== undefined) {
      const head = hits.length - 1;
      for (const v of [this.valueHit(profile), this.typicalValueHit(profile), this.refKindHit(profile)]) {
        if (v === undefined) continue;
        if (v.strength >= WORD_MIN) held.push(...v.at);
        if (v.strength > hits[head]!.strength) hits[head] = { ...v, also: hits[head]!.also };
      }
    }
    let score = combine(hits);
    if (score === 0) return NO_MATCH;
    const words = new Set<number>(held);
    for (const h of hits) {
      if (h.strength > 0) for (const i of h.at) words.add(i);
      for (const i of h.also ?? []) words.add(i);
    }
    const kind = this.kindEvidence(name, profile, words);
    if (kind.strength > 0) {
      const lift = (x: number): number => (x > 0 ? x + (1 - x) * KIND_LIFT * kind.strength : 0);
      score = lift(score);
      for (const i of kind.at) words.add(i);
      return { score: Math.min(1, score), nameScore: Math.min(1, lift(nameScore)), words, kindWords: new Set(kind.at) };
    }
    return { score: Math.min(1, score), nameScore, words };
  }

  /** The best counterpart of relation word `r` among the asking words. */
  private wordHit(r: string, fuzzy = true): WordHit {
    const key = fuzzy ? r : `\u0000${r}`;
    let hit = this.hits.get(key);
    if (hit === undefined) {
      hit = this.freshWordHit(r, fuzzy);
      this.hits.set(key, hit);
    }
    return hit;
  }

  private freshWordHit(r: string, fuzzy: boolean): WordHit {
    const best = this.bestWordHit(r, fuzzy);
    if (!fuzzy || best.strength === 0) return best;
    // Every other question word that asks for it well enough explains it too ("where … based").
    const also: number[] = [];
    const rs = stem(r);
    const rGroups = groupsOf(rs);
    for (const i of this.asking) {
      if (best.at.includes(i)) continue;
      const w = this.q.words[i]!;
      if (w === r || this.stems[i] === rs || (rGroups !== undefined && this.groups[i] !== undefined && shares(this.groups[i], rGroups))) also.push(i);
    }
    return also.length > 0 ? { ...best, also } : best;
  }

  private bestWordHit(r: string, fuzzy: boolean): WordHit {
    const rs = stem(r);
    let best: WordHit = { strength: 0, at: [] };
    const { words } = this.q;
    // "on call" → `oncall`.
    for (const [joined, i] of this.pairs) if (joined === r) return { strength: SAME, at: [i, i + 1] };
    const rGroups = fuzzy ? groupsOf(rs) : undefined;
    // A two-word entry of the lexicon ("look after", "on track").
    if (rGroups !== undefined) {
      for (const [groups, i] of this.lexiconPairs) if (shares(groups, rGroups)) best = { strength: LEXICON_SIMILARITY, at: [i, i + 1] };
    }
    // A relation word that is itself a short form of a lexicon word (`desc` of description, `ext`
    // of extension) only stands for that word's group: "descale" is no description.
    const expands = rGroups !== undefined && !GROUPS.has(rs);
    for (const i of this.asking) {
      const w = words[i]!;
      if (w === r || this.stems[i] === rs) return { strength: SAME, at: [i] };
      if (!fuzzy) continue;
      let s = 0;
      let at = [i];
      const lexicon = rGroups !== undefined && this.groups[i] !== undefined && shares(this.groups[i], rGroups);
      if (w[0] === r[0]) {
        const ab = r.length >= 3 && (!expands || lexicon) ? abbreviates(r, w) : undefined;
        if (ab === "prefix" || (w.length >= 4 && abbreviates(w, r) === "prefix")) s = ABBREVIATED;
        else if (ab === "contraction") s = CONTRACTED;
        else if (r.length <= 5) {
          const n = initialismAt(r, words, i);
          if (n > 0) {
            s = ABBREVIATED;
            at = Array.from({ length: n }, (_, k) => i + k);
          }
        }
      }
      if (s === 0 && lexicon) s = LEXICON_SIMILARITY;
      if (s === 0 && this.similarity !== undefined) {
        const e = this.similarity(w, r);
        if (e !== undefined && e >= EMBED_MIN) s = Math.min(EMBED_MAX, e);
      }
      if (s > best.strength) best = { strength: s, at };
    }
    return best;
  }


  /** A value question the relation's values answer ("when" and a relation holding times). */
  private valueHit(p: RelationProfile): WordHit | undefined {
    for (const v of this.valueQuestions) if (holds(p, v.kind)) return { strength: VALUE_EVIDENCE, at: [v.at] };
    return undefined;
  }


  /** A question word most of the relation's values contain ("bleep"), or the names of what it references ("hospital"). */
  private typicalValueHit(p: RelationProfile): WordHit | undefined {
    const names = p.refNameWords ?? [];
    for (const i of this.asking) {
      const w = this.q.words[i]!;
      const s = this.stems[i]!;
      if (p.valueWords.includes(w) || p.valueWords.includes(s) || names.includes(w) || names.includes(s)) return { strength: VALUE_EVIDENCE, at: [i] };
    }
    return undefined;
  }

  /** A question word naming the kind most of the relation's references point to ("which team" → `member_of` = `team/…`). */
  private refKindHit(p: RelationProfile): WordHit | undefined {
    const kinds = [...p.refKinds].filter(([, share]) => share >= VALUE_SHARE).map(([k]) => k);
    if (kinds.length === 0) return undefined;
    const used = this.notNamingKind();
    let best: WordHit | undefined;
    for (const k of kinds) {
      const h = this.kindHitOf(k, used, "ref");
      if (h.strength > 0 && (best === undefined || h.strength > best.strength)) best = { strength: VALUE_EVIDENCE * h.strength, at: h.at };
    }
    return best;
  }

  /** The words that cannot name a kind a relation references (all but the asking ones and the named kinds'). */
  private notNamingKind(): ReadonlySet<number> {
    if (this.notNamingKinds === undefined) {
      const words = [...this.asking.filter((i) => !this.q.stop[i]), ...(this.q.kindWords ?? [])];
      this.notNamingKinds = new Set(this.q.words.map((_, i) => i).filter((i) => !words.includes(i)));
    }
    return this.notNamingKinds;
  }

  /**
   * Question words, other than those already used, that name what holds the
   * relation: its namespace (`chg:`) or the kinds of entity in its sample (`chg/…`).
   */
  private kindEvidence(name: RelationName, p: RelationProfile | undefined, used: ReadonlySet<number>): WordHit {
    const kinds = [...name.namespace];
    if (p !== undefined) for (const [k, share] of p.kinds) if (share >= KIND_SHARE && !kinds.includes(k)) kinds.push(k);
    // A name's words name an entity, not a kind (a kind spelled beside the name does).
    const left = new Set(used);
    for (const i of this.q.skip) if (!(this.q.kindWords?.has(i) ?? false)) left.add(i);
    const key = [...left].sort((a, b) => a - b).join(",");
    let best: WordHit = { strength: 0, at: [] };
    for (const k of kinds) {
      const h = this.kindHitOf(k, left, key);
      if (h.strength > best.strength) best = h;
    }
    return best;
  }

  /** {@link kindHit} for this question, kept by kind and by `usedKey` (standing for `used`). */
  private kindHitOf(k: string, used: ReadonlySet<number>, usedKey: string): WordHit {
    const key = `${k}\u0000${usedKey}`;
    let h = this.kinds.get(key);
    if (h === undefined) {
      h = kindHit(k, this.q.words, this.stems, this.q.stop, used);
      this.kinds.set(key, h);
    }
    return h;
  }
}

/**
 * The question word (not `used`, not a stop word) that names the kind `k`
 * (`chg` ← "changes", `incident` ← "incidents", `oncall` ← "paged"), and how
 * surely: 1 for the word or its stem, less for an abbreviation or the lexicon.
 */
export function kindHit(k: string, words: readonly string[], stems: readonly string[], stop: readonly boolean[], used: ReadonlySet<number> = new Set()): WordHit {
  const ks = stem(k);
  let best: WordHit = { strength: 0, at: [] };
  for (let i = 0; i < words.length; i++) {
    if (used.has(i) || stop[i]) continue;
    const w = words[i]!;
    if (w === k || stems[i] === ks) return { strength: SAME, at: [i] };
    const ab = k.length >= 3 ? abbreviates(k, w) : undefined;
    if (ab === "prefix" || (w.length >= 4 && abbreviates(w, k) === "prefix")) best = { strength: ABBREVIATED, at: [i] };
    else if (ab === "contraction" && best.strength < CONTRACTED) best = { strength: CONTRACTED, at: [i] };
    // The lexicon ("paged" for the kind `oncall`).
    else if (best.strength < LEXICON_SIMILARITY && lexiconPair(stems[i]!, ks)) best = { strength: LEXICON_SIMILARITY, at: [i] };
  }
  return best;
}
