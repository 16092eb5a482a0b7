/**
 * A real SQLite database in a fresh temp folder for the tests of one
 * `describe` block: opened (migrations applied) before its tests, closed
 * and deleted after them.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Db } from "../../src/store/database.js";

/** Registers the hooks; call the returned function inside a test to get the open database. */
export function useTempDatabase(prefix: string): () => Db {
  let dir: string | undefined;
  let db: Db | undefined;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    db = openDatabase(path.join(dir, "t.db"));
  });
  afterAll(() => {
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (db === undefined) throw new Error("useTempDatabase: the database is only open inside the block's tests");
    return db;
  };
}
