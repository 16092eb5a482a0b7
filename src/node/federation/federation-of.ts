/**
 * Every federation use case starts here: with federation off, the routes
 * and RPCs exist in the contract but answer `federation_disabled` (404), as
 * the reference does (protocol.md §7).
 *
 * @module
 */
import { AppError } from "../app-error.js";
import type { NodeContext } from "../node-context.js";
import type { FederationRuntime } from "./federation-runtime.js";

/**
 * The node's federation runtime.
 * @throws AppError federation_disabled when federation is off.
 */
export function federationOf(ctx: NodeContext): FederationRuntime {
  if (ctx.federation === null) throw new AppError("federation_disabled", "federation is not enabled on this node");
  return ctx.federation;
}
