/**
 * Connect ConflictService over the same `node/conflicts` use cases as REST.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type Conflict,
  ConflictSchema,
  type ConflictService,
  ConflictStatus,
  GetConflictResponseSchema,
  ListConflictsResponseSchema,
  ResolveConflictResponseSchema,
} from "../../../gen/proto/stigmem/v1/conflicts_pb.js";
import type { Conflict as DomainConflict } from "../../node/conflicts/conflict.js";
import { getConflict, listConflicts } from "../../node/conflicts/list-conflicts.js";
import { resolveConflict } from "../../node/conflicts/resolve-conflict.js";
import type { NodeContext } from "../../node/node-context.js";
import { principalOf } from "./auth-interceptor.js";
import { toProtoFact, valueDraftFromProto } from "./fact-mapping.js";

function toProtoConflict(c: DomainConflict): Conflict {
  return create(ConflictSchema, {
    conflictId: c.conflictId,
    factA: toProtoFact(c.factA),
    factB: toProtoFact(c.factB),
    status: c.status === "resolved" ? ConflictStatus.RESOLVED : ConflictStatus.UNRESOLVED,
    resolvedBy: c.resolvedBy ?? undefined,
    detectedAt: c.detectedAt,
    entity: c.entity,
    relation: c.relation,
    scope: c.scope,
    resolutionNote: c.resolutionNote ?? undefined,
    resolver: c.resolver ?? undefined,
    resolvedAt: c.resolvedAt ?? undefined,
  });
}

export function conflictService(node: NodeContext): Partial<ServiceImpl<typeof ConflictService>> {
  return {
    listConflicts(req, ctx) {
      const status =
        req.status === ConflictStatus.RESOLVED ? "resolved" : req.status === ConflictStatus.UNRESOLVED ? "unresolved" : undefined;
      const result = listConflicts(node, principalOf(ctx), {
        status,
        cursor: req.cursor,
        limit: req.limit === 0 ? undefined : req.limit,
      });
      return create(ListConflictsResponseSchema, {
        conflicts: result.conflicts.map(toProtoConflict),
        cursor: result.cursor ?? undefined,
        hasMore: result.hasMore,
        // int64 on the wire; protobuf-es represents it as bigint.
        total: BigInt(result.total),
      });
    },
    getConflict(req, ctx) {
      return create(GetConflictResponseSchema, {
        conflict: toProtoConflict(getConflict(node, principalOf(ctx), req.conflictId)),
      });
    },
    async resolveConflict(req, ctx) {
      const result = await resolveConflict(node, principalOf(ctx), req.conflictId, {
        resolutionNote: req.resolutionNote === "" ? undefined : req.resolutionNote,
        winningFactId: req.resolution.case === "winningFactId" ? req.resolution.value : undefined,
        newValue: req.resolution.case === "newValue" ? valueDraftFromProto(req.resolution.value) : undefined,
      });
      return create(ResolveConflictResponseSchema, {
        resolutionFactId: result.resolutionFactId,
        conflictStatus: ConflictStatus.RESOLVED,
      });
    },
  };
}
