/** SQLite failure codes → the storage failures the application layer acts on, and their AppError codes. */
import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/node/app-error.js";
import { classifySqliteError } from "../../../src/store/sqlite-error.js";

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe("classifySqliteError", () => {
  it.each([
    ["SQLITE_BUSY", "busy", "unavailable"],
    ["SQLITE_BUSY_SNAPSHOT", "busy", "unavailable"],
    ["SQLITE_LOCKED_SHAREDCACHE", "busy", "unavailable"],
    ["SQLITE_FULL", "full", "storage_full"],
    ["SQLITE_CONSTRAINT_UNIQUE", "constraint", "write_conflict"],
    ["SQLITE_CONSTRAINT_TRIGGER", "constraint", "write_conflict"],
    ["SQLITE_READONLY", "fault", "internal"],
    ["SQLITE_IOERR_WRITE", "fault", "internal"],
    ["SQLITE_CORRUPT", "fault", "internal"],
  ])("%s is %s, answered as %s", (code, kind, errCode) => {
    const e = sqliteError(code);
    expect(classifySqliteError(e)?.kind).toBe(kind);
    const app = AppError.from(e);
    expect(app.code).toBe(errCode);
    expect(app.cause).toBe(e);
  });

  it("suggests a retry only for a busy database", () => {
    expect(AppError.from(sqliteError("SQLITE_BUSY")).retryAfterS).toBe(1);
    expect(AppError.from(sqliteError("SQLITE_FULL")).retryAfterS).toBeUndefined();
  });

  it.each([new Error("plain"), { code: "ECONNRESET" }, null, "SQLITE_BUSY"])("leaves %o alone", (e) => {
    expect(classifySqliteError(e)).toBeUndefined();
    expect(AppError.from(e).code).toBe("internal");
  });
});
