/**
 * @module core/recall/entity-link
 *
 * Which stored entities a question names (protocol.md §9, query
 * understanding), linked through what a store knows of them rather than a
 * hand-written list: the words of the entity's id (its last path segment,
 * `svc/pay-gw` → `pay`, `gw`) and the names its facts state (`org:name`,
 * `hr:aka`, … — whatever relations the caller found to be name-like).
 *
 * A spelling (the id's words, or one stated name) is matched when every one
 * of its words meets a question word: the same word, stem or number ("one"
 * for "1"), or an abbreviation of it (core/recall/abbreviation.ts: `pay` of
 * "payment", `gw` of "gateway", `lis` of "laboratory information system").
 * Guards against false links on short names: a word of one or two letters
 * links by abbreviation only inside a spelling with another word that links
 * (`pay-gw`), never alone; a spelling made only of such short words (a name
 * like "Jo") links only word for word, never to a stop word; a single-word
 * spelling linked by abbreviation alone counts less, and not at all when the
 * word names a relation of the store or the entity's stated names say the
 * abbreviation means another word. When one named entity's
 * question words contain another's (`search-api` ⊃ `search`), by a spelling
 * of as many words and at least as surely, only the longer one counts (an
 * initialism `bms` over "bed management system" does not hide `bed-mgmt`).
 */
import { abbreviates, initialismAt } from "./abbreviation.js";
import { identifierWords, numberForm, stem } from "./words.js";

/** What a candidate entity is called: its id, and the names its facts state. */
export interface EntitySpellings {
  readonly entity: string;
  readonly names?: readonly string[];
}

/** An entity the question names. */
export interface EntityLink {
  readonly entity: string;
  /** Indices of the question words that spell it. */
  readonly words: ReadonlySet<number>;
  /** How surely it is named, in (0, 1]: 1 word for word, less through abbreviations. */
  readonly strength: number;
  /** Words of the spelling that matched (`bed-mgmt`: 2; the initialism `bms`: 1). */
  readonly spelled: number;
}

/** Strength of a word spelled out (or its stem, or its number). */
const SAME = 1;
/** Strength of an abbreviation inside a spelling of several words. */
const ABBREVIATED = 0.9;
/** Strength of a one-word spelling that only abbreviates a question word (`rad` for "radiology"). */
const ABBREVIATED_ALONE = 0.8;
/** Words of a stated name that need no counterpart in the question. */
const NAME_FILLERS: ReadonlySet<string> = new Set(["and", "of", "the", "for", "a", "an", "de", "dr", "mr", "mrs", "ms"]);

/**
 * The words of an entity URI's last path segment.
 *
 * @example
 * entityIdWords("stigmem://mhn/svc/pay-gw"); // ["pay", "gw"]
 */
export function entityIdWords(uri: string): readonly string[] {
  const trimmed = uri.replace(/[/#?]+$/u, "");
  const cut = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf(":"));
  return identifierWords(trimmed.slice(cut + 1));
}

/** The kind of an entity URI: the path segment before its last one (`…/person/dana` → `person`), or "". */
export function entityKind(uri: string): string {
  const parts = uri.replace(/[/#?]+$/u, "").split("/");
  return parts.length >= 2 ? parts[parts.length - 2]!.toLowerCase() : "";
}

/**
 * The entities among `candidates` that the question (its lowercase `words`,
 * stop words included; `isStop` tells them) names, best first, each once.
 *
 * @example
 * linkEntities(["who", "owns", "the", "payment", "gateway"], isStop, [{ entity: "stigmem://mhn/svc/pay-gw" }]);
 * // [{ entity: "stigmem://mhn/svc/pay-gw", words: {3, 4}, strength: 0.9 }]
 */
export function linkEntities(
  words: readonly string[],
  isStop: (word: string) => boolean,
  candidates: readonly EntitySpellings[],
  reserved: (word: string) => boolean = () => false,
): EntityLink[] {
  const stems = words.map(stem);
  const numbers = words.map(numberForm);
  const found = new Map<string, EntityLink>();
  for (const c of candidates) {
    const names = (c.names ?? []).map((n) => identifierWords(n).filter((w) => !NAME_FILLERS.has(w)));
    for (const spelling of [entityIdWords(c.entity), ...names]) {
      const link = matchSpelling(spelling, words, stems, numbers, isStop);
      if (link === undefined) continue;
      if (link.strength <= ABBREVIATED_ALONE && !plausibleAlone(link, words, names, reserved)) continue;
      const known = found.get(c.entity);
      if (known === undefined || link.strength > known.strength || (link.strength === known.strength && link.words.size > known.words.size)) {
        found.set(c.entity, { entity: c.entity, ...link });
      }
    }
  }
  const links = [...found.values()];
  return links
    .filter(
      (x) =>
        !links.some(
          (y) => y !== x && y.strength >= x.strength && y.spelled >= x.spelled && y.words.size > x.words.size && [...x.words].every((i) => y.words.has(i)),
        ),
    )
    .sort((a, b) => b.strength - a.strength || b.words.size - a.words.size || (a.entity < b.entity ? -1 : 1));
}

/**
 * A one-word id linked only as an abbreviation of one question word (`resp`
 * for "response") stands unless the question word names a relation instead
 * (`reserved`: "risky" for `chg:risk`), or the entity's stated names say the
 * abbreviation means another word ("Respiratory Medicine").
 */
function plausibleAlone(link: { words: ReadonlySet<number> }, words: readonly string[], names: readonly (readonly string[])[], reserved: (word: string) => boolean): boolean {
  if (link.words.size !== 1) return true;
  const q = words[[...link.words][0]!]!;
  if (reserved(q)) return false;
  if (names.length === 0) return true;
  const qs = stem(q);
  return names.some((n) => n.some((w) => stem(w) === qs || (w.length >= 4 && q.startsWith(w)) || (q.length >= 4 && w.startsWith(q))));
}

/** Where `spelling` (words) occurs among the question's words, and how surely; undefined when it does not. */
function matchSpelling(
  spelling: readonly string[],
  words: readonly string[],
  stems: readonly string[],
  numbers: readonly string[],
  isStop: (word: string) => boolean,
): { words: Set<number>; strength: number; spelled: number } | undefined {
  if (spelling.length === 0) return undefined;
  const shortOnly = spelling.every((w) => w.length <= 2);
  const used = new Set<number>();
  let strength = SAME;
  let abbreviated = 0;
  for (const w of spelling) {
    const hit = matchWord(w, spelling.length > 1 && !shortOnly, words, stems, numbers, used, isStop);
    if (hit === undefined) return undefined;
    for (const i of hit.at) used.add(i);
    if (hit.strength < SAME) abbreviated++;
    strength = Math.min(strength, hit.strength);
  }
  // A one-word spelling found only as an abbreviation of one question word is a weaker link.
  if (spelling.length === 1 && abbreviated === 1 && used.size === 1) strength = Math.min(strength, ABBREVIATED_ALONE);
  return { words: used, strength, spelled: spelling.length };
}

/** The question words one spelling word `w` meets (not already `used`), and how surely. */
function matchWord(
  w: string,
  withOthers: boolean,
  words: readonly string[],
  stems: readonly string[],
  numbers: readonly string[],
  used: ReadonlySet<number>,
  isStop: (word: string) => boolean,
): { at: number[]; strength: number } | undefined {
  const ws = stem(w);
  const wn = numberForm(w);
  for (let i = 0; i < words.length; i++) {
    if (used.has(i)) continue;
    // A short word spelled out still never links to a stop word ("it", "on", "a").
    if (w.length <= 2 && isStop(words[i]!)) continue;
    if (words[i] === w || stems[i] === ws || numbers[i] === wn) return { at: [i], strength: SAME };
  }
  if (/^\d+$/.test(w)) return undefined;
  let best: { at: number[]; strength: number } | undefined;
  for (let i = 0; i < words.length; i++) {
    if (used.has(i) || isStop(words[i]!)) continue;
    const q = words[i]!;
    // The id abbreviates the question's word (`pay` of "payment"; never the other way round: "lead"
    // is no short form of `leadership`). A word of two letters does so only beside another word of
    // its spelling (`pay-gw`).
    if ((w.length > 2 || withOthers) && abbreviates(w, q, withOthers) !== undefined) {
      return { at: [i], strength: ABBREVIATED };
    }
    const n = w.length >= 2 && w.length <= 6 ? initialismAt(w, words, i) : 0;
    if (n > 0 && best === undefined) {
      const at = Array.from({ length: n }, (_, k) => i + k).filter((k) => !isStop(words[k]!));
      if (at.every((k) => !used.has(k))) best = { at, strength: ABBREVIATED };
    }
  }
  return best;
}
