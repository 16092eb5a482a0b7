/**
 * @module core/fact-order
 *
 * The fact order `≺` (protocol.md §6): `origin_hlc`, then `origin_node_id`,
 * then `cid`. Every node must pick the same chain head and the same conflict
 * winner from the same facts, so the order uses only fields that replicate
 * unchanged (never the local `hlc`, id or arrival time).
 */
import { compareCodePoints } from "./code-point-order.js";
import { compareHlc, type Hlc } from "./hlc.js";

/** The replicated fields `≺` reads. For local facts `origin_node_id` is our own node id. */
export interface FactOrderKey {
  readonly origin_hlc: Hlc;
  readonly origin_node_id: string;
  readonly cid: string;
}

/**
 * Compares two facts by `≺`. HLCs compare as integer pairs; node ids and
 * CIDs by code point (Python string order, identical for the ASCII ids we
 * issue, and well defined for any id a ref peer sends).
 *
 * @returns -1 when `a ≺ b`, 1 when `b ≺ a`, 0 for the same position (same
 *   origin, same HLC and same CID: the same fact).
 * @example
 * facts.sort(compareFacts).at(-1); // the chain head
 */
export function compareFacts(a: FactOrderKey, b: FactOrderKey): -1 | 0 | 1 {
  const byHlc = compareHlc(a.origin_hlc, b.origin_hlc);
  if (byHlc !== 0) return byHlc;
  const byNode = compareCodePoints(a.origin_node_id, b.origin_node_id);
  if (byNode !== 0) return byNode < 0 ? -1 : 1;
  const byCid = compareCodePoints(a.cid, b.cid);
  return byCid === 0 ? 0 : byCid < 0 ? -1 : 1;
}

/** The ≺-greatest of two facts (the later head); `a` on a tie. */
export function laterFact<T extends FactOrderKey>(a: T, b: T): T {
  return compareFacts(a, b) >= 0 ? a : b;
}
