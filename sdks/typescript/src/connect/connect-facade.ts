/**
 * The facade over the Connect contract, for the Connect, gRPC and gRPC-Web
 * protocols alike (the transport decides the wire). Results are mapped to
 * the same domain objects as the REST facade; every failure becomes the same
 * typed error (`connect-error.ts`).
 *
 * @module
 */
import type { Transport } from "@connectrpc/connect";
import { ConflictStatus } from "../../../../gen/proto/stigmem/v1/conflicts_pb.js";
import { SortOrder } from "../../../../gen/proto/stigmem/v1/common_pb.js";
import { BatchItemStatus } from "../../../../gen/proto/stigmem/v1/facts_pb.js";
import { paginate } from "../client/paginate.js";
import type { StigmemClient } from "../client/stigmem-client.js";
import type { FactQuery, TransportKind } from "../types.js";
import { connectError } from "./connect-error.js";
import * as from from "./from-proto.js";
import { createServiceClients } from "./service-clients.js";
import { assertMsg, valueMsg } from "./to-proto.js";
import { watchFacts } from "./watch-facts.js";

/** Creates the facade over a transport made for `kind`. */
export function createConnectFacade(transport: Transport, kind: Exclude<TransportKind, "rest">): StigmemClient {
  const rpc = createServiceClients(transport);
  /** Awaits a call, converting its failure to the typed error. */
  const call = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw connectError(e, kind);
    }
  };

  const query = async (q: FactQuery = {}) => {
    const r = await call(
      rpc.facts.queryFacts({
        entity: q.entity,
        relation: q.relation,
        source: q.source,
        scope: q.scope,
        gardenId: q.gardenId,
        minConfidence: q.minConfidence,
        includeContradicted: q.includeContradicted,
        includeExpired: q.includeExpired,
        includeSuperseded: q.includeSuperseded,
        after: q.after,
        asOf: q.asOf,
        order: q.order === "asc" ? SortOrder.ASC : q.order === "desc" ? SortOrder.DESC : SortOrder.UNSPECIFIED,
        cursor: q.cursor,
        limit: q.limit,
      }),
    );
    return { facts: r.facts.map(from.fact), total: Number(r.total), cursor: r.cursor ?? null, integrityDegraded: r.integrityDegraded };
  };

  const assert = async (input: Parameters<StigmemClient["facts"]["assert"]>[0]) => {
    const r = await call(rpc.facts.assertFact(assertMsg(input)));
    return { fact: from.fact(r.fact), deduplicated: r.deduplicated };
  };

  return {
    transport: kind,
    facts: {
      assert,
      async batch(facts, o = {}) {
        const r = await call(
          rpc.facts.batchAssertFacts({ facts: facts.map(assertMsg), atomic: o.atomic, idempotencyKey: o.idempotencyKey }),
        );
        return {
          accepted: r.accepted,
          rejected: r.rejected,
          results: r.results.map((x) => ({
            index: x.index,
            status: x.status === BatchItemStatus.ACCEPTED ? ("accepted" as const) : ("rejected" as const),
            factId: x.factId ?? null,
            cid: x.cid ?? null,
            deduplicated: x.deduplicated,
            error: x.error ?? null,
            errorMessage: x.errorMessage ?? null,
          })),
        };
      },
      async get(idOrCid) {
        return from.fact((await call(rpc.facts.getFact({ id: idOrCid }))).fact);
      },
      query,
      list: (q = {}) => paginate((cursor) => query({ ...q, cursor }), (p) => p.facts),
      async verifyCid(id) {
        const r = await call(rpc.facts.verifyFactCid({ id }));
        return { cidValid: r.cidValid, computedCid: r.computedCid, storedCid: r.storedCid ?? null, mismatchReason: r.mismatchReason ?? null };
      },
      retract: (r) =>
        assert({
          entity: r.entity,
          relation: r.relation,
          source: r.source,
          scope: r.scope,
          value: r.value ?? { type: "string", v: "retracted" },
          confidence: 0,
        }),
      watch: (opts) => watchFacts(rpc, kind, opts),
    },
    async recall(text, o = {}) {
      const w = o.weights;
      const r = await call(
        rpc.recall.recall({
          query: text,
          scope: o.scope,
          tokenBudget: o.tokenBudget,
          depth: o.depth,
          weights: w === undefined ? undefined : { lexical: w.lexical, semantic: w.semantic, graph: w.graph, sourceTrust: w.sourceTrust, recency: w.recency },
          minConfidence: o.minConfidence,
          includeNeighbors: o.includeNeighbors,
          limit: o.limit,
          entity: o.entity,
          relation: o.relation,
          lambdaMmr: o.lambdaMmr,
          preferCards: o.preferCards,
          verifyChain: o.verifyChain,
        }),
      );
      return from.recall(r);
    },
    cards: {
      async get(entityUri, o = {}) {
        return from.card((await call(rpc.recall.getCard({ entityUri, scope: o.scope, refresh: o.refresh }))).card);
      },
    },
    graph: {
      async neighbors(entity, o) {
        const r = await call(
          rpc.recall.getNeighbors({
            entity,
            scope: o.scope,
            depth: o.depth,
            relationFilter: o.relationFilter,
            minConfidence: o.minConfidence,
            minTrust: o.minTrust,
            pageSize: o.pageSize,
            cursor: o.cursor,
          }),
        );
        return from.neighbors(r);
      },
    },
    conflicts: {
      async list(o = {}) {
        const status = o.status === "resolved" ? ConflictStatus.RESOLVED : ConflictStatus.UNRESOLVED;
        return from.conflictPage(await call(rpc.conflicts.listConflicts({ status, cursor: o.cursor, limit: o.limit })));
      },
      async get(conflictId) {
        return from.conflict((await call(rpc.conflicts.getConflict({ conflictId }))).conflict);
      },
      async resolve(conflictId, res) {
        const resolution =
          res.newValue !== undefined
            ? { case: "newValue" as const, value: valueMsg(res.newValue) }
            : { case: "winningFactId" as const, value: res.winningFactId };
        const r = await call(rpc.conflicts.resolveConflict({ conflictId, resolution, resolutionNote: res.note ?? "" }));
        return { resolutionFactId: r.resolutionFactId, conflictStatus: "resolved" };
      },
    },
    keys: {
      async create(k) {
        const r = await call(
          rpc.auth.createKey({
            entityUri: k.entityUri,
            permissions: k.permissions,
            allowedScopes: k.allowedScopes === undefined ? undefined : { scopes: k.allowedScopes },
            description: k.description,
            expiresAt: k.expiresAt,
            rawKey: k.rawKey,
          }),
        );
        return { key: from.apiKey(r.key), rawKey: r.rawKey ?? null };
      },
      async list() {
        return (await call(rpc.auth.listKeys({}))).keys.map((k) => from.apiKey(k));
      },
      async revoke(keyId) {
        await call(rpc.auth.revokeKey({ keyId }));
      },
    },
    async me() {
      return from.me(await call(rpc.auth.whoAmI({})));
    },
    node: {
      async info() {
        return from.nodeInfo(await call(rpc.node.getNodeInfo({})));
      },
      async health() {
        const r = await call(rpc.node.checkHealth({}));
        return { status: r.status };
      },
    },
  };
}
