/**
 * @module core/relation-warnings
 *
 * Advisory warnings about relation names returned on assert (protocol.md §2
 * `warnings`): relations are expected to be namespaced (`memory:role`), and
 * the `stigmem:` namespace is reserved for the node itself.
 */

/** Warnings for `relation`; empty when the name follows the conventions. */
export function relationWarnings(relation: string): string[] {
  const out: string[] = [];
  if (!relation.includes(":")) {
    out.push(`relation "${relation}" has no namespace; prefer e.g. "memory:${relation}"`);
  } else if (relation.startsWith("stigmem:")) {
    out.push(`relation "${relation}" uses the reserved stigmem: namespace`);
  }
  return out;
}
