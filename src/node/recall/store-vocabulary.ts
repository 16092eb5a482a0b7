/**
 * What recall learns from the store to understand questions (protocol.md §9,
 * query understanding), kept per node and refreshed as the store changes:
 *
 * - **Relations:** the names stored, and per scope a profile of each
 *   (core/recall/relation-match.ts: the kinds of entity holding it, its value
 *   types, the kinds its references point to, the words most of its values
 *   share), from a sample of its newest facts that any reader of the scope
 *   sees (the node's shared view: no garden, no quarantine). Profiles are
 *   sampled when a relation is first matched in a scope, and again after
 *   {@link PROFILE_TTL_MS}.
 * - **Name-like relations** of a scope (`memory:name`, `hr:aka`, …: a name
 *   word of the generic lexicon's naming group), whose values link question
 *   words to entities.
 * - **Entity id words** by first letter (`pay`, `gw` of `svc/pay-gw`), for
 *   abbreviations and initialisms in questions.
 *
 * Names of relations and entities come from every scope, but they only ever
 * steer which reads a recall makes: everything a recall scores is read
 * through the caller's view.
 *
 * @module
 */
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { entityIdWords, entityKind } from "../../core/recall/entity-link.js";
import { RelationIndex, relationName, type RelationProfile } from "../../core/recall/relation-match.js";
import { RELATION_LEXICON } from "../../core/recall/data/relation-lexicon.js";
import { STOPWORDS_V1 } from "../../core/recall/query-text.js";
import { stem, textWords } from "../../core/recall/words.js";
import type { Scope } from "../../core/scope.js";
import type { RecallStore } from "../../store/recall-store.js";
import { sharedPolicy } from "../access/read-policy.js";
import { readCondition } from "../access/read-rules.js";

/** Facts sampled per relation and scope. */
const PROFILE_SAMPLE = 32;
/** A profile older than this is sampled again. */
export const PROFILE_TTL_MS = 10 * 60_000;
/** Share of a sample's values a word must occur in to be typical of the relation. */
const TYPICAL_SHARE = 0.5;
/** Samples smaller than this say nothing about typical value words. */
const TYPICAL_MIN_SAMPLE = 8;
/** Id words up to this length are indexed for abbreviation lookups. */
const SHORT_ID_WORD = 6;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}.*)?$/;
/** A value that is a span of time ("4 hours", "15 min", "2 days"). */
const DURATION = /\b\d+(\.\d+)?\s*(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?)\b/i;
/** A value that is a level ("P1 – life-critical", "SEV2", "tier-1", "high"). */
const LEVEL = /^\s*(p[0-5]|sev(erity)?\s*[0-5]|tier[-\s]?[0-5]|high|medium|low|critical|major|minor|moderate)\b/i;
/** Share of the referenced entities' names a word must occur in to be typical of them. */
const REF_NAME_SHARE = 0.3;
/** Fewest referenced entities (with names) that say anything about their names' words. */
const REF_NAMES_MIN = 4;

/** Counts each word of each text once per text (no stop words, digits or words under three letters). */
function countWords(counts: Map<string, number>, texts: readonly string[]): void {
  for (const text of texts) {
    for (const w of new Set(textWords(text))) {
      if (w.length >= 3 && !/^\d+$/.test(w) && !STOPWORDS_V1.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
}

/** The words counted in at least `share` of `of` texts (none from fewer than `min` texts). */
function typical(counts: ReadonlyMap<string, number>, of: number, share: number, min: number): string[] {
  if (of < min) return [];
  return [...counts].filter(([, n]) => n >= share * of).map(([w]) => w);
}
/** Relation-name words that make a relation name-like (the lexicon's naming and alias groups). */
const NAMING: ReadonlySet<string> = new Set([...RELATION_LEXICON.naming!, ...RELATION_LEXICON.alias!].map(stem));

interface Profiled {
  readonly profile: RelationProfile | null;
  readonly at: number;
  /** The store's mark of the relation when sampled (RecallStore.relationMark). */
  readonly mark: string;
  /** Facts in the sample. */
  readonly size: number;
}

/** A scope's relations with facts, as of a commit mark (RecallStore.commitMark), until a profile's expiry. */
interface PresentRelations {
  readonly mark: string;
  /** The earliest time one of their profiles is sampled again. */
  readonly until: number;
  readonly present: readonly string[];
  /** The name-like ones among them. */
  readonly names: readonly string[];
  /** Their index, once asked for. */
  index?: RelationIndex;
}

/** The id words of every stored entity (see {@link StoreVocabulary.shortForms}, {@link StoreVocabulary.entitiesWithIdWord}). */
interface IdIndex {
  /** The entity names it was built from, and how many of them it has seen. */
  readonly source: ReadonlySet<string>;
  size: number;
  /** Short id words by first letter. */
  readonly byLetter: Map<string, Set<string>>;
  readonly all: Set<string>;
  /** Id word → entities; null once more than {@link ENTITIES_PER_WORD} share it. */
  readonly byWord: Map<string, string[] | null>;
  /** The same by the word's stem. */
  readonly byStem: Map<string, string[] | null>;
}

/** Whether a relation is name-like by its name (a word of the lexicon's naming or alias group). */
function isNameRelation(relation: string): boolean {
  return relationName(relation).words.some((w) => NAMING.has(stem(w)));
}

/** Files `entity` under the stems of the words of its stated name `value`. */
function indexName(names: Map<string, string[] | null>, entity: string, value: string): void {
  for (const w of new Set(textWords(value))) addEntity(names, stem(w), entity);
}

/** Entities one id word may point to before it counts as telling none apart. */
const ENTITIES_PER_WORD = 256;

function addEntity(m: Map<string, string[] | null>, w: string, e: string): void {
  const list = m.get(w);
  if (list === null) return;
  if (list === undefined) m.set(w, [e]);
  else if (list.length >= ENTITIES_PER_WORD) m.set(w, null);
  else if (list[list.length - 1] !== e) list.push(e);
}

/** One scope's relations as recall knows them. */
export interface ScopeRelations {
  /** The profile of `relation` in the scope; undefined when it has no facts there. */
  readonly profile: (relation: string) => RelationProfile | undefined;
  /** Every relation with facts in the scope (readable by any of its readers). */
  present(): readonly string[];
  /** The name-like relations among them. */
  nameRelations(): readonly string[];
  /** {@link present} indexed by what can make a question ask for them. */
  index(): RelationIndex;
}

export class StoreVocabulary {
  private readonly scopes = new Map<string, Map<string, Profiled>>();
  /** Per scope, the index of its relations and the profiles it was built from. */
  private readonly indexes = new Map<string, { index: RelationIndex; from: ReadonlyMap<string, Profiled>; names: number }>();
  /** Per scope, the relations it holds while nothing was committed and no profile expired. */
  private readonly present = new Map<string, PresentRelations>();
  private relationWordsMemo: { mark: number; words: string[] } | null = null;
  private idIndex: IdIndex | null = null;

  /** Stem of a word of a name-like fact's value → entities stating it; null once too many do. Built on first use. */
  private names: Map<string, string[] | null> | null = null;

  /** @param actor who the profile samples are read as (the node's shared view) */
  constructor(
    private readonly store: RecallStore,
    private readonly actor: string,
  ) {
    // Names written since the index was built go into it; another connection's commit drops it.
    store.onCommitted((rows) => {
      if (rows === null) {
        this.names = null;
        return;
      }
      const names = this.names;
      if (names === null) return;
      for (const r of rows) if (isNameRelation(r.relation)) indexName(names, r.entity, r.value_v);
    });
  }

  /**
   * Entities (of every scope) whose name-like facts (`memory:name`, `hr:aka`,
   * …) hold `word` (by stem); none for a word too many names share.
   * Candidates only: their names are read again through the caller's view.
   */
  entitiesNamedWith(word: string): readonly string[] {
    if (this.names === null) {
      const names = new Map<string, string[] | null>();
      const relations = [...this.store.relationNames()].filter(isNameRelation);
      for (const { entity, value } of this.store.headValues(relations)) indexName(names, entity, value);
      this.names = names;
    }
    return this.names.get(stem(word)) ?? [];
  }

  /** The relations of `scope`, profiled on demand. */
  relations(scope: Scope, now = Date.now()): ScopeRelations {
    let profiles = this.scopes.get(scope);
    if (profiles === undefined) this.scopes.set(scope, (profiles = new Map<string, Profiled>()));
    const known = profiles;
    const readable = readCondition(sharedPolicy(this.actor, [scope]), { kind: "current", nowMs: now });
    const profileOf = (relation: string): RelationProfile | undefined => {
      let p = known.get(relation);
      const mark = this.store.relationMark(relation);
      // A full sample stands for a while; a short one (or none) is taken again once the relation got more facts.
      if (p === undefined || now - p.at > PROFILE_TTL_MS || (p.size < PROFILE_SAMPLE && p.mark !== mark)) {
        const sampled = this.sample(scope, relation, readable);
        p = { ...sampled, at: now, mark };
        known.set(relation, p);
      }
      return p.profile ?? undefined;
    };
    // Which relations the scope holds, for every question until a commit or the first profile's
    // expiry: recomputing it looks at every stored relation's profile, ~0.3 ms a question at 100k facts.
    const listed = (): PresentRelations => {
      const mark = this.store.commitMark();
      const memo = this.present.get(scope);
      if (memo !== undefined && memo.mark === mark && now < memo.until) return memo;
      let until = Infinity;
      const present = [...this.store.relationNames()].filter((r) => {
        if (profileOf(r) === undefined) return false;
        until = Math.min(until, known.get(r)!.at + PROFILE_TTL_MS);
        return true;
      });
      const fresh: PresentRelations = { mark, until, present, names: present.filter(isNameRelation) };
      this.present.set(scope, fresh);
      return fresh;
    };
    const index = (): RelationIndex => {
      const memo = listed();
      if (memo.index !== undefined) return memo.index;
      const relations = memo.present;
      const names = this.store.namesMark();
      const built = this.indexes.get(scope);
      // Rebuilt when a relation appeared or a profile was sampled again since.
      if (built !== undefined && built.names === names && relations.every((r) => built.from.get(r) === profiles.get(r))) return (memo.index = built.index);
      memo.index = new RelationIndex(relations, profileOf);
      this.indexes.set(scope, { index: memo.index, from: new Map(relations.map((r) => [r, profiles.get(r)!])), names });
      return memo.index;
    };
    return {
      profile: (relation) => (this.store.relationNames().has(relation) ? profileOf(relation) : undefined),
      present: () => listed().present,
      nameRelations: () => listed().names,
      index,
    };
  }

  /** Every word of every stored relation's name (for the embedder's word vectors). */
  relationWords(): readonly string[] {
    const names = this.store.relationNames();
    const mark = this.store.namesMark();
    if (this.relationWordsMemo?.mark !== mark) {
      const words = new Set<string>();
      for (const r of names) {
        const n = relationName(r);
        for (const w of [...n.words, ...n.joined]) words.add(w);
      }
      this.relationWordsMemo = { mark, words: [...words] };
    }
    return this.relationWordsMemo.words;
  }

  /**
   * Id words (of every stored entity) that abbreviate one of `words`, or are
   * the initials of a run of them: the question's words an entity id may
   * spell in short. Candidates only: core/recall/entity-link.ts decides.
   */
  shortForms(words: readonly string[], matches: (idWord: string, word: string, at: number) => boolean): string[] {
    const index = this.idWords();
    const out = new Set<string>();
    words.forEach((w, at) => {
      if (w.length < 3 || STOPWORDS_V1.has(w)) return;
      for (const id of index.byLetter.get(w[0]!) ?? []) if (id !== w && matches(id, w, at)) out.add(id);
    });
    return [...out];
  }

  /**
   * Entities (of every scope) with `word`, or a word of the same stem, among
   * their id words; none for a word that more than {@link ENTITIES_PER_WORD}
   * entities share (it tells no entity apart: `user` of `user-1234`).
   * Candidates only: whether a caller sees them is theirs to check.
   */
  entitiesWithIdWord(word: string): readonly string[] {
    const index = this.idWords();
    const out = new Set<string>();
    for (const list of [index.byWord.get(word), index.byStem.get(stem(word))]) {
      if (list === null) return [];
      for (const e of list ?? []) out.add(e);
    }
    return [...out];
  }

  private idWords(): IdIndex {
    const names = this.store.entityNames();
    let index = this.idIndex;
    if (index === null || index.source !== names) {
      index = this.idIndex = { source: names, size: 0, byLetter: new Map(), all: new Set(), byWord: new Map(), byStem: new Map() };
    }
    if (index.size < names.size) {
      let k = 0;
      for (const e of names) {
        if (k++ < index.size) continue;
        for (const w of entityIdWords(e)) {
          addEntity(index.byWord, w, e);
          addEntity(index.byStem, stem(w), e);
          if (w.length > SHORT_ID_WORD || index.all.has(w)) continue;
          index.all.add(w);
          let bucket = index.byLetter.get(w[0]!);
          if (bucket === undefined) index.byLetter.set(w[0]!, (bucket = new Set()));
          bucket.add(w);
        }
      }
      index.size = names.size;
    }
    return index;
  }

  /** The profile of `relation` in `scope` from a sample of its newest facts there (null when it has none), and the sample's size. */
  private sample(scope: Scope, relation: string, readable: ReturnType<typeof readCondition>): { profile: RelationProfile | null; size: number } {
    const rows = this.store.relationSample({ scope, readable, relation }, PROFILE_SAMPLE);
    if (rows.length === 0) return { profile: null, size: 0 };
    const kinds = new Map<string, number>();
    const refKinds = new Map<string, number>();
    const wordCounts = new Map<string, number>();
    const targets = new Set<string>();
    let times = 0;
    let numbers = 0;
    let durations = 0;
    let levels = 0;
    const share = 1 / rows.length;
    for (const r of rows) {
      const kind = entityKind(r.entity);
      if (kind !== "") kinds.set(kind, (kinds.get(kind) ?? 0) + share);
      if (r.type === "datetime" || ISO_TIME.test(r.value)) times++;
      else if (r.type === "number") numbers++;
      else if (r.type === "ref") {
        const k = entityKind(r.value);
        if (k !== "") refKinds.set(k, (refKinds.get(k) ?? 0) + share);
        try {
          targets.add(normalizeEntityUri(r.value, "value.v"));
        } catch {
          // A reference to no entity URI names nothing.
        }
      } else {
        if (DURATION.test(r.value)) durations++;
        if (LEVEL.test(r.value)) levels++;
        countWords(wordCounts, [r.value]);
      }
    }
    const valueWords = typical(wordCounts, rows.length, TYPICAL_SHARE, TYPICAL_MIN_SAMPLE);
    const profile: RelationProfile = {
      kinds,
      refKinds,
      timeShare: times * share,
      numberShare: numbers * share,
      durationShare: durations * share,
      levelShare: levels * share,
      valueWords,
      refNameWords: this.refNameWords(scope, readable, [...targets]),
    };
    return { profile, size: rows.length };
  }

  /** Words the stated names of `targets` commonly hold ("hospital" for sites named "… Hospital"). */
  private refNameWords(scope: Scope, readable: ReturnType<typeof readCondition>, targets: readonly string[]): string[] {
    if (targets.length < REF_NAMES_MIN) return [];
    const nameRelations = [...this.store.relationNames()].filter(isNameRelation);
    const names = this.store.namesOf(targets, nameRelations, { scope, readable });
    const counts = new Map<string, number>();
    for (const ns of names.values()) countWords(counts, ns);
    return typical(counts, names.size, REF_NAME_SHARE, REF_NAMES_MIN);
  }
}
