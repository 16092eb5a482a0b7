/**
 * @module core/recall/similarity
 *
 * Similarity of two recall items for MMR (protocol.md §9 stage 6): 1 for the
 * same triple, 0.5 for the same entity (less for an entity the question
 * names), 0.9 for the same relation and value on another entity, otherwise
 * the cosine of their embeddings (clamped to [0, 1]; 0 when either has
 * none), computed here for float vectors and by the quantized index for its
 * int8 copies.
 */

/** What MMR compares of an item besides its embedding. */
export interface Triple {
  readonly entity: string;
  readonly relation: string;
  readonly scope: string;
  /** The value's text, when the item is one fact. */
  readonly value?: string | undefined;
}

/** Similarity of two facts of one entity with different relations (§9). */
export const SAME_ENTITY = 0.5;
/**
 * The same for an entity the question names (ours): its facts are what is
 * asked about, not alternatives to one another, so they are barely alike.
 */
export const SAME_NAMED_ENTITY = 0.1;
/** Similarity of two facts of different entities with the same relation and value (ours: the same answer twice). */
export const SAME_VALUE = 0.9;

/**
 * The similarity two items have by what they are about: 1 for the same
 * triple, {@link SAME_ENTITY} for the same entity ({@link SAME_NAMED_ENTITY}
 * when `named` says the question names it), {@link SAME_VALUE} for the same
 * relation and value on different entities; undefined otherwise, where the
 * cosine of their embeddings decides.
 *
 * @example
 * sameEntitySimilarity({ entity: "a", relation: "r", scope: "s" }, { entity: "a", relation: "q", scope: "s" }); // 0.5
 */
export function sameEntitySimilarity(a: Triple, b: Triple, named: (entity: string) => boolean = () => false): number | undefined {
  if (a.entity !== b.entity) {
    return a.value !== undefined && a.value === b.value && a.relation === b.relation ? SAME_VALUE : undefined;
  }
  if (a.relation === b.relation && a.scope === b.scope) return 1;
  return named(a.entity) ? SAME_NAMED_ENTITY : SAME_ENTITY;
}

/** Σ v[i]² (accumulated as {@link cosine} does, so passing it back gives the same result). */
export function squaredNorm(v: Float32Array): number {
  return dot(v, v);
}

/**
 * Cosine similarity clamped to [0, 1]; 0 for vectors of different or zero length, or zero norm.
 * `na` and `nb`, when given, are the {@link squaredNorm}s of `a` and `b`.
 */
export function cosine(a: Float32Array, b: Float32Array, na?: number, nb?: number): number {
  if (a.length !== b.length || a.length === 0) return 0;
  const ab = dot(a, b);
  na ??= squaredNorm(a);
  nb ??= squaredNorm(b);
  if (na === 0 || nb === 0) return 0;
  const c = ab / Math.sqrt(na * nb);
  return c < 0 ? 0 : c > 1 ? 1 : c;
}

/**
 * Σ a[i]·b[i] over the shorter length, in four interleaved sums: MMR
 * computes tens of thousands of these per recall, and independent sums let
 * the CPU overlap the multiplications (about twice as fast as one sum).
 */
function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  const m = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < m; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}
