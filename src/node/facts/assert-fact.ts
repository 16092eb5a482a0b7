/**
 * `POST /v1/facts` and `FactService.AssertFact`: one write, one transaction
 * (fact, projections, conflicts, fact-chain link, clock, audit entry).
 *
 * @module
 */
import type { NodeContext } from "../node-context.js";
import type { Principal } from "../principal.js";
import { parseAssertInput, type AssertDraft } from "./assert-input.js";
import { authorizeWrite } from "./authorize-write.js";
import { toFact, type Fact } from "./fact.js";

export interface AssertResult {
  readonly fact: Fact;
  /** The same fact was already the head of its chain: nothing was written. */
  readonly deduplicated: boolean;
}

export async function assertFact(node: NodeContext, principal: Principal, draft: AssertDraft): Promise<AssertResult> {
  const input = parseAssertInput(draft);
  authorizeWrite(principal, input);
  const now = Date.now();
  const outcome = await node.writes.submit(() =>
    node.applier.apply(input, { kind: "local", actor: principal.entityUri }, now, { auditWrite: true }),
  );
  return { fact: toFact(outcome.row, now, true), deduplicated: outcome.deduplicated };
}
