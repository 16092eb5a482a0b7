/**
 * @module core/federation/check-result
 *
 * The result shape of every federation check: a value, or a stable code a
 * transport maps once to its status (protocol.md §10 names the codes). A
 * plain union instead of an exception, because rejections are expected
 * traffic here (forged tokens, stale declarations, poison facts): callers
 * audit them and move on, and tests read them as data.
 */

/** A passed check carrying its value. */
export interface Passed<T> {
  readonly ok: true;
  readonly value: T;
}

/** A failed check: a stable machine code, the input field when one is to blame, and a human message. */
export interface Failed<C extends string> {
  readonly ok: false;
  readonly code: C;
  readonly field?: string | undefined;
  readonly message: string;
}

/** Outcome of a check with codes `C`. */
export type Checked<T, C extends string> = Passed<T> | Failed<C>;

/** Builds a {@link Passed}. */
export function passed<T>(value: T): Passed<T> {
  return { ok: true, value };
}

/** Builds a {@link Failed}. */
export function failed<C extends string>(code: C, message: string, field?: string): Failed<C> {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, field, message };
}
