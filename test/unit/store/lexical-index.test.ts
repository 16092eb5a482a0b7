/**
 * The full-text index follows the facts a commit keeps: once per group
 * commit, only rows that survived their savepoint, each exactly once, and
 * FTS5 gets one segment per commit rather than one per fact.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WriteQueue } from "../../../src/store/write-queue.js";
import { openDatabase, type Db } from "../../../src/store/database.js";
import { LexicalIndex } from "../../../src/store/lexical-index.js";

let dir: string;
let db: Db;
let lexical: LexicalIndex;
let queue: WriteQueue;
let hlc = 0;

function insertFact(value: string): number {
  hlc += 1;
  return Number(
    db
      .prepare(
        `INSERT INTO facts (id, entity, relation, value_type, value_v, interpret_as, source, confidence, scope,
           timestamp, hlc_w, hlc_c, origin_hlc_w, origin_hlc_c, cid)
         VALUES (?, 'user:dana', 'memory:note', 'string', ?, 'content', 'agent:a', 1, 'company',
           '2026-11-21T00:00:00Z', ?, 0, ?, 0, ?)`,
      )
      .run(`id-${hlc}`, value, hlc, hlc, `sha256:${hlc}`).lastInsertRowid,
  );
}

const matching = (word: string): number[] =>
  (db.prepare("SELECT rowid FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rowid").all(word) as { rowid: number }[]).map(
    (r) => r.rowid,
  );
const indexed = (): number => (db.prepare("SELECT count(*) AS n FROM facts_fts_docsize").get() as { n: number }).n;
const segments = (): number =>
  (db.prepare("SELECT count(*) AS n FROM facts_fts_data WHERE id > 10").get() as { n: number }).n;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-lexical-"));
  db = openDatabase(path.join(dir, "t.db"));
  lexical = new LexicalIndex(db);
  queue = new WriteQueue(db, { beforeCommit: () => lexical.catchUp() });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("LexicalIndex", () => {
  it("indexes the facts of a group commit, never those of a job that rolled back", async () => {
    const results = await Promise.allSettled([
      queue.submit(() => insertFact("alpha")),
      queue.submit(() => {
        insertFact("beta");
        throw new Error("job fails after its insert");
      }),
      // Reuses the rolled-back job's rowid: it must be indexed with its own text.
      queue.submit(() => insertFact("gamma")),
    ]);
    const [alpha, , gamma] = results.map((r) => (r.status === "fulfilled" ? r.value : undefined));
    expect(results[1].status).toBe("rejected");
    expect(matching("alpha")).toEqual([alpha]);
    expect(matching("beta")).toEqual([]);
    expect(matching("gamma")).toEqual([gamma]);
    expect(indexed()).toBe(2);
  });

  it("indexes each fact once across commits and catches up on facts written outside the queue", async () => {
    await queue.submit(() => insertFact("first"));
    const outside = db.transaction(() => insertFact("outside"))();
    expect(matching("outside")).toEqual([]);
    expect(lexical.catchUp()).toBe(1);
    expect(lexical.catchUp()).toBe(0);
    await queue.submit(() => insertFact("second"));
    expect(matching("outside")).toEqual([outside]);
    expect(indexed()).toBe(3);
  });

  it("writes far fewer segments than facts for a commit of many facts", async () => {
    await queue.submit(() => {
      for (let i = 0; i < 200; i += 1) insertFact(`word${i} shared`);
    });
    expect(matching("shared")).toHaveLength(200);
    expect(segments()).toBeLessThan(5);
  });
});
