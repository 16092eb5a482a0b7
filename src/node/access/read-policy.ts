/**
 * Who may read which facts: the ONE read policy (architecture.md, "one place
 * that decides who may read a fact"). A use case turns its caller into a
 * {@link ReadPolicy} first, and every reader — fact listings, single reads,
 * recall's channels and in-memory copy, cards, the graph, conflicts, and
 * later subscriptions and the federation feed — takes the policy, never the
 * principal. What the policy allows is spelled out once, as data, in
 * read-rules.ts.
 *
 * @module
 */
import type { Scope } from "../../core/scope.js";
import { AppError } from "../app-error.js";
import { hasPermission, requirePermission, type Principal } from "../principal.js";

export interface ReadPolicy {
  /** The entity named in audit entries of what this reader saw (e.g. a CID mismatch). */
  readonly actor: string;
  /** The API key reading, or null for the node itself and the no-auth caller. */
  readonly keyId: string | null;
  /** Scopes it may read; null means every scope (protocol.md §8: key scopes are enforced). */
  readonly scopes: readonly Scope[] | null;
  /**
   * Gardens whose facts it may read: `"all"` for a node admin (protocol.md §7:
   * `admin` overrides garden roles), otherwise the gardens it is a member of.
   * Membership does not exist on this node yet, so that list is empty: a
   * garden fact is read by nobody but an admin.
   */
  readonly gardens: "all" | readonly string[];
}

/**
 * The read policy of a caller.
 * @throws AppError permission_denied when the caller lacks `read`.
 */
export function readPolicyFor(principal: Principal): ReadPolicy {
  requirePermission(principal, "read");
  return visibilityOf(principal);
}

/**
 * What a caller could see, without requiring `read`: for operations that
 * act on a record they must be able to see but that another permission
 * grants (resolving a conflict needs `write` on its triple).
 */
export function visibilityOf(principal: Principal): ReadPolicy {
  return {
    actor: principal.entityUri,
    keyId: principal.keyId,
    scopes: principal.allowedScopes,
    gardens: hasPermission(principal, "admin") ? "all" : [],
  };
}

/**
 * The node reading for itself in `scopes` (null: all), outside gardens:
 * what may be cached and shown to any reader of those scopes (a memory
 * card's shared part, protocol.md §9).
 */
export function sharedPolicy(actor: string, scopes: readonly Scope[] | null = null): ReadPolicy {
  return { actor, keyId: null, scopes, gardens: [] };
}

/**
 * A federation peer reading this node's feed (protocol.md §10): the scopes
 * it is served, and the gardens it is a member of — none, until gardens
 * have members from other nodes, so no garden fact ever leaves.
 */
export function peerPolicy(peerNodeId: string, servedScopes: readonly Scope[]): ReadPolicy {
  return { actor: peerNodeId, keyId: null, scopes: servedScopes, gardens: [] };
}

/** Whether the policy may read facts of `scope`. */
export function mayReadScope(policy: ReadPolicy, scope: string): boolean {
  return policy.scopes === null || (policy.scopes as readonly string[]).includes(scope);
}

/**
 * A scope the caller names explicitly must be one it may read: asking for
 * another is refused, where broad reads filter it out silently (§8).
 * @throws AppError scope_not_allowed
 */
export function requireReadableScope(policy: ReadPolicy, scope: string): void {
  if (!mayReadScope(policy, scope)) {
    throw new AppError("scope_not_allowed", `this key may not use scope "${scope}"`, { details: { scope } });
  }
}

/** Whether garden facts are part of what this policy may read, so a shared cache cannot answer for it. */
export function readsGardens(policy: ReadPolicy): boolean {
  return policy.gardens === "all" || policy.gardens.length > 0;
}

/** Whether the policy may read facts of the garden `gardenId`. */
export function mayReadGarden(policy: ReadPolicy, gardenId: string): boolean {
  return policy.gardens === "all" || policy.gardens.includes(gardenId);
}

/**
 * A garden the caller names explicitly must be one it may read (protocol.md §7).
 * @throws AppError garden_read_forbidden
 */
export function requireReadableGarden(policy: ReadPolicy, gardenId: string): void {
  if (!mayReadGarden(policy, gardenId)) {
    throw new AppError("garden_read_forbidden", `this key may not read garden ${gardenId}`, { details: { garden_id: gardenId } });
  }
}
