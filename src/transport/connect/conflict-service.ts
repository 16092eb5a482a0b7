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
import type { ConflictRecord } from "../../node/conflicts/conflict-record.js";
import { getConflict, listConflicts } from "../../node/conflicts/list-conflicts.js";
import { resolveConflict } from "../../node/conflicts/resolve-conflict.js";
import type { NodeContext } from "../../node/node-context.js";
import { principalOf } from "./auth-interceptor.js";
import { fromProtoValue, toProtoFact } from "./fact-mapping.js";

function toProtoConflict(c: ConflictRecord): Conflict {
  return create(ConflictSchema, {
    conflictId: c.conflict_id,
    factA: toProtoFact(c.fact_a),
    factB: toProtoFact(c.fact_b),
    status: c.status === "resolved" ? ConflictStatus.RESOLVED : ConflictStatus.UNRESOLVED,
    resolvedBy: c.resolved_by ?? undefined,
    detectedAt: c.detected_at,
    entity: c.entity,
    relation: c.relation,
    scope: c.scope,
    resolutionNote: c.resolution_note ?? undefined,
    resolver: c.resolver ?? undefined,
    resolvedAt: c.resolved_at ?? undefined,
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
        hasMore: result.has_more,
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
      const body: Record<string, unknown> = {
        resolution_note: req.resolutionNote === "" ? undefined : req.resolutionNote,
      };
      if (req.resolution.case === "winningFactId") body.winning_fact_id = req.resolution.value;
      if (req.resolution.case === "newValue") body.new_value = fromProtoValue(req.resolution.value);
      const result = await resolveConflict(node, principalOf(ctx), req.conflictId, body);
      return create(ResolveConflictResponseSchema, {
        resolutionFactId: result.resolution_fact_id,
        conflictStatus: ConflictStatus.RESOLVED,
      });
    },
  };
}
