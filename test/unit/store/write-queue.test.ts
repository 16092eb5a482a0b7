/**
 * Group commit: jobs of one turn share a transaction, a failing job is
 * isolated in its savepoint, and promises settle only after the commit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { WriteQueue } from "../../../src/store/write-queue.js";

function setup() {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (v TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const rows = () => (db.prepare("SELECT v FROM t ORDER BY rowid").all() as { v: string }[]).map((r) => r.v);
  return { db, insert, rows, queue: new WriteQueue(db) };
}

describe("WriteQueue", () => {
  it("commits the writes of one turn together, in submission order", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-wq-"));
    const file = path.join(dir, "q.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (v TEXT NOT NULL)");
    const observer = new Database(file, { readonly: true });
    const committed = () => (observer.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n;
    const queue = new WriteQueue(db);
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const seenByOthers: number[] = [];
    const work = (v: string) => () => {
      insert.run(v);
      seenByOthers.push(committed());
      return v;
    };
    const results = Promise.all([queue.submit(work("a")), queue.submit(work("b")), queue.submit(work("c"))]);
    expect(await results).toEqual(["a", "b", "c"]);
    // While the jobs ran, another connection saw none of them: one transaction.
    expect(seenByOthers).toEqual([0, 0, 0]);
    expect(committed()).toBe(3);
    observer.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("rolls back only the job that throws", async () => {
    const { insert, rows, queue } = setup();
    const ok = queue.submit(() => insert.run("kept"));
    const bad = queue.submit(() => {
      insert.run("undone");
      throw new Error("boom");
    });
    const after = queue.submit(() => insert.run("also kept"));
    await expect(bad).rejects.toThrow("boom");
    await ok;
    await after;
    expect(rows()).toEqual(["kept", "also kept"]);
  });

  it("rejects every job when the commit itself fails", async () => {
    const { db, insert, rows, queue } = setup();
    // A deferred constraint fails at COMMIT, after every job succeeded.
    db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    db.pragma("foreign_keys = ON");
    const a = queue.submit(() => insert.run("a"));
    const b = queue.submit(() => db.prepare("INSERT INTO c (p) VALUES (42)").run());
    await expect(a).rejects.toThrow(/FOREIGN KEY/);
    await expect(b).rejects.toThrow(/FOREIGN KEY/);
    expect(rows()).toEqual([]);
  });

  it("starts a new transaction for work submitted later", async () => {
    const { insert, rows, queue } = setup();
    await queue.submit(() => insert.run("first"));
    await queue.submit(() => insert.run("second"));
    expect(rows()).toEqual(["first", "second"]);
  });

  it("commits at once when as many writers as last time are back, without waiting out the linger", async () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (v TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    // A linger far beyond the test's timeout: only the early flush can finish it.
    const queue = new WriteQueue(db, { lingerMs: 3_600_000 });
    await Promise.all([queue.submit(() => insert.run("a")), queue.submit(() => insert.run("b"))]);
    await Promise.all([queue.submit(() => insert.run("c")), queue.submit(() => insert.run("d"))]);
    expect((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(4);
  });

  it("does not count a rider among the writers a lingering commit waits for", async () => {
    const { db, insert, rows } = setup();
    const queue = new WriteQueue(db, { lingerMs: 3_600_000 });
    // Two writers and a rider share a commit; two writers again flush early.
    // Counted as a writer, the rider would make the second commit wait an hour.
    await Promise.all([queue.submit(() => insert.run("a")), queue.ride(() => insert.run("r")), queue.submit(() => insert.run("b"))]);
    await Promise.all([queue.submit(() => insert.run("c")), queue.submit(() => insert.run("d"))]);
    expect(rows()).toEqual(["a", "r", "b", "c", "d"]);
  });

  it("commits a rider alone when no writer comes", async () => {
    const { insert, rows, queue } = setup();
    await queue.ride(() => insert.run("alone"));
    expect(rows()).toEqual(["alone"]);
  });

  it("runs beforeCommit once per transaction, after every job and inside it", async () => {
    const { db, insert, rows } = setup();
    const seen: string[][] = [];
    const queue = new WriteQueue(db, { beforeCommit: () => seen.push(rows()) });
    await Promise.all([queue.submit(() => insert.run("x")), queue.submit(() => insert.run("y"))]);
    expect(seen).toEqual([["x", "y"]]);
  });
});
