/**
 * @module core/scope
 *
 * The four fact scopes (protocol.md §2). A scope decides how far a fact may
 * travel: `local` never leaves the node, `team` and `company` need explicit
 * opt-in on both sides, `public` goes to any peer that allows it.
 */
import { CoreError } from "./errors.js";

/** All scopes, narrowest first. */
export const SCOPES = ["local", "team", "company", "public"] as const;

/** One of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];

/** Scope of a write that names none (§7 POST /v1/facts). */
export const DEFAULT_SCOPE: Scope = "local";

const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);

/** True when `x` is exactly one of the four scope strings (case-sensitive). */
export function isScope(x: unknown): x is Scope {
  return typeof x === "string" && SCOPE_SET.has(x);
}

/**
 * Validates an untrusted scope. Exact match only: `"Public"` is rejected, as
 * on the ref, so the same request never means two scopes on two nodes.
 *
 * @throws CoreError `invalid_scope`, naming `field`.
 * @example
 * parseScope("team"); // "team"
 */
export function parseScope(x: unknown, field = "scope"): Scope {
  if (!isScope(x)) {
    throw new CoreError("invalid_scope", field, `scope must be one of ${SCOPES.join(", ")}`);
  }
  return x;
}
