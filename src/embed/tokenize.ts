/**
 * Tokenizer of the offline embedder, aligned with recall's lexical query
 * rules (protocol.md §9): NFKC, lowercase, runs of `[\p{L}\p{N}\p{Co}]`.
 * Before lowercasing it also splits camelCase, so `worksAt` and
 * `works_at` both give `works at`; URI and relation punctuation
 * (`: / _ - .`) separates tokens as any non-letter does.
 *
 * @module
 */

/** Tokens of URI structure that say nothing about a fact's meaning. */
const STRUCTURAL = new Set(["stigmem", "rel", "http", "https", "www"]);

/** At most this many tokens of one text are used; a 64 KB value is represented by its start. */
export const MAX_TOKENS = 512;

const CAMEL_LOWER_UPPER = /(\p{Ll}|\p{N})(\p{Lu})/gu;
const CAMEL_ACRONYM = /(\p{Lu})(\p{Lu}\p{Ll})/gu;
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/**
 * Splits `text` into lowercase word tokens.
 * @example tokenize("stigmem://n/user/dana rel:worksAt org:ACME") // ["n", "user", "dana", "works", "at", "org", "acme"]
 */
export function tokenize(text: string): string[] {
  const split = text.normalize("NFKC").replace(CAMEL_LOWER_UPPER, "$1 $2").replace(CAMEL_ACRONYM, "$1 $2");
  const out: string[] = [];
  for (const m of split.toLowerCase().matchAll(TOKEN)) {
    if (STRUCTURAL.has(m[0])) continue;
    out.push(m[0]);
    if (out.length === MAX_TOKENS) break;
  }
  return out;
}
