/**
 * Connect FactService over the same `node/facts` use cases as REST.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { SortOrder } from "../../../gen/proto/stigmem/v1/common_pb.js";
import {
  AssertFactResponseSchema,
  BatchAssertFactsResponseSchema,
  BatchItemStatus,
  FactEventType,
  type FactService,
  GetFactResponseSchema,
  QueryFactsResponseSchema,
  VerifyFactCidResponseSchema,
  WatchFactsResponseSchema,
  type WatchFactsRequest,
  type WatchFactsResponse,
} from "../../../gen/proto/stigmem/v1/facts_pb.js";
import { assertFact } from "../../node/facts/assert-fact.js";
import { batchAssert } from "../../node/facts/batch-assert.js";
import { getFact, verifyFactCid } from "../../node/facts/get-fact.js";
import { queryFactsUseCase } from "../../node/facts/query-facts.js";
import type { Fact } from "../../node/facts/fact.js";
import type { NodeContext } from "../../node/node-context.js";
import { openWatch } from "../../node/subscriptions/fact-watcher.js";
import { principalOf } from "./auth-interceptor.js";
import { assertDraftFromProto, toProtoFact } from "./fact-mapping.js";
import { toConnectError } from "./to-connect-error.js";

export function factService(node: NodeContext): Partial<ServiceImpl<typeof FactService>> {
  return {
    async assertFact(req, ctx) {
      const result = await assertFact(node, principalOf(ctx), assertDraftFromProto(req));
      return create(AssertFactResponseSchema, { fact: toProtoFact(result.fact), deduplicated: result.deduplicated });
    },
    async batchAssertFacts(req, ctx) {
      const result = await batchAssert(node, principalOf(ctx), {
        facts: req.facts.map(assertDraftFromProto),
        atomic: req.atomic,
        idempotencyKey: req.idempotencyKey,
      });
      return create(BatchAssertFactsResponseSchema, {
        accepted: result.accepted,
        rejected: result.rejected,
        results: result.results.map((r) => ({
          index: r.index,
          status: r.status === "accepted" ? BatchItemStatus.ACCEPTED : BatchItemStatus.REJECTED,
          factId: r.factId,
          cid: r.cid,
          error: r.error,
          errorMessage: r.errorMessage,
          deduplicated: r.deduplicated,
        })),
      });
    },
    getFact(req, ctx) {
      return create(GetFactResponseSchema, { fact: toProtoFact(getFact(node, principalOf(ctx), req.id)) });
    },
    queryFacts(req, ctx) {
      const result = queryFactsUseCase(node, principalOf(ctx), {
        entity: req.entity,
        relation: req.relation,
        source: req.source,
        scope: req.scope,
        gardenId: req.gardenId,
        minConfidence: req.minConfidence === 0 ? undefined : req.minConfidence,
        includeContradicted: req.includeContradicted,
        includeExpired: req.includeExpired,
        includeSuperseded: req.includeSuperseded,
        after: req.after,
        asOf: req.asOf,
        order: req.order === SortOrder.ASC ? "asc" : undefined,
        cursor: req.cursor,
        limit: req.limit === 0 ? undefined : req.limit,
      });
      return create(QueryFactsResponseSchema, {
        facts: result.facts.map(toProtoFact),
        // int64 on the wire; protobuf-es represents it as bigint.
        total: BigInt(result.total),
        cursor: result.cursor ?? undefined,
        integrityDegraded: result.degraded,
      });
    },
    verifyFactCid(req, ctx) {
      const r = verifyFactCid(node, principalOf(ctx), req.id);
      return create(VerifyFactCidResponseSchema, {
        cidValid: r.cidValid,
        computedCid: r.computedCid,
        storedCid: r.storedCid,
        mismatchReason: r.mismatchReason ?? undefined,
      });
    },
    async *watchFacts(req, ctx): AsyncGenerator<WatchFactsResponse> {
      try {
        yield* watchFrames(node, req, ctx);
      } catch (e) {
        // A stream's errors do not pass the unary error mapping: map them here.
        throw toConnectError(e);
      }
    },
  };
}

/** The wire form of a fact, built once for all the watchers it is sent to (the watcher shares its Fact objects). */
const protoFacts = new WeakMap<Fact, ReturnType<typeof toProtoFact>>();

function protoFactOf(fact: Fact): ReturnType<typeof toProtoFact> {
  let p = protoFacts.get(fact);
  if (p === undefined) {
    p = toProtoFact(fact);
    protoFacts.set(fact, p);
  }
  return p;
}

/** The frames of one watch, as the contract's messages. */
async function* watchFrames(node: NodeContext, req: WatchFactsRequest, ctx: HandlerContext): AsyncGenerator<WatchFactsResponse> {
  const watcher = openWatch(node, principalOf(ctx), {
    entity: req.entity,
    relation: req.relation,
    relationPrefix: req.relationPrefix,
    scope: req.scope,
    cursor: req.cursor,
  });
  for await (const frame of watcher.frames(ctx.signal)) {
    if (frame.kind === "heartbeat") {
      yield create(WatchFactsResponseSchema, { kind: { case: "heartbeat", value: { serverTime: new Date().toISOString() } } });
      continue;
    }
    yield create(WatchFactsResponseSchema, {
      kind: {
        case: "factEvent",
        value: {
          eventType: frame.eventType === "fact_retracted" ? FactEventType.RETRACTED : FactEventType.ASSERTED,
          fact: protoFactOf(frame.fact),
          cursor: frame.cursor,
        },
      },
    });
  }
}
