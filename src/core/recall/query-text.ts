/**
 * @module core/recall/query-text
 *
 * Turns a free-text recall question into what the lexical channel searches
 * for (protocol.md §9, stage 2):
 *
 * - an FTS5 MATCH expression: NFKC, lowercase, tokens `[\p{L}\p{N}\p{Co}]+`,
 *   {@link STOPWORDS_V1} dropped unless nothing would be left, deduplicated,
 *   at most 32, each quoted, joined with ` OR `. Every token is a quoted
 *   string of letters and digits, so the expression can never be an FTS5
 *   syntax error whatever the user typed (`?`, `.`, `'`, `"`, `:`, `NEAR`…),
 *   and no LIKE fallback exists (protocol.md §12);
 * - entity candidates: whitespace-separated words with an inner `:`
 *   (`user:alice`, `stigmem://x/user/alice`), stripped of surrounding
 *   punctuation and a possessive `'s`, for an exact match on entity URIs.
 */
import { createHash } from "node:crypto";
import { PY_WHITESPACE_CLASS } from "../whitespace.js";

/**
 * Version 1 of the stop-word list: English function words, question words,
 * conversational filler ("please tell me", "I need to know") and the
 * fragments contractions leave behind (`alice's` → `alice`, `s`). Words that
 * often carry a fact's meaning (up, down, off, out, over, under, own, same)
 * are kept searchable. Changing the list changes rankings: bump the version.
 */
export const STOPWORDS_V1: ReadonlySet<string> = new Set(
  (
    "a about after again all also am an and any anything are as at be because been before being between both but by " +
    "can could did do does doing during each either few for from further had has have having he her here hers " +
    "herself him himself his how i if in into is it its itself just let me more most my myself neither no nor not " +
    "now of on once only or other our ours ourselves please shall she should so some such than that the their " +
    "theirs them themselves then there these they this those through to too until us very was we were what whats " +
    "when where which while who whom whose why will with would you your yours yourself yourselves " +
    "tell know need want may might must " +
    "s t d ll m re ve don doesn didn isn aren wasn weren won hasn haven hadn shouldn wouldn couldn"
  ).split(" "),
);

/** Version of {@link STOPWORDS_V1}, reported by `/v1/doctor` (§13.7). */
export const STOPWORDS_VERSION = "v1";

/** Most tokens one query contributes to the MATCH expression (§9). */
export const MAX_QUERY_TOKENS = 32;

/** Most exact-entity candidates taken from one query. */
export const MAX_ENTITY_CANDIDATES = 8;

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const WORDS = new RegExp(`[${PY_WHITESPACE_CLASS}]+`);
const LEADING = /^["'`‘’“”«»([{<]+/u;
const TRAILING_PUNCT = /["'`‘’“”«»)\]}>?!.,;:]+$/u;
const POSSESSIVE = /['’]s$/iu;

/**
 * The query's search tokens, in order of first appearance.
 *
 * @example
 * queryTokens("What is Alice's role?"); // ["alice", "role"]
 * queryTokens("the"); // ["the"] (nothing else left, so the stop word stays)
 */
export function queryTokens(query: string): string[] {
  const all = query.normalize("NFKC").toLowerCase().match(TOKEN) ?? [];
  const unique = [...new Set(all)];
  const kept = unique.filter((t) => !STOPWORDS_V1.has(t));
  return (kept.length > 0 ? kept : unique).slice(0, MAX_QUERY_TOKENS);
}

/**
 * The FTS5 MATCH expression for `tokens`, or null when there is nothing to
 * search for (the lexical channel then contributes no candidates).
 *
 * @example
 * ftsMatchExpression(["alice", "role"]); // '"alice" OR "role"'
 */
export function ftsMatchExpression(tokens: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  return tokens.map((t) => `"${t}"`).join(" OR ");
}

/**
 * Words of the query that look like entity URIs (an inner `:`), without the
 * punctuation a sentence puts around them. Not normalized yet.
 *
 * @example
 * entityCandidates("what is user:alice's role?"); // ["user:alice"]
 * entityCandidates("I need to know: who?"); // []
 */
export function entityCandidates(query: string): string[] {
  const out: string[] = [];
  for (const word of query.split(WORDS)) {
    let w = word.replace(LEADING, "");
    for (let prev = ""; prev !== w; ) {
      prev = w;
      w = w.replace(TRAILING_PUNCT, "").replace(POSSESSIVE, "");
    }
    const colon = w.indexOf(":");
    if (colon <= 0 || colon === w.length - 1) continue;
    if (!out.includes(w)) out.push(w);
    if (out.length === MAX_ENTITY_CANDIDATES) break;
  }
  return out;
}

/** `query_hash` of the recall response: hex SHA-256 of the UTF-8 query (§9). */
export function queryHash(query: string): string {
  return createHash("sha256").update(query, "utf8").digest("hex");
}
