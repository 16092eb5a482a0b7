/**
 * `GET /v1/facts/{id or sha256:cid}` and `POST /v1/facts/{id}/verify-cid`
 * (protocol.md §4). A fact the caller may not read is reported exactly like
 * one that does not exist.
 *
 * @module
 */
import { isCidString } from "../../core/cid.js";
import type { FactRow } from "../../store/fact-store.js";
import { readPolicyFor, type ReadPolicy } from "../access/read-policy.js";
import { readCondition } from "../access/read-rules.js";
import { AppError } from "../app-error.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { toFact, type Fact } from "./fact.js";
import { recomputeCid, verifyOne } from "./read-integrity.js";

export interface VerifyCidResult {
  readonly cidValid: boolean;
  readonly computedCid: string;
  readonly storedCid: string;
  readonly mismatchReason: string | null;
}

/** A readable row by id, or by CID (the newest readable row with that CID), in any state. */
function findReadable(node: NodeContext, policy: ReadPolicy, idOrCid: string): FactRow {
  const readable = readCondition(policy, { kind: "history", nowMs: Date.now() });
  let row: FactRow | undefined;
  if (idOrCid.startsWith("sha256:")) {
    if (!isCidString(idOrCid)) {
      throw new AppError("cid_malformed", "a CID is sha256: followed by 64 lowercase hex digits", {
        details: { cid: idOrCid },
      });
    }
    row = node.stores.facts.newestReadableByCid(idOrCid, readable);
  } else {
    row = node.stores.facts.readableById(idOrCid, readable);
  }
  if (row === undefined) throw new AppError("not_found", `no fact ${idOrCid}`);
  return row;
}

export function getFact(node: NodeContext, principal: Principal, idOrCid: string): Fact {
  const policy = readPolicyFor(principal);
  const row = verifyOne(node.stores.audit, findReadable(node, policy, idOrCid), policy.actor);
  return toFact(row, Date.now());
}

/** Recomputes a fact's CID; a CID the caller claims for it is compared too. */
export function verifyFactCid(node: NodeContext, principal: Principal, id: string, claimed?: string): VerifyCidResult {
  const row = findReadable(node, readPolicyFor(principal), id);
  const computed = recomputeCid(row);
  let reason: string | null = null;
  if (computed !== row.cid) reason = "stored CID does not match the fact's content";
  else if (claimed !== undefined && claimed !== computed) reason = "the CID in the request does not match the fact";
  return { cidValid: reason === null, computedCid: computed, storedCid: row.cid, mismatchReason: reason };
}
