/**
 * What every embedding provider offers: a stable model identity, a vector
 * length, and a batch `embed` call. Providers live beside this file; the
 * rest of the node sees only this interface (protocol.md §9, semantic stage).
 *
 * @module
 */

/** Per-call options of {@link Embedder.embed}. */
export interface EmbedOptions {
  /** Aborts the call (e.g. a recall's query deadline). */
  readonly signal?: AbortSignal;
}

export interface Embedder {
  /**
   * Identity of the model and of everything that shapes its vectors
   * (tokenizer, weighting). Stored with the vectors: a different id means
   * the stored vectors are incomparable and must be re-embedded.
   */
  readonly id: string;
  /** Vector length; `undefined` until a server has answered once (an unset `STIGMEM_EMBED_DIMS`). */
  readonly dims: number | undefined;
  /**
   * One L2-normalized vector per text, in order.
   * @throws EmbedError when the provider cannot embed now (`unavailable`) or refuses an input (`input`).
   */
  embed(texts: readonly string[], opts?: EmbedOptions): Promise<Float32Array[]>;
  /** Releases what the provider holds (timers, sockets). */
  close?(): void;
}

/**
 * Why embedding failed:
 * - `unavailable`: the provider is down, slow, misconfigured (bad URL, key or
 *   model) or still loading; the same call may succeed later, so retry with
 *   back-off and never drop facts for it.
 * - `input`: the provider refused these texts (too long, malformed); retrying
 *   the same batch fails the same way, so narrow it down and skip the culprit.
 */
export type EmbedErrorKind = "unavailable" | "input";

/** An embedding call failed. JSON-serializable; check `name`, not `instanceof`. */
export class EmbedError extends Error {
  override readonly name = "EmbedError";
  constructor(
    readonly kind: EmbedErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for an {@link EmbedError} of the given kind (any kind when omitted). */
export function isEmbedError(e: unknown, kind?: EmbedErrorKind): e is EmbedError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "EmbedError" &&
    (kind === undefined || (e as EmbedError).kind === kind)
  );
}

/** The text of a fact that is embedded (protocol.md §9): `"{entity} {relation} {value_v}"`. */
export function factText(row: { entity: string; relation: string; value_v: string }): string {
  return `${row.entity} ${row.relation} ${row.value_v}`;
}

/** Scales `v` to unit length in place; a zero vector stays zero. Returns `v`. */
export function l2normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  if (n > 0) {
    const inv = 1 / Math.sqrt(n);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
  }
  return v;
}
