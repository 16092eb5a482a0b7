/**
 * `auth_failed` is coalesced per IP per clock minute: the first failure of
 * an address in a minute is written, later ones are counted in memory and
 * reported by that address's next entry.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FailedAuthLog } from "../../src/node/auth/failed-auth-log.js";
import { AuditLog } from "../../src/store/audit-log.js";
import { openDatabase, type Db } from "../../src/store/database.js";

const MINUTE = 60_000;
const T0 = Date.parse("2030-01-01T00:00:00Z");

let dir: string;
let db: Db;
let now: number;
let log: FailedAuthLog;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-authfail-"));
  db = openDatabase(path.join(dir, "stigmem.db"));
  now = T0;
  log = new FailedAuthLog(new AuditLog(db), () => now);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function entries(): { actor: string | null; outcome: string; detail: Record<string, unknown> }[] {
  return (db.prepare("SELECT actor, outcome, detail FROM audit_log WHERE event_type = 'auth_failed' ORDER BY seq").all() as {
    actor: string | null;
    outcome: string;
    detail: string;
  }[]).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

const fail = (ip: string) => log.record({ ip, reason: "invalid_api_key", actor: "anon:public", keyId: null });

describe("FailedAuthLog", () => {
  it("writes the first failure per IP per minute and counts the rest", () => {
    fail("10.0.0.1");
    now += 1_000;
    fail("10.0.0.1");
    fail("10.0.0.1");
    expect(entries()).toHaveLength(1);
    expect(log.suppressed("10.0.0.1")).toBe(2);

    fail("10.0.0.2");
    expect(entries()).toHaveLength(2);

    now = T0 + MINUTE;
    fail("10.0.0.1");
    const all = entries();
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({
      actor: "anon:public",
      outcome: "denied",
      detail: { ip: "10.0.0.1", reason: "invalid_api_key", key_id: null, suppressed_since_last: 0 },
    });
    expect(all[2]!.detail.suppressed_since_last).toBe(2);
    expect(log.suppressed("10.0.0.1")).toBe(0);
  });

  it("windows are clock minutes, not sliding: 59 s then 61 s are two entries", () => {
    now = T0 + 59_000;
    fail("10.0.0.3");
    now = T0 + 61_000;
    fail("10.0.0.3");
    expect(entries()).toHaveLength(2);
  });

  it("still writes one entry per address and minute after old windows are swept", () => {
    for (let i = 0; i < 1_000; i++) fail(`10.1.${i >> 8}.${i & 255}`);
    now += MINUTE;
    fail("10.9.9.9");
    fail("10.1.0.0");
    expect(entries()).toHaveLength(1_002);
  });
});
