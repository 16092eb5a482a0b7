/**
 * `POST /v1/facts` and `FactService.AssertFact`: one write, one transaction
 * (fact, projections, conflicts, fact-chain link, clock, audit entry).
 *
 * @module
 */
import type { NodeContext } from "../node-context.js";
import type { Principal } from "../principal.js";
import { parseAssertInput } from "./assert-input.js";
import { authorizeWrite } from "./authorize-write.js";
import { toFactRecord, type FactRecord } from "./fact-record.js";

export interface AssertResult {
  fact: FactRecord;
  /** The same fact was already the head of its chain: nothing was written. */
  deduplicated: boolean;
}

export async function assertFact(node: NodeContext, principal: Principal, body: unknown): Promise<AssertResult> {
  const input = parseAssertInput(body);
  authorizeWrite(principal, input);
  const now = Date.now();
  const outcome = await node.writes.submit(() =>
    node.applier.apply(input, { kind: "local", actor: principal.entityUri }, now, { auditWrite: true }),
  );
  return { fact: toFactRecord(outcome.row, now, true), deduplicated: outcome.deduplicated };
}
