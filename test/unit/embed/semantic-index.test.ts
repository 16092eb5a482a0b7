/**
 * The in-memory index's coverage of the stored vectors: stores by the queue
 * that land while the start-up load is still filling in slices continue it,
 * so searches afterwards read nothing back from the codes table.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Embedder } from "../../../src/embed/embedder.js";
import { int8Code, signCode } from "../../../src/embed/quantized-index.js";
import { SemanticIndex } from "../../../src/embed/semantic-index.js";
import { VectorStore, type VectorRow } from "../../../src/store/vector-store.js";
import { createLogger } from "../../../src/server/logger.js";
import { openDatabase } from "../../../src/store/database.js";

const DIMS = 16;
const MODEL = "test/axes";

/** Text "axis N" embeds to the unit vector along axis N mod 16, nudged so no component is 0. */
const embedder: Embedder = {
  id: MODEL,
  dims: DIMS,
  embed: (texts) => Promise.resolve(texts.map((t) => axis(Number(/\d+/.exec(t)?.[0] ?? 0)))),
};

function axis(n: number): Float32Array {
  const v = new Float32Array(DIMS).fill(0.01);
  v[n % DIMS] = 1;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function rows(from: number, to: number): VectorRow[] {
  const out: VectorRow[] = [];
  for (let rowid = from; rowid <= to; rowid++) {
    const v = axis(rowid);
    out.push({ rowid, scope: "local", vector: v, code: signCode(v), q8: int8Code(v) });
  }
  return out;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh database in a temporary folder, with a vector store set to embed `model`. */
function openStore(model: string): { db: ReturnType<typeof openDatabase>; store: VectorStore } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-semantic-"));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, "t.db"));
  const store = new VectorStore(db);
  store.reset(model);
  return { db, store };
}

describe("SemanticIndex coverage", () => {
  it("counts the queue's stores during a load that fills in slices, and reads nothing back afterwards", async () => {
    const { db, store } = openStore(MODEL);
    // More codes than one load slice (20,000), so the load goes on after it returns.
    const loaded = 25_000;
    store.put(MODEL, rows(1, loaded), loaded);
    const index = new SemanticIndex(store, embedder, createLogger("silent"));
    const loading = index.load(DIMS);
    // The queue stores two batches while the load is still filling.
    for (const [from, to] of [
      [loaded + 1, loaded + 10],
      [loaded + 11, loaded + 20],
    ] as const) {
      const batch = rows(from, to);
      store.put(MODEL, batch, to);
      index.added(batch, { after: from - 1, upTo: to });
    }
    await loading;
    let reads = 0;
    const codesAfter = store.codesAfter.bind(store);
    store.codesAfter = (after, limit) => {
      reads++;
      return codesAfter(after, limit);
    };
    const hits = await index.search("axis 3", { scopes: null, k: 3 });
    expect(hits.map((h) => h.rowid % DIMS)).toEqual([3, 3, 3]);
    expect(index.vectors([loaded + 19]).size).toBe(1);
    expect(reads).toBe(0);
    index.close();
    db.close();
  });
});

describe("SemanticIndex when its in-memory index is full", () => {
  it("keeps searching what it holds and says once that later vectors are not searched", async () => {
    const { db, store } = openStore(MODEL);
    store.put(MODEL, rows(1, 40), 40);
    const lines: string[] = [];
    const log = createLogger("warn", { write: (line: string) => void lines.push(line) });
    const index = new SemanticIndex(store, embedder, log, { exactLimit: 0, indexCapacity: 30 });
    await index.load(DIMS);
    const batch = rows(41, 50);
    store.put(MODEL, batch, 50);
    index.added(batch, { after: 40, upTo: 50 });
    const hits = await index.search("axis 3", { scopes: null, k: 2 });
    expect(hits.map((h) => h.rowid)).toEqual([3, 19]);
    const full = lines.filter((l) => l.includes("semantic index is full"));
    expect(full).toHaveLength(1);
    expect(JSON.parse(full[0]!)).toMatchObject({ vectors: 30, capacity: 30 });
    index.close();
    db.close();
  });
});

describe("SemanticIndex similarities", () => {
  const open = (model: string, dims: number, vectors: (rowid: number) => Float32Array) => {
    const { db, store } = openStore(model);
    store.put(
      model,
      Array.from({ length: 40 }, (_, i) => {
        const v = vectors(i + 1);
        return { rowid: i + 1, scope: "local", vector: v, code: signCode(v), q8: dims <= 256 ? int8Code(v) : null };
      }),
      40,
    );
    const wide: Embedder = { id: model, dims, embed: (texts) => Promise.resolve(texts.map(() => vectors(1))) };
    return { db, index: new SemanticIndex(store, wide, createLogger("silent")) };
  };
  const rowids = [1, 2, 17, 999_999];
  const table = (index: SemanticIndex): number[][] => {
    const t = index.similarities(rowids);
    return rowids.map((_, i) => rowids.map((_, j) => t.cosine(i, j)));
  };
  // 1 and 17 lie on the same axis, 2 on another; 999,999 has no vector.
  const expectAxes = (t: number[][]): void => {
    expect(t[0]![2]).toBeCloseTo(1, 6);
    expect(t[0]![1]).toBeGreaterThan(0);
    expect(t[0]![1]).toBeLessThan(0.1);
    expect(t[1]![0]).toBe(t[0]![1]);
    expect(t[3]).toEqual([0, 0, 0, 0]);
    expect(t.map((r) => r[3])).toEqual([0, 0, 0, 0]);
  };

  it("compares through the loaded index's int8 copies", async () => {
    const { db, index } = open(MODEL, DIMS, axis);
    await index.load(DIMS);
    expectAxes(table(index));
    index.close();
    db.close();
  });

  it("compares the float vectors of a model too wide for int8 copies", async () => {
    const W = 300;
    const along = (n: number): Float32Array => {
      const v = new Float32Array(W).fill(0.01);
      v[n % DIMS] = 1;
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    const { db, index } = open("test/wide", W, along);
    await index.load(W);
    const t = table(index);
    expectAxes(t);
    const a = along(1);
    const b = along(2);
    expect(t[0]![1]).toBeCloseTo(a.reduce((s, x, d) => s + x * b[d]!, 0), 6);
    index.close();
    db.close();
  });
});
