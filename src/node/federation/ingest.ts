/**
 * Federated ingest (protocol.md §10 "Ingest"): facts a peer sent, in a pull
 * page or a push, checked one by one and written through the ONE write step
 * (facts/apply-fact.ts) with `ingested` provenance, all in one transaction —
 * for a pull page together with the cursor that follows it, so a crash
 * leaves either the whole page and its cursor or neither.
 *
 * Per fact:
 * 1–3, 5a. shape, scope, (push) source ownership, CID with the §4 number
 *    fallback, HLC future skew (push also past skew): core/federation/wire-fact.ts;
 * 4. dedup: a known id is a no-op (unless the copy would extend its
 *    `valid_until`: rejected); else a chain head with the same CID, expiry
 *    and interpretation takes the id as an alias and no row is written;
 * 5b. HLC receive (in the apply step; a peer that sent no HLC gets a tick);
 * 6. an instruction is stored quarantined (`pending`), never live;
 * 7. insert keeping the origin's id, timestamp, HLC and node; heads,
 *    conflicts, edges and caches follow from the apply step and the signal.
 *
 * A fact that fails is skipped, counted and audited (one entry each, under
 * the event its code names) and the page goes on: reject-and-advance. An
 * unexpected failure of one fact rolls back its savepoint only. The page
 * is audited once, `facts_ingested`.
 *
 * @module
 */
import { checkWireFact, type WireFact, type WireFactErrorCode } from "../../core/federation/wire-fact.js";
import { sourceOwnership } from "../../core/federation/source-ownership.js";
import { parseRfc3339 } from "../../core/timestamp.js";
import type { PageCommit, PeerRecord } from "../../store/peer-store.js";
import type { AssertInput } from "../facts/assert-input.js";
import type { NodeContext } from "../node-context.js";

/** Why one fact was not ingested: a wire check, or one of ingest's own. */
export type IngestErrorCode = WireFactErrorCode | "valid_until_extended" | "ingest_error";

/** One refused fact. */
export interface IngestRejection {
  readonly factId: string | null;
  readonly code: IngestErrorCode;
  readonly message: string;
}

/** What a page or push did. */
export interface IngestOutcome {
  /** Facts written. */
  readonly accepted: number;
  /** Facts already held (same id, or same CID at the chain head). */
  readonly duplicates: number;
  readonly rejected: readonly IngestRejection[];
}

/** How the facts arrived. */
export type IngestMode =
  /** A pull page; its cursor commits with it. */
  | { readonly kind: "pull"; readonly commit: Omit<PageCommit, "accepted" | "duplicates" | "rejected"> }
  /** A push: source ownership and the past-skew bound apply (§10, §13.3). */
  | { readonly kind: "push" };

/** The audit event of each rejection code (protocol.md §11). */
const AUDIT_EVENT: Readonly<Record<IngestErrorCode, string>> = {
  invalid_shape: "rejected_fact",
  scope_not_permitted: "scope_violation",
  source_not_owned: "rejected_fact",
  cid_mismatch: "federation_integrity_rejected",
  hlc_skew: "peer_hlc_anomaly",
  valid_until_extended: "rejected_fact",
  ingest_error: "rejected_fact",
};

/**
 * Ingests `facts` from `peer` in one transaction. Resolves after the commit.
 * Rejects only when the transaction itself fails (busy, disk): nothing of
 * the page, and not its cursor, was written.
 */
export function ingestFacts(
  ctx: NodeContext,
  peer: PeerRecord,
  facts: readonly unknown[],
  mode: IngestMode,
  nowMs = Date.now(),
): Promise<IngestOutcome> {
  return ctx.writes.submit(() => ingestInTransaction(ctx, peer, facts, mode, nowMs));
}

function ingestInTransaction(ctx: NodeContext, peer: PeerRecord, facts: readonly unknown[], mode: IngestMode, nowMs: number): IngestOutcome {
  // Facts that passed the checks almost never fail to apply, so the page is first written under one
  // savepoint; only if one throws is that undone and the page written again, a savepoint per fact.
  let out: IngestOutcome;
  try {
    out = ctx.writes.savepoint(() => ingestEach(ctx, peer, facts, mode, nowMs, false));
  } catch {
    out = ingestEach(ctx, peer, facts, mode, nowMs, true);
  }
  const { peers, audit } = ctx.stores;
  if (mode.kind === "pull") {
    peers.commitPage(peer.peerId, { ...mode.commit, accepted: out.accepted, duplicates: out.duplicates, rejected: out.rejected.length }, nowMs);
  }
  if (facts.length > 0) {
    audit.append(
      {
        eventType: "facts_ingested",
        actor: peer.nodeId,
        outcome: "success",
        peerId: peer.peerId,
        detail: { direction: mode.kind, received: facts.length, accepted: out.accepted, duplicates: out.duplicates, rejected: out.rejected.length },
      },
      nowMs,
    );
  }
  return out;
}

/** Checks, deduplicates and applies each fact; with `isolate`, each apply in a savepoint of its own. */
function ingestEach(ctx: NodeContext, peer: PeerRecord, facts: readonly unknown[], mode: IngestMode, nowMs: number, isolate: boolean): IngestOutcome {
  const { peers, audit } = ctx.stores;
  const allowed = peer.allowedScopes.filter((s) => s !== "team" || ctx.config.federationAllowTeam);
  const push = mode.kind === "push";
  const check = {
    nowMs,
    allowedScopes: allowed,
    maxFutureSkewMs: ctx.config.federationMaxFutureSkewMs,
    ...(push
      ? { maxPastSkewMs: ctx.config.federationMaxPastSkewMs, sourceOwned: sourceOwnership(peer.nodeId, peer.nodeUrl, []) }
      : {}),
  };
  let accepted = 0;
  let duplicates = 0;
  const rejected: IngestRejection[] = [];
  const reject = (r: IngestRejection & { detail?: Record<string, unknown>; scope?: string | null }): void => {
    rejected.push({ factId: r.factId, code: r.code, message: r.message });
    audit.append(
      {
        eventType: AUDIT_EVENT[r.code],
        actor: peer.nodeId,
        outcome: "rejected",
        peerId: peer.peerId,
        factId: r.factId,
        scope: r.scope ?? null,
        detail: { code: r.code, reason: r.message, direction: mode.kind, ...r.detail },
      },
      nowMs,
    );
  };

  for (const raw of facts) {
    const c = checkWireFact(raw, check);
    if (!c.ok) {
      reject({
        factId: c.factId ?? null,
        code: c.code,
        message: c.message,
        scope: c.code === "scope_not_permitted" ? scopeOf(raw) : null,
        detail: {
          field: c.field ?? null,
          ...(c.code === "cid_mismatch" ? { stored_cid: c.storedCid, computed_cid: c.computedCid } : {}),
          ...(c.skew === undefined ? {} : { skew_direction: c.skew.direction, skew_ms: c.skew.skewMs }),
        },
      });
      continue;
    }
    const f = c.value;
    const known = ctx.stores.facts.byId(f.id);
    if (known !== undefined) {
      if (extendsExpiry(known.valid_until_ms, f.valid_until)) {
        reject({ factId: f.id, code: "valid_until_extended", message: "a known fact's copy may not extend its valid_until" });
      } else duplicates++;
      continue;
    }
    if (peers.hasAlias(f.id)) {
      duplicates++;
      continue;
    }
    const head = ctx.stores.facts.tripleHeads(f.entity, f.relation, f.scope).find((h) => h.source === f.source);
    if (head !== undefined && head.cid === f.cid && head.valid_until === f.valid_until && head.garden_id === null && head.interpret_as === f.interpret_as) {
      peers.addAlias(f.id, head.rowid, peer.peerId);
      duplicates++;
      continue;
    }
    if (!isolate) {
      apply(ctx, peer, f, nowMs);
      accepted++;
      continue;
    }
    try {
      ctx.writes.savepoint(() => apply(ctx, peer, f, nowMs));
      accepted++;
    } catch (e) {
      reject({ factId: f.id, code: "ingest_error", message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { accepted, duplicates, rejected };
}

function apply(ctx: NodeContext, peer: PeerRecord, f: WireFact, nowMs: number): void {
  const input: AssertInput = {
    entity: f.entity,
    relation: f.relation,
    valueType: f.value_type,
    valueV: f.value_v,
    interpretAs: f.interpret_as,
    source: f.source,
    confidence: f.confidence,
    scope: f.scope,
    validUntil: f.valid_until,
    validUntilMs: f.valid_until === null ? null : parseRfc3339(f.valid_until, "valid_until"),
    gardenId: null,
    writeMode: "assert",
    derivedFrom: [],
  };
  ctx.applier.apply(
    input,
    {
      kind: "ingested",
      receivedFrom: peer.nodeId,
      id: f.id,
      timestamp: f.timestamp,
      // A peer that sent no HLC (we serve reference peers none, and may be served none) gets our tick as its origin.
      originHlc: f.origin_hlc ?? ctx.clock.tick(nowMs),
      // Peers never relay (§10), so the sender is the origin.
      originNodeId: peer.nodeId,
      cid: f.cid,
      supersedes: f.supersedes,
      // Instructions from peers wait for a moderator (§10 step 6); the read rules hide them.
      quarantine: f.interpret_as === "instruction" ? "pending" : null,
    },
    nowMs,
    { auditWrite: false },
  );
}

/** Whether a copy with `incoming` would make a stored fact expiring at `storedMs` visible longer. */
function extendsExpiry(storedMs: number | null, incoming: string | null): boolean {
  if (storedMs === null) return false;
  if (incoming === null) return true;
  return parseRfc3339(incoming, "valid_until") > storedMs;
}

function scopeOf(raw: unknown): string | null {
  const s = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).scope : undefined;
  return typeof s === "string" ? s.slice(0, 32) : null;
}
