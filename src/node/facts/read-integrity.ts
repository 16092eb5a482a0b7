/**
 * Read verification (protocol.md §4): every row served is re-hashed; a row
 * whose CID no longer matches its content is never served as if it were
 * fine. Single reads fail with 409 `cid_mismatch`; lists drop the row and
 * flag the response degraded. Every mismatch is audited.
 *
 * @module
 */
import { computeCid, type CidInput } from "../../core/cid.js";
import type { FactRow } from "../../store/fact-store.js";
import type { AuditLog } from "../../store/audit-log.js";
import { AppError } from "../app-error.js";

/** The CID the row's content hashes to now. */
export function recomputeCid(row: FactRow): string {
  return computeCid({
    entity: row.entity,
    relation: row.relation,
    value_type: row.value_type as CidInput["value_type"],
    value_v: row.value_v,
    source: row.source,
    confidence: row.confidence,
    scope: row.scope as CidInput["scope"],
  });
}

function auditMismatch(audit: AuditLog, row: FactRow, computed: string, actor: string): void {
  audit.appendNow({
    eventType: "cid_mismatch",
    actor,
    outcome: "error",
    scope: row.scope,
    factId: row.id,
    detail: { stored_cid: row.cid, computed_cid: computed },
  });
}

/** @throws AppError cid_mismatch (409) when the row fails verification. */
export function verifyOne(audit: AuditLog, row: FactRow, actor: string): FactRow {
  const computed = recomputeCid(row);
  if (computed !== row.cid) {
    auditMismatch(audit, row, computed, actor);
    throw new AppError("cid_mismatch", "the stored fact does not match its content identifier", {
      details: { fact_id: row.id, computed_cid: computed, stored_cid: row.cid },
    });
  }
  return row;
}

/** Drops rows that fail verification; `degraded` tells the transport to say so. */
export function verifyMany(audit: AuditLog, rows: FactRow[], actor: string): { rows: FactRow[]; degraded: boolean } {
  const ok: FactRow[] = [];
  let degraded = false;
  for (const row of rows) {
    const computed = recomputeCid(row);
    if (computed === row.cid) ok.push(row);
    else {
      degraded = true;
      auditMismatch(audit, row, computed, actor);
    }
  }
  return { rows: ok, degraded };
}
