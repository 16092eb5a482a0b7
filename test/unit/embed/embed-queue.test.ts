/**
 * The embedding queue stores vectors through the commit function it is
 * given (a node passes its group commit), and a wake-up waits its delay so a
 * stream of small commits is embedded together.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmbedQueue } from "../../../src/embed/embed-queue.js";
import { loadOfflineEmbedder } from "../../../src/embed/offline-embedder.js";
import { VectorStore } from "../../../src/store/vector-store.js";
import { openDatabase, type Db } from "../../../src/store/database.js";
import { EMBED_CACHE_DIR } from "../../helpers/embed-cache.js";

let dir: string;
let db: Db;
let store: VectorStore;
const { embedder } = loadOfflineEmbedder(EMBED_CACHE_DIR);
const log = pino({ level: "silent" });

function insertFacts(values: string[]): void {
  const insert = db.prepare(
    `INSERT INTO facts (id, entity, relation, value_type, value_v, interpret_as, source, confidence, scope,
       timestamp, hlc_w, hlc_c, origin_hlc_w, origin_hlc_c, cid)
     VALUES (?, 'user:dana', 'memory:note', 'string', ?, 'content', 'agent:a', 1, 'company', '2026-11-21T00:00:00Z', ?, 0, ?, 0, ?)`,
  );
  for (const v of values) {
    const n = Math.floor(Math.random() * 1e12);
    insert.run(`id-${n}`, v, n, n, `sha256:${n}`);
  }
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-embedq-"));
  db = openDatabase(path.join(dir, "t.db"));
  store = new VectorStore(db);
  store.reset(embedder.id);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("EmbedQueue", () => {
  it("writes each batch's vectors and cursor inside the commit it was given", async () => {
    insertFacts(["lives in berlin", "likes sushi", "owns the billing service"]);
    const inCommit: boolean[] = [];
    let committing = false;
    const queue = new EmbedQueue(store, embedder, log, {
      batchSize: 2,
      commit: async (work) => {
        committing = true;
        try {
          const result = work();
          inCommit.push(store.state().cursor > 0);
          return result;
        } finally {
          committing = false;
        }
      },
      onStored: () => expect(committing).toBe(false),
    });
    expect(await queue.step()).toEqual({ processed: 2, skipped: 0 });
    expect(await queue.step()).toEqual({ processed: 1, skipped: 0 });
    expect(await queue.step()).toEqual({ processed: 0, skipped: 0 });
    expect(inCommit).toEqual([true, true]);
    expect(store.count()).toBe(3);
  });

  it("embeds everything written during the wake delay in one batch", async () => {
    const batches: number[] = [];
    const queue = new EmbedQueue(store, embedder, log, {
      wakeDelayMs: 200,
      commit: async (work) => work(),
      onStored: (rows) => batches.push(rows.length),
    });
    // Three commits in three event-loop turns, well within the delay.
    const turn = () => new Promise((r) => setTimeout(r, 5));
    insertFacts(["one"]);
    queue.wake();
    await turn();
    insertFacts(["two"]);
    queue.wake();
    await turn();
    insertFacts(["three"]);
    queue.wake();
    for (let i = 0; i < 100 && store.count() < 3; i += 1) await new Promise((r) => setTimeout(r, 20));
    await queue.close();
    expect(batches).toEqual([3]);
  });
});
