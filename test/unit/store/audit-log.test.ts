/**
 * Audit entry ids: UUIDv7, in the order of the entries, so the id index only
 * grows at its end; the hash chain still verifies.
 */
import { describe, expect, it } from "vitest";
import { AuditLog } from "../../../src/store/audit-log.js";
import { useTempDatabase } from "../../helpers/temp-database.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("AuditLog", () => {
  const db = useTempDatabase("stigmem-audit");

  it("gives each entry a time-ordered UUIDv7 id and keeps the chain valid", () => {
    const log = new AuditLog(db());
    const entries = Array.from({ length: 50 }, () => log.appendNow({ eventType: "fact_write", actor: "user:alice", outcome: "success" }));
    for (const e of entries) expect(e.id).toMatch(UUID_V7);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    expect(log.verify()).toMatchObject({ valid: true, checked_entries: 50 });
  });

  it("orders ids by the entries' time", () => {
    const log = new AuditLog(db());
    const base = Date.parse("2026-11-21T12:00:00Z");
    const append = (ms: number) => db().transaction(() => log.append({ eventType: "key_created", actor: null, outcome: "success" }, ms))();
    const ids = [0, 1, 2, 1000, 60_000].map((dt) => append(base + dt).id);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.slice(0, 13).replace("-", "")).toBe(base.toString(16).padStart(12, "0"));
  });
});
