/**
 * `GET /v1/facts/{id or sha256:cid}` and `POST /v1/facts/{id}/verify-cid`
 * (protocol.md §4). A fact the caller may not read is reported exactly like
 * one that does not exist.
 *
 * @module
 */
import { isCidString } from "../../core/cid.js";
import type { FactRow } from "../../store/fact-store.js";
import { CID_MATCH, FACT_COLUMNS, FACT_JOINS } from "../../store/fact-store.js";
import { AppError } from "../app-error.js";
import { requirePermission, scopeAllowed, type Principal } from "../principal.js";
import type { StigmemNode } from "../stigmem-node.js";
import { isRecord } from "../validation.js";
import { toFactRecord, type FactRecord } from "./fact-record.js";
import { recomputeCid, verifyOne } from "./read-integrity.js";

export interface VerifyCidResult {
  cid_valid: boolean;
  computed_cid: string;
  stored_cid: string;
  mismatch_reason: string | null;
}

/** A readable row by id, or by CID (the newest readable row with that CID). */
function findReadable(node: StigmemNode, principal: Principal, idOrCid: string): FactRow {
  let row: FactRow | undefined;
  if (idOrCid.startsWith("sha256:")) {
    if (!isCidString(idOrCid)) {
      throw new AppError("cid_malformed", "a CID is sha256: followed by 64 lowercase hex digits", {
        details: { cid: idOrCid },
      });
    }
    const scopes = principal.allowedScopes;
    const params: Record<string, unknown> = { cid: idOrCid };
    let scopeSql = "";
    if (scopes !== null) {
      scopeSql = `AND f.scope IN (${scopes.map((s, i) => ((params[`s${i}`] = s), `@s${i}`)).join(", ") || "NULL"})`;
    }
    row = node.stores.facts.get<FactRow>(
      `SELECT ${FACT_COLUMNS} FROM facts f ${FACT_JOINS} WHERE ${CID_MATCH} ${scopeSql}
       ORDER BY f.hlc_w DESC, f.hlc_c DESC LIMIT 1`,
      params,
    );
  } else {
    row = node.stores.facts.byId(idOrCid);
    if (row !== undefined && !scopeAllowed(principal, row.scope)) row = undefined;
  }
  if (row === undefined) throw new AppError("not_found", `no fact ${idOrCid}`);
  return row;
}

export function getFact(node: StigmemNode, principal: Principal, idOrCid: string): FactRecord {
  requirePermission(principal, "read");
  const row = verifyOne(node, findReadable(node, principal, idOrCid), principal.entityUri);
  return toFactRecord(row, Date.now());
}

/** Recomputes a fact's CID; an optional `{cid}` body is compared too. */
export function verifyFactCid(node: StigmemNode, principal: Principal, id: string, body: unknown): VerifyCidResult {
  requirePermission(principal, "read");
  const row = findReadable(node, principal, id);
  const computed = recomputeCid(row);
  const claimed = isRecord(body) && typeof body.cid === "string" ? body.cid : undefined;
  let reason: string | null = null;
  if (computed !== row.cid) reason = "stored CID does not match the fact's content";
  else if (claimed !== undefined && claimed !== computed) reason = "the CID in the request does not match the fact";
  return { cid_valid: reason === null, computed_cid: computed, stored_cid: row.cid, mismatch_reason: reason };
}
