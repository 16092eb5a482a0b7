/**
 * @module core/federation/served-scopes
 *
 * Which scopes a pulling peer is served (protocol.md §10): the scopes it
 * was approved for, intersected with the scopes its token asks for, never
 * `local`, and `team` only when this node opted in
 * (`STIGMEM_FEDERATION_ALLOW_TEAM`). One function, so REST pull, the
 * Connect stream and push agree on every scope decision.
 */
import { SCOPES, type Scope } from "../scope.js";

/**
 * The served scope set, in {@link SCOPES} order (narrowest first).
 * An empty result means the peer may receive nothing: 403.
 *
 * @example
 * servedScopes(["company", "public"], ["public", "local"], { allowTeam: false }); // ["public"]
 */
export function servedScopes(
  peerAllowed: readonly string[],
  tokenScopes: readonly string[],
  opts: { readonly allowTeam: boolean },
): Scope[] {
  const peer = new Set(peerAllowed);
  const token = new Set(tokenScopes);
  return SCOPES.filter((s) => s !== "local" && (s !== "team" || opts.allowTeam) && peer.has(s) && token.has(s));
}
