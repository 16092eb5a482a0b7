/**
 * Push replication (protocol.md §10 "Push"): a peer sends facts instead of
 * waiting to be pulled. Off unless `STIGMEM_FEDERATION_PUSH=true` (405
 * `push_disabled`). Each fact passes the ingest checks plus the two push
 * adds: its `source` must be owned by the peer, and its HLC may not be older
 * than the past-skew bound. One bad fact never fails the batch: it is
 * listed in `errors`, audited, and the rest are ingested.
 *
 * @module
 */
import { servedScopes } from "../../core/federation/served-scopes.js";
import { MAX_BATCH } from "../../core/limits.js";
import { AppError } from "../app-error.js";
import type { NodeContext } from "../node-context.js";
import type { PeerCaller } from "./authenticate-peer.js";
import { federationOf } from "./federation-of.js";
import { ingestFacts, type IngestErrorCode } from "./ingest.js";

/** The per-fact error codes a push reports (the contract's enum). */
export type PushErrorCode = "scope_not_permitted" | "source_not_owned" | "hlc_skew" | "cid_mismatch" | "ingest_error";

/** A push's outcome (REST 202 body). */
export interface PushOutcome {
  /** Facts ingested or already held. */
  readonly accepted: number;
  readonly rejected: number;
  readonly errors: readonly { readonly factId: string | null; readonly error: PushErrorCode; readonly message: string }[];
}

const REPORTED: ReadonlySet<IngestErrorCode> = new Set(["scope_not_permitted", "source_not_owned", "hlc_skew", "cid_mismatch"]);

/**
 * Refuses a push before anything else when push is off.
 * @throws AppError federation_disabled, push_disabled.
 */
export function requirePushEnabled(ctx: NodeContext): void {
  federationOf(ctx);
  if (!ctx.config.federationPush) throw new AppError("push_disabled", "federation push is disabled on this node");
}

/**
 * Ingests the facts of a push body `{facts: [...]}` from an authenticated peer.
 * @throws AppError push_disabled, validation_error (no `facts` list, or more than 500).
 */
export async function pushFacts(ctx: NodeContext, caller: PeerCaller, facts: unknown): Promise<PushOutcome> {
  requirePushEnabled(ctx);
  if (!Array.isArray(facts)) {
    throw new AppError("validation_error", "facts: must be a list", { violations: [{ loc: ["body", "facts"], msg: "Input should be a valid list", type: "list_type" }] });
  }
  if (facts.length > MAX_BATCH) {
    throw new AppError("validation_error", `facts: at most ${MAX_BATCH} per push`, {
      violations: [{ loc: ["body", "facts"], msg: `List should have at most ${MAX_BATCH} items`, type: "too_long" }],
    });
  }
  // What the peer may send us is what it is approved for, narrowed by its token (as on pull).
  const scopes = servedScopes(caller.peer.allowedScopes, caller.claims.scopes, { allowTeam: ctx.config.federationAllowTeam });
  const out = await ingestFacts(ctx, { ...caller.peer, allowedScopes: scopes }, facts, { kind: "push" });
  return {
    accepted: out.accepted + out.duplicates,
    rejected: out.rejected.length,
    errors: out.rejected.map((r) => ({
      factId: r.factId,
      error: REPORTED.has(r.code) ? (r.code as PushErrorCode) : "ingest_error",
      message: r.message,
    })),
  };
}
