import type { Migration } from "../migrate.js";

/**
 * The hash-chained, append-only audit log (protocol.md §11). Triggers make
 * tampering through SQL fail loudly; `entry_hash` chaining makes tampering
 * with the file detectable by /v1/audit/verify.
 */
export const m002AuditLog: Migration = {
  version: 2,
  name: "audit_log",
  sql: `
    CREATE TABLE audit_log (
      seq        INTEGER PRIMARY KEY,
      id         TEXT NOT NULL UNIQUE,
      ts         TEXT NOT NULL,
      event_type TEXT NOT NULL,
      actor      TEXT,
      tenant_id  TEXT NOT NULL,
      scope      TEXT,
      fact_id    TEXT,
      peer_id    TEXT,
      outcome    TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'rejected', 'error')),
      detail     TEXT NOT NULL,
      prev_hash  TEXT,
      entry_hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_log_event_type ON audit_log (event_type, seq);
    CREATE INDEX audit_log_actor ON audit_log (actor, seq);
    CREATE INDEX audit_log_fact_id ON audit_log (fact_id, seq) WHERE fact_id IS NOT NULL;
    CREATE INDEX audit_log_peer_id ON audit_log (peer_id, seq) WHERE peer_id IS NOT NULL;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
};
