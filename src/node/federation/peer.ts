/**
 * A peer of this node as the application hands it out. The peer store's
 * record is already the application's shape (camelCase, no SQL in it), so
 * this names it for the layers above: they import the application's type,
 * never the store's.
 *
 * @module
 */
export type { PeerRecord as Peer, PeerStatus } from "../../store/peer-store.js";
