/**
 * @module core/recall/words
 *
 * The words recall compares (protocol.md §9, query understanding): a
 * question's words, the words of identifiers (entity ids, relation names)
 * split the ways stores write them (`:`, `_`, `-`, `.`, `/`, camelCase), and
 * a crude English stem so that inflections compare equal.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const SUFFIXES = ["ions", "ion", "ers", "er", "ings", "ing", "ies", "ied", "es", "ed", "s", "e", "y"];

/** Most results each memo below keeps (they are cleared when full: the same few thousand words recur). */
const MEMO_SIZE = 65_536;

/** `fn` with its results kept by argument: recall stems and splits the same words and names on every question. */
function memo<T>(fn: (s: string) => T): (s: string) => T {
  const known = new Map<string, T>();
  return (s) => {
    let v = known.get(s);
    if (v === undefined) {
      if (known.size >= MEMO_SIZE) known.clear();
      v = fn(s);
      known.set(s, v);
    }
    return v;
  };
}

/**
 * A crude English stem: lowercase, one common suffix stripped when at least
 * three letters remain (`maintainer`, `maintains` → `maintain`; `located`,
 * `location` → `locat`).
 *
 * @example
 * stem("maintainers"); // "maintain"
 * stem("location"); // "locat"
 */
export const stem: (word: string) => string = memo(stemOf);

function stemOf(word: string): string {
  let w = word.toLowerCase();
  for (const s of SUFFIXES) {
    if (w.length - s.length >= 3 && w.endsWith(s)) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/**
 * The words of free text: NFKC, lowercase, runs of letters and digits.
 *
 * @example
 * textWords("Who's on-call?"); // ["who", "s", "on", "call"]
 */
export function textWords(text: string): string[] {
  return text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
}

/**
 * The words of an identifier: split on anything but letters and digits and
 * at camelCase boundaries, lowercased.
 *
 * @example
 * identifierWords("languagesSpoken"); // ["languages", "spoken"]
 * identifierWords("contract:renewal_date"); // ["contract", "renewal", "date"]
 * identifierWords("HL7-ie"); // ["hl7", "ie"]
 */
export const identifierWords: (id: string) => readonly string[] = memo(identifierWordsOf);

function identifierWordsOf(id: string): readonly string[] {
  const spaced = id.normalize("NFKC").replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2").replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2");
  return Object.freeze(spaced.toLowerCase().match(WORD) ?? []);
}

/**
 * Spelled-out numbers up to twenty, so that "level one" meets "Level 1".
 */
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
    .split(" ")
    .map((w, i) => [w, String(i)]),
);

/** `word` as digits when it spells a number up to twenty, else itself. */
export function numberForm(word: string): string {
  return NUMBER_WORDS.get(word) ?? word;
}
