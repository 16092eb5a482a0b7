/**
 * `POST /v1/conflicts/{id}/resolve` and `ConflictService.ResolveConflict`
 * (protocol.md §6 Resolution). Additive, in one transaction: overrule the
 * facts of the pair whose value differs from the decision, write the
 * decision as a normal fact on the original triple (source = the resolver),
 * close the record with its note, audit `conflict_resolved`.
 *
 * @module
 */
import { valueKey } from "../../core/contradiction.js";
import { parseInterpretAs, parseValueType, toValueV, type InterpretAs, type ValueType } from "../../core/values.js";
import type { FactRow } from "../../store/fact-store.js";
import { AppError } from "../app-error.js";
import type { AssertInput } from "../facts/assert-input.js";
import { authorizeWrite } from "../facts/authorize-write.js";
import { visibilityOf } from "../access/read-policy.js";
import { accessCondition } from "../access/read-rules.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { isRecord, optionalString, Violations } from "../validation.js";

export interface ResolveResult {
  readonly resolutionFactId: string;
  readonly conflictStatus: "resolved";
}

/** A resolution as received from either transport, unchecked: exactly one of the winner or a new value. */
export interface ResolveDraft {
  readonly winningFactId?: unknown;
  readonly newValue?: unknown;
  readonly resolutionNote?: unknown;
}

export async function resolveConflict(
  node: NodeContext,
  principal: Principal,
  id: string,
  body: ResolveDraft,
): Promise<ResolveResult> {
  const v = new Violations();
  if (!isRecord(body)) {
    v.add(["body"], "Input should be a valid dictionary", "dict_type");
    v.throwIfAny();
  }
  const req = body as Record<string, unknown>;
  const winningId = optionalString(v, req, "winningFactId", ["body"]);
  const note = optionalString(v, req, "resolutionNote", ["body"]) ?? null;
  const newValue = req.newValue ?? undefined;
  if ((winningId === undefined) === (newValue === undefined)) {
    v.add(["body"], "Give exactly one of winning_fact_id and new_value", "value_error");
  }
  let decided: { type: ValueType; valueV: string; interpretAs: InterpretAs } | undefined;
  if (newValue !== undefined) {
    if (!isRecord(newValue)) v.add(["body", "newValue"], "Input should be a valid dictionary", "dict_type");
    else {
      const type = v.capture(["body", "newValue", "type"], () => parseValueType(newValue.type));
      const interpretAs = v.capture(["body", "newValue", "interpretAs"], () => parseInterpretAs(newValue.interpretAs));
      const valueV = type === undefined ? undefined : v.capture(["body", "newValue", "v"], () => toValueV({ type, v: newValue.v }));
      if (type !== undefined && valueV !== undefined && interpretAs !== undefined) decided = { type, valueV, interpretAs };
    }
  }
  v.throwIfAny();

  // A conflict the caller may not read is one it cannot know of; writing on the triple is checked below.
  const conflict = node.stores.conflicts.readableById(id, accessCondition(visibilityOf(principal)));
  if (conflict === undefined) throw new AppError("not_found", `no conflict ${id}`);
  const pair = [node.stores.facts.byRowid(conflict.fact_a_rowid)!, node.stores.facts.byRowid(conflict.fact_b_rowid)!];
  let winner: FactRow | undefined;
  if (winningId !== undefined) {
    winner = pair.find((f) => f.id === winningId);
    if (winner === undefined) {
      v.add(["body", "winning_fact_id"], "winning_fact_id must be one of the conflict's two facts", "value_error");
      v.throwIfAny();
    }
    decided = { type: winner!.value_type as ValueType, valueV: winner!.value_v, interpretAs: winner!.interpret_as as InterpretAs };
  }
  const decision = decided!;
  const input: AssertInput = {
    entity: conflict.entity,
    relation: conflict.relation,
    valueType: decision.type,
    valueV: decision.valueV,
    interpretAs: decision.interpretAs,
    source: principal.entityUri,
    confidence: 1.0,
    scope: conflict.scope as AssertInput["scope"],
    validUntil: null,
    validUntilMs: null,
    gardenId: winner?.garden_id ?? null,
    writeMode: "resolve",
    derivedFrom: [],
  };
  // "write on the triple": the caller must be allowed to write this fact.
  authorizeWrite(principal, input);

  const now = Date.now();
  return node.writes.submit((): ResolveResult => {
    if (node.stores.conflicts.byId(id)?.status !== "unresolved") {
      throw new AppError("conflict_already_resolved", `conflict ${id} is already resolved`, { details: { conflict_id: id } });
    }
    const decidedKey = valueKey(decision.type, decision.valueV);
    const losers = pair.filter((f) => valueKey(f.value_type, f.value_v) !== decidedKey);
    // Take the losers out of the view first, so the decision does not itself
    // conflict with what it overrules.
    for (const f of losers) if (f.is_head) node.stores.facts.markHeadDead(f);
    const out = node.applier.apply(input, { kind: "local", actor: principal.entityUri }, now, { auditWrite: false });
    for (const f of losers) node.stores.facts.overrule(f.rowid, id, out.row.id);
    node.stores.conflicts.resolve({
      conflict_id: id,
      resolved_by: out.row.id,
      resolution_note: note,
      resolver: principal.entityUri,
      resolved_at: out.row.timestamp,
    });
    node.stores.audit.append(
      {
        eventType: "conflict_resolved",
        actor: principal.entityUri,
        outcome: "success",
        scope: conflict.scope,
        factId: out.row.id,
        detail: { conflict_id: id, overruled: losers.map((f) => f.id), note },
      },
      now,
    );
    return { resolutionFactId: out.row.id, conflictStatus: "resolved" };
  });
}
