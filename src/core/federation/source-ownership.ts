/**
 * @module core/federation/source-ownership
 *
 * Which `source` a peer may push facts under (protocol.md §10 "Push"): its
 * own node_id, a formal URI under its own host (`stigmem://{peer host}/…`),
 * or a prefix its operator approved. Pull has no such rule: a puller
 * chose its publisher, a pusher chooses what it claims.
 */

/**
 * A predicate over normalized sources for the peer `nodeId` reachable at
 * `nodeUrl` (its declared URL), plus `approvedPrefixes`.
 *
 * @example
 * const owned = sourceOwnership("stigmem:node:1", "https://a.example", []);
 * owned("stigmem://a.example/agent/x"); // true
 * owned("stigmem://b.example/agent/x"); // false
 */
export function sourceOwnership(
  nodeId: string,
  nodeUrl: string,
  approvedPrefixes: readonly string[],
): (source: string) => boolean {
  let host: string | undefined;
  try {
    host = new URL(nodeUrl).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    host = undefined;
  }
  const own = host === undefined || host === "" ? undefined : `stigmem://${host}/`;
  return (source) =>
    source === nodeId || (own !== undefined && source.startsWith(own)) || approvedPrefixes.some((p) => p !== "" && source.startsWith(p));
}
