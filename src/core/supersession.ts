/**
 * @module core/supersession
 *
 * What happens to a triple when a fact arrives (protocol.md §6), as one pure
 * decision shared by every writer — a local assert, a batch item, a conflict
 * resolution and a fact ingested from a peer:
 *
 * - **Head.** A chain K = (entity, relation, scope, source) is headed by its
 *   ≺-greatest fact (origin HLC, origin node, CID). The arriving fact heads
 *   its chain only if it is ≺-greater than the current head, so a fact that
 *   arrives late (replication, backfill) never displaces a newer one.
 *   A local write is stamped with a fresh tick, which is ≺-greater than
 *   everything stored, so it always heads its chain.
 * - **Supersedes.** A local write replaces its chain's head and says so; an
 *   ingested fact carries the list its origin declared.
 * - **Conflicts.** A live arriving fact (confidence > 0) that heads its
 *   chain conflicts with every live, unexpired head of another source with
 *   another value, and with its own chain's previous head when that head is
 *   concurrent (another origin, not declared superseded, another value): the
 *   overwrite stays visible. A fact that arrives too late to head its chain
 *   conflicts only with that head, when the head is concurrent with it.
 *   Retractions never conflict.
 * - **Verdict.** When the arriving fact heads its chain, the triple's view
 *   changes: the new verdict (contradicted? winner? first expiry?) is judged
 *   over the live heads after the write.
 */
import { conflictsOnInsert, judgeTriple, type HeadFacts, type TripleVerdict } from "./contradiction.js";
import { compareFacts } from "./fact-order.js";

/** A chain head of the triple as stored, with what decides whether it is in the view. */
export interface ChainHead extends HeadFacts {
  /** Live: confidence > 0 and not overruled. */
  readonly live: boolean;
  readonly validUntilMs: number | null;
  /** Ids this head declared it superseded. */
  readonly supersedes: readonly string[];
}

/** The fact arriving, with its replicated order fields already set. */
export interface ArrivingFact extends HeadFacts {
  readonly validUntilMs: number | null;
  /** Where it came from: a local write replaces its chain's head; an ingested fact keeps its origin's list. */
  readonly origin: { readonly kind: "local" } | { readonly kind: "ingested"; readonly supersedes: readonly string[] };
}

export interface SupersessionDecision {
  /** Whether the arriving fact becomes its chain's head. */
  readonly becomesHead: boolean;
  /** The ids it supersedes, as recorded with it. */
  readonly supersedes: readonly string[];
  /** Existing heads it conflicts with, each to be recorded once as (arriving, head). */
  readonly conflictsWith: readonly HeadFacts[];
  /** The triple's verdict after the write, when its view changed; null when it did not. */
  readonly verdict: (TripleVerdict & { readonly nextExpiryMs: number | null }) | null;
}

/** Whether a head counts in its triple's current view at `nowMs`. */
export function inCurrentView(h: { live: boolean; validUntilMs: number | null }, nowMs: number): boolean {
  return h.live && (h.validUntilMs === null || h.validUntilMs > nowMs);
}

/**
 * Decides the write of `fact` into a triple whose chain heads (every source,
 * live or not) are `heads`, at `nowMs`.
 */
export function decideSupersession(fact: ArrivingFact, heads: readonly ChainHead[], nowMs: number): SupersessionDecision {
  const own = heads.find((h) => h.source === fact.source);
  const becomesHead = own === undefined || compareFacts(fact, own) > 0;
  const supersedes =
    fact.origin.kind === "local" ? (own === undefined ? [] : [own.id]) : [...fact.origin.supersedes];

  if (!becomesHead) {
    // Too late to head its chain: only a concurrent overwrite of it is worth recording.
    const concurrent =
      fact.confidence > 0 &&
      own.confidence > 0 &&
      own.origin_node_id !== fact.origin_node_id &&
      !own.supersedes.includes(fact.id) &&
      own.valueKey !== fact.valueKey;
    return { becomesHead, supersedes, conflictsWith: concurrent ? [own] : [], verdict: null };
  }

  const viewBefore = heads.filter((h) => inCurrentView(h, nowMs));
  const conflictsWith = conflictsOnInsert(fact, viewBefore, own, supersedes);
  const live = fact.confidence > 0;
  const viewAfter: (HeadFacts & { validUntilMs: number | null })[] = viewBefore.filter((h) => h.source !== fact.source);
  if (inCurrentView({ live, validUntilMs: fact.validUntilMs }, nowMs)) viewAfter.push(fact);
  let nextExpiryMs: number | null = null;
  for (const h of viewAfter) {
    if (h.validUntilMs !== null && (nextExpiryMs === null || h.validUntilMs < nextExpiryMs)) nextExpiryMs = h.validUntilMs;
  }
  return { becomesHead, supersedes, conflictsWith, verdict: { ...judgeTriple(viewAfter), nextExpiryMs } };
}
