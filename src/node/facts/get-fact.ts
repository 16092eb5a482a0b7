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
import { isRecord } from "../validation.js";
import { toFactRecord, type FactRecord } from "./fact-record.js";
import { recomputeCid, verifyOne } from "./read-integrity.js";

export interface VerifyCidResult {
  cid_valid: boolean;
  computed_cid: string;
  stored_cid: string;
  mismatch_reason: string | null;
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

export function getFact(node: NodeContext, principal: Principal, idOrCid: string): FactRecord {
  const policy = readPolicyFor(principal);
  const row = verifyOne(node.stores.audit, findReadable(node, policy, idOrCid), policy.actor);
  return toFactRecord(row, Date.now());
}

/** Recomputes a fact's CID; an optional `{cid}` body is compared too. */
export function verifyFactCid(node: NodeContext, principal: Principal, id: string, body: unknown): VerifyCidResult {
  const row = findReadable(node, readPolicyFor(principal), id);
  const computed = recomputeCid(row);
  const claimed = isRecord(body) && typeof body.cid === "string" ? body.cid : undefined;
  let reason: string | null = null;
  if (computed !== row.cid) reason = "stored CID does not match the fact's content";
  else if (claimed !== undefined && claimed !== computed) reason = "the CID in the request does not match the fact";
  return { cid_valid: reason === null, computed_cid: computed, stored_cid: row.cid, mismatch_reason: reason };
}
