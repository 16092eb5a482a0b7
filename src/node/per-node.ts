/**
 * State a use case keeps per node (caches, prepared-statement stores) that
 * does not belong on the node object itself.
 *
 * @module
 */
import type { StigmemNode } from "./stigmem-node.js";

/** Gives each node its own `create(node)`, made on first use and dropped with the node. */
export function perNode<T>(create: (node: StigmemNode) => T): (node: StigmemNode) => T {
  const values = new WeakMap<StigmemNode, T>();
  return (node) => {
    let value = values.get(node);
    if (value === undefined) {
      value = create(node);
      values.set(node, value);
    }
    return value;
  };
}
