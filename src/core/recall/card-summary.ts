/**
 * @module core/recall/card-summary
 *
 * The memory card of one entity in one scope (protocol.md §9, "Memory
 * cards"): which facts it covers and its deterministic text. Same facts in,
 * same bytes out, on every node.
 *
 * - At most {@link CARD_MAX_FACTS} facts, ranked by confidence, then by the
 *   fact order ≺ (newest first).
 * - Text: `Entity: {e}\nScope: {s}\nFacts:\n`, then one line per fact,
 *   `- {relation}: {value} (confidence {c:.2f}, source {src})`, plus
 *   ` [contradicted]` when flagged; lines sorted by relation (code point
 *   order), then rank; lines joined with `\n`, no trailing newline.
 * - Values are cut at {@link CARD_VALUE_MAX_CODE_POINTS} code points. Line
 *   breaks inside a relation or value are written as `\n`, `\r` (and
 *   U+0085/U+2028/U+2029 as `\u…`) so that a value can never forge a line.
 * - `avg_confidence` is the trust-weighted mean `Σ cᵢ·tᵢ / Σ tᵢ`.
 */
import { compareCodePoints } from "../code-point-order.js";
import { compareFacts, type FactOrderKey } from "../fact-order.js";

/** Version of the card text format; a change invalidates every cached card (§13.8). */
export const CARD_FORMAT_VERSION = 1;
/** Facts on one card (§9). */
export const CARD_MAX_FACTS = 20;
/** Longest value text on a card, in code points (§9). */
export const CARD_VALUE_MAX_CODE_POINTS = 200;

/** What a card needs to know about one current fact. */
export interface CardFact extends FactOrderKey {
  readonly relation: string;
  /** The stored value text (`value_v`). */
  readonly valueText: string;
  readonly confidence: number;
  readonly source: string;
  readonly sourceTrust: number;
  readonly contradicted: boolean;
  /** Instant after which the fact leaves the view, or null. */
  readonly validUntilMs: number | null;
}

/** A built card, before it is stored or served. */
export interface CardContent {
  summary: string;
  /** CIDs of the summarized facts, in line order. */
  factHashes: string[];
  avgConfidence: number;
  hasContradictions: boolean;
  /** Earliest `valid_until` among the summarized facts: the card is stale from then on. */
  expiresMs: number | null;
  factCount: number;
}

/** The facts a card shows: best confidence first, then newest by ≺; at most 20. */
export function selectCardFacts<T extends CardFact>(facts: readonly T[]): T[] {
  return [...facts].sort((a, b) => b.confidence - a.confidence || compareFacts(b, a)).slice(0, CARD_MAX_FACTS);
}

/**
 * Builds the card of `entity` in `scope` from its current facts (any order;
 * they are selected and ranked here).
 *
 * @example
 * buildCard("user:a", "local", [roleFact]).summary;
 * // "Entity: user:a\nScope: local\nFacts:\n- memory:role: CEO (confidence 1.00, source agent:x)"
 */
export function buildCard(entity: string, scope: string, facts: readonly CardFact[]): CardContent {
  const ranked = selectCardFacts(facts);
  const lines = ranked
    .map((f, rank) => ({ f, rank }))
    .sort((a, b) => compareCodePoints(a.f.relation, b.f.relation) || a.rank - b.rank);
  const text = lines.map(({ f }) => {
    const value = escapeLineBreaks(cutCodePoints(f.valueText, CARD_VALUE_MAX_CODE_POINTS));
    const flag = f.contradicted ? " [contradicted]" : "";
    return `- ${escapeLineBreaks(f.relation)}: ${value} (confidence ${formatFixed2(f.confidence)}, source ${escapeLineBreaks(f.source)})${flag}`;
  });
  let weighted = 0;
  let trust = 0;
  let expiresMs: number | null = null;
  for (const f of ranked) {
    weighted += f.confidence * f.sourceTrust;
    trust += f.sourceTrust;
    if (f.validUntilMs !== null && (expiresMs === null || f.validUntilMs < expiresMs)) expiresMs = f.validUntilMs;
  }
  return {
    summary: `Entity: ${entity}\nScope: ${scope}\nFacts:\n${text.join("\n")}`,
    factHashes: lines.map(({ f }) => f.cid),
    avgConfidence: trust > 0 ? weighted / trust : 0,
    hasContradictions: ranked.some((f) => f.contradicted),
    expiresMs,
    factCount: ranked.length,
  };
}

/**
 * Python's `format(x, ".2f")` for finite x: the exact binary value rounded to
 * two decimals, ties to even. JS `toFixed` rounds exact ties up, and the only
 * exact ties at two decimals are odd multiples of 1/8 (0.125 → "0.12").
 */
export function formatFixed2(x: number): string {
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    const down = Math.floor(x * 100);
    const n = down % 2 === 0 ? down : down + 1;
    return (n / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** The first `max` code points of `s`. */
export function cutCodePoints(s: string, max: number): string {
  if (s.length <= max) return s;
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return s.slice(0, i);
}

const LINE_BREAKS = /[\n\r\u0085\u2028\u2029]/g;
const ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029" };

function escapeLineBreaks(s: string): string {
  return s.replace(LINE_BREAKS, (c) => ESCAPES[c]!);
}
