/**
 * `POST /v1/facts` and `FactService.AssertFact`: one write, one transaction
 * (fact, projections, conflicts, fact-chain link, clock, audit entry).
 *
 * @module
 */
import type { Principal } from "../principal.js";
import type { StigmemNode } from "../stigmem-node.js";
import { parseAssertInput } from "./assert-input.js";
import { authorizeWrite } from "./authorize-write.js";
import { toFactRecord, type FactRecord } from "./fact-record.js";
import { writeLocalFact } from "./write-fact.js";

export interface AssertResult {
  fact: FactRecord;
  /** The same fact was already the head of its chain: nothing was written. */
  deduplicated: boolean;
}

export async function assertFact(node: StigmemNode, principal: Principal, body: unknown): Promise<AssertResult> {
  const input = parseAssertInput(body);
  authorizeWrite(principal, input);
  const now = Date.now();
  const outcome = await node.writes.submit(() => {
    const out = writeLocalFact(node, input, principal.entityUri, now);
    if (!out.deduplicated) {
      node.stores.audit.append({
        eventType: input.confidence > 0 ? "fact_write" : "fact_retract",
        actor: principal.entityUri,
        outcome: "success",
        scope: input.scope,
        factId: out.row.id,
        detail: { cid: out.row.cid, entity: input.entity, relation: input.relation, conflicts: out.conflicts },
      }, now);
      for (const conflictId of out.conflicts) {
        node.stores.audit.append({
          eventType: "conflict_detected",
          actor: principal.entityUri,
          outcome: "success",
          scope: input.scope,
          factId: out.row.id,
          detail: { conflict_id: conflictId },
        }, now);
      }
    }
    return out;
  });
  if (!outcome.deduplicated) node.factEvents.emit([outcome.row]);
  return { fact: toFactRecord(outcome.row, now, true), deduplicated: outcome.deduplicated };
}
