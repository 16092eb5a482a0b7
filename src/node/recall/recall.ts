/**
 * `POST /v1/recall` and `RecallService.Recall` (protocol.md §9): ranked,
 * token-budgeted retrieval for agents, as a pipeline of named stages, one
 * file each:
 *
 * 1. Authorize first (here): `read`, then the key's scopes; every stage reads
 *    the current view of that one scope through SQL that applies the view, so
 *    an unreadable fact is never scored, counted, packed or summarized.
 * 2. `structure.ts` — what the question names and asks;
 *    `candidates.ts` — lexical, semantic, graph and asked-for-path candidates
 *    (the semantic search runs on the embedder's thread meanwhile);
 * 3. `signals.ts` — the five signals of every candidate;
 * 4. `fuse.ts` — one score per candidate; `prefer_cards` collapses an
 *    entity's candidates into its card (card-collapse.ts);
 * 5. `diversify.ts` and `pack.ts` — MMR into the token budget;
 * 6. `verify.ts` — CID check of every packed fact, repacking without failures;
 * 7. `respond.ts` — the answer.
 *
 * `Server-Timing` reports each stage's time (recall-timing.ts).
 *
 * @module
 */
import { readCondition } from "../access/read-rules.js";
import { mayReadScope, readPolicyFor, requireReadableScope, type ReadPolicy } from "../access/read-policy.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { collapseIntoCards } from "./card-collapse.js";
import { gatherCandidates } from "./candidates.js";
import { Diversifier } from "./diversify.js";
import { byScore, fuseCandidates } from "./fuse.js";
import type { RecallContext } from "./recall-context.js";
import type { RecallItem } from "./recall-item.js";
import { parseRecallParams, type RecallParams } from "./recall-params.js";
import { RecallClock, type RecallTimings } from "./recall-timing.js";
import { recallAnswer, type RecallAnswer } from "./respond.js";
import { lexicalChannel, type LexicalResult } from "./lexical-channel.js";
import { semanticSearch, semanticVectors, type QueryVectors } from "./semantic-search.js";
import { candidateSignals } from "./signals.js";
import { residualQuestion, settleStructure, understandQuery, type QueryStructure } from "./structure.js";
import { packVerified } from "./verify.js";

export type { RecallAnswer, ScoreBreakdown, ScoredFact } from "./respond.js";

export interface RecallOptions {
  /** `Stigmem-Verify: full`: verify the fact chain and fill `chainProof`. */
  verifyChain?: boolean;
}

export interface RecallResult {
  answer: RecallAnswer;
  /** A candidate failed CID verification and was dropped (`Stigmem-Integrity: degraded`). */
  degraded: boolean;
  /** Where the time went (`Server-Timing`). */
  timings: RecallTimings;
}

export async function recall(
  node: NodeContext,
  principal: Principal,
  raw: unknown,
  opts: RecallOptions = {},
): Promise<RecallResult> {
  const policy = readPolicyFor(principal);
  const params = parseRecallParams(raw);
  // A named scope outside the key is refused; the default one is filtered silently (§8).
  if (params.scopeExplicit) requireReadableScope(policy, params.scope);
  const readable = mayReadScope(policy, params.scope);
  // The rows read before and after waiting for the semantic search are read once (see holdReads).
  const release = node.recall.store.holdReads();
  try {
    return await rank(node, policy, params, opts, readable);
  } finally {
    release();
  }
}

/** The stages of an authorized recall. */
async function rank(node: NodeContext, policy: ReadPolicy, params: RecallParams, opts: RecallOptions, readable: boolean): Promise<RecallResult> {
  // The semantic search, and the embedding of the query and of the words it is compared by, run
  // on the embedder's thread when it has one, while this thread reads the question's structure
  // and its lexical hits; those are read again if a write committed meanwhile, so that everything
  // scored comes from one state of the store.
  const clock = new RecallClock();
  const semantic = readable ? semanticSearch(node, params) : null;
  const chain = opts.verifyChain === true ? node.recall.chain.verify(policy.actor) : null;
  const now = Date.now();
  const ctx: RecallContext = {
    node,
    params,
    now,
    view: {
      scope: params.scope,
      // Recall shows every value of a contradicted triple, flagged and scored down (§9).
      readable: readCondition(policy, { kind: "current", nowMs: now, includeContradicted: true, minConfidence: params.minConfidence }),
      entity: params.entity,
      relation: params.relation,
    },
  };
  const store = node.recall.store;
  // The query's vectors are asked for once, by the first reading of the question (the embedder
  // works on them while this thread reads the lexical hits).
  const pending: { vectors: Promise<QueryVectors | null> | null } = { vectors: null };
  const direct = (): { structure: QueryStructure; lexical: LexicalResult } => {
    const structure = understandQuery(ctx);
    clock.lap("structure");
    pending.vectors ??= semanticVectors(node, params, residualQuestion(structure), [...structure.intent.words, ...node.recall.vocabulary.relationWords()]);
    const lexical = lexicalChannel(node, params, ctx.view);
    clock.lap("candidates");
    return { structure, lexical };
  };
  let found = readable ? direct() : null;
  // Taken after the reads, which may fill temporary tables of their own.
  const mark = store.stateMark();
  const [semanticHits, queryVectors, chainProof] = await Promise.all([semantic, pending.vectors, chain]);
  clock.lap("semantic-wait");
  if (found !== null && store.stateMark() !== mark) {
    store.forgetReads();
    found = direct();
  }

  let items: RecallItem[] = [];
  let degraded = false;
  let asked: { named: ReadonlySet<string>; listed: ReadonlySet<string> } = { named: new Set(), listed: new Set() };
  if (found !== null) {
    const structure = settleStructure(found.structure, queryVectors === null ? null : (a, b) => node.recall.words.similarity(a, b));
    clock.lap("structure");
    const cands = gatherCandidates(ctx, structure, found.lexical, semanticHits);
    // A strong value seed is what the question is about too: its facts are no alternatives to each other.
    asked = { named: new Set([...structure.named, ...cands.paths.strongSeeds]), listed: cands.listed };
    clock.lap("candidates");
    const signals = candidateSignals(ctx, structure, cands, queryVectors, semanticHits !== null);
    clock.lap("signals");
    items = fuseCandidates(ctx, cands.list, signals, semanticHits !== null);
    if (params.preferCards) {
      const collapsed = collapseIntoCards(node, policy, params.scope, items);
      items = collapsed.items;
      degraded ||= collapsed.degraded;
    }
  }
  items.sort(byScore);
  clock.lap("fuse");
  const result = packVerified(ctx, policy, items, new Diversifier(node), clock, asked);
  const answer = recallAnswer(node, params.query, params.tokenBudget, result, chainProof, now);
  clock.lap("build");
  return { answer, degraded: degraded || result.degraded, timings: clock.timings() };
}
