/**
 * @module core/recall/abbreviation
 *
 * How stores shorten words (protocol.md §9, entity linking): identifiers are
 * full of abbreviations a person never types (`svc/pay-gw` for "payment
 * gateway service", `dept/icu`, `infra:runs_on`, `contact:ext`), and people
 * type initialisms for names (`lis` for "laboratory information system").
 *
 * - **Prefix:** the short form starts the long word: `ext` → extension,
 *   `admin` → administer. At least three letters.
 * - **Contraction:** the short form keeps the long word's first letter and
 *   some of its later letters in order, ending on a consonant of it:
 *   `mgmt` → management, `svc` → service, `gw` → gateway. At least three
 *   letters, or two when the caller has other evidence (see
 *   {@link abbreviates}'s `short` option).
 * - **Initialism:** the short form is the first letters of consecutive
 *   words, link words such as "and" or "of" optional: `ipc` → infection
 *   prevention and control.
 *
 * Short forms match false friends easily (`pt` is a contraction of
 * "paint" as much as of "patient"); the callers weigh a match by its kind
 * and guard two-letter forms.
 */

/** How a short form relates to what it abbreviates, strongest first. */
export type AbbreviationKind = "prefix" | "contraction" | "initialism";

/** Words an initialism may skip inside it ("infection prevention and control" → `ipc`). */
const INITIALISM_SKIPS: ReadonlySet<string> = new Set(["and", "of", "the", "de"]);

const VOWELS = /[aeiouy]/;

/**
 * Whether `short` abbreviates the single word `long` (both lowercase), and how.
 * Two-letter contractions count only with `allowTwoLetters`.
 *
 * @example
 * abbreviates("ext", "extension"); // "prefix"
 * abbreviates("mgmt", "management"); // "contraction"
 * abbreviates("gw", "gateway", true); // "contraction"
 * abbreviates("gw", "gateway"); // undefined
 */
export function abbreviates(short: string, long: string, allowTwoLetters = false): AbbreviationKind | undefined {
  const kind = abbreviatesWord(short, long, allowTwoLetters);
  // A plural abbreviates as its singular does (`iface` → "interfaces").
  if (kind !== undefined || !long.endsWith("s") || long.length < 4) return kind;
  return abbreviatesWord(short, long.slice(0, long.endsWith("es") && !long.endsWith("ces") ? -2 : -1), allowTwoLetters);
}

function abbreviatesWord(short: string, long: string, allowTwoLetters: boolean): AbbreviationKind | undefined {
  if (short.length < 2 || short.length >= long.length || short[0] !== long[0]) return undefined;
  if (/\d/.test(short) || /\d/.test(long)) return undefined;
  if (short.length >= 3 && long.startsWith(short)) return "prefix";
  if (short.length < 3 && !allowTwoLetters) return undefined;
  // First letter and ending: `iface`.
  if (short.length >= 5 && long.endsWith(short.slice(1))) return "contraction";
  // Otherwise a prefix of the long word followed by consonants only (`dept`, `mgmt`), but for a
  // final vowel the long word ends on (`cmte`): a word like "name" is no contraction of "nickname".
  let p = 1;
  while (p < short.length && short[p] === long[p]) p++;
  const rest = short.slice(p);
  const body = rest.endsWith(long[long.length - 1]!) && VOWELS.test(long[long.length - 1]!) ? rest.slice(0, -1) : rest;
  if (VOWELS.test(body)) return undefined;
  let at = 1;
  for (let i = 1; i < short.length; i++) {
    at = long.indexOf(short[i]!, at);
    if (at < 0) return undefined;
    at++;
  }
  return "contraction";
}

/**
 * The number of `words` from `start` that `short` is the initialism of
 * (each word's first letter in turn, skippable link words allowed between
 * them), or 0. Needs at least two spelled words, all of them longer than
 * two letters.
 *
 * @example
 * initialismAt("ipc", ["infection", "prevention", "and", "control"], 0); // 4
 * initialismAt("lis", ["the", "laboratory", "information", "system"], 1); // 3
 */
export function initialismAt(short: string, words: readonly string[], start: number): number {
  if (short.length < 2 || /\d/.test(short)) return 0;
  let i = start;
  let spelled = 0;
  for (const letter of short) {
    // Link words in the middle may be skipped, not at the start.
    while (spelled > 0 && i < words.length && INITIALISM_SKIPS.has(words[i]!) && words[i]![0] !== letter) i++;
    const w = words[i];
    if (w === undefined || w[0] !== letter || w.length < 3 || INITIALISM_SKIPS.has(w)) return 0;
    spelled++;
    i++;
  }
  return spelled >= 2 ? i - start : 0;
}
