/**
 * Every federation use case starts here: with federation off, the routes
 * and RPCs exist in the contract but answer `federation_disabled` (404), as
 * the reference does (protocol.md §7).
 *
 * @module
 */
import { AppError } from "../app-error.js";

/**
 * The node's federation runtime (or, for the offline CLI, what stands in for it).
 * @throws AppError federation_disabled when federation is off.
 */
export function federationOf<F>(ctx: { readonly federation: F | null }): F {
  if (ctx.federation === null) throw new AppError("federation_disabled", "federation is not enabled on this node");
  return ctx.federation;
}
