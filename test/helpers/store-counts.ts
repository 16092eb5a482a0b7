/**
 * A fingerprint of what a node has stored, for asserting that refused
 * requests stored nothing: row counts of the tables writes touch, plus the
 * audit entries that record a change. Audit entries that record a refusal
 * (`permission_denied`, `auth_failed`: protocol.md §11 audits those on
 * purpose) are left out.
 *
 * @module
 */
import type { Database } from "better-sqlite3";

export interface StoreCounts {
  readonly facts: number;
  readonly factChain: number;
  readonly conflicts: number;
  readonly keys: number;
  readonly idempotencyKeys: number;
  readonly successfulAudit: number;
}

export function storeCounts(db: Database): StoreCounts {
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    facts: count("SELECT count(*) AS n FROM facts"),
    factChain: count("SELECT count(*) AS n FROM fact_chain"),
    conflicts: count("SELECT count(*) AS n FROM conflicts"),
    keys: count("SELECT count(*) AS n FROM api_keys"),
    idempotencyKeys: count("SELECT count(*) AS n FROM idempotency_keys"),
    successfulAudit: count("SELECT count(*) AS n FROM audit_log WHERE outcome = 'success'"),
  };
}
