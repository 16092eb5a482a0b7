/**
 * @module core/limits
 *
 * The protocol's numeric limits (protocol.md §2, §5, §9) as named constants,
 * so every transport, the store and the docs quote one source. Exceeding most
 * of them is a 422; the exceptions are noted per constant.
 */

/** Max UTF-8 bytes of a fact's `value_v`; above → 413 `value_too_large`. */
export const MAX_VALUE_BYTES = 65_536;

/** Max UTF-8 bytes of entity, relation and source (after normalization). */
export const MAX_FIELD_BYTES = 2_048;

/** Lowest allowed confidence. A head with confidence 0 is a retraction (§6). */
export const MIN_CONFIDENCE = 0;
/** Highest allowed confidence. */
export const MAX_CONFIDENCE = 1;
/** Confidence when the writer omits it. */
export const DEFAULT_CONFIDENCE = 1.0;

/** Max page size for list routes (`limit`). */
export const MAX_LIMIT = 500;
/** Page size for list routes when `limit` is omitted. */
export const DEFAULT_LIMIT = 50;
/** Page size of the ref-compatible federation pull when `limit` is omitted. */
export const DEFAULT_PULL_LIMIT = 100;

/** Smallest recall `token_budget` (a budget of 1 fits nothing, which a vector expects). */
export const MIN_TOKEN_BUDGET = 1;
/** Largest recall `token_budget`. */
export const MAX_TOKEN_BUDGET = 200_000;
/** Recall `token_budget` when omitted (§9). */
export const DEFAULT_TOKEN_BUDGET = 4_000;

/** Max UTF-8 bytes of a recall `query`; above → 422 `query_too_long`, before any work. */
export const MAX_QUERY_BYTES = 4_096;

/** Smallest recall / neighbors depth. */
export const MIN_DEPTH = 1;
/** Largest depth; neighbors above it → 400 `graph_depth_exceeded`, recall → 422. */
export const MAX_DEPTH = 3;
/** Recall `depth` when omitted (§9). */
export const DEFAULT_RECALL_DEPTH = 2;

/** Max facts in one `facts:batch` request or push. */
export const MAX_BATCH = 500;

/** Garden slugs: lowercase ASCII alphanumerics and `-`, 1–63 chars, no leading `-`. */
export const GARDEN_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** True when `s` is a valid garden slug (§2). */
export function isGardenSlug(s: string): boolean {
  return GARDEN_SLUG_PATTERN.test(s);
}

/** Default future-skew bound for received HLCs: 300 s (§5). */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 300_000;
/** Default past-skew bound for pushed HLCs: 30 days (§5, push only per §13.3). */
export const DEFAULT_MAX_PAST_SKEW_MS = 30 * 24 * 60 * 60 * 1000;
