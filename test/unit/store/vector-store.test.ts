/**
 * Which vectors are stored per model width: models of at most INT8_MAX_DIMS
 * dimensions keep their int8 copies only (no vec0 table, and one left by an
 * earlier version is dropped at open); wider models keep float vectors in
 * vec0 for exact search and rescoring.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { int8Code, INT8_MAX_DIMS, signCode } from "../../../src/embed/quantized-index.js";
import { VectorStore, type VectorRow } from "../../../src/store/vector-store.js";
import { openDatabase, type Db } from "../../../src/store/database.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-vectors-"));
  dirs.push(dir);
  return path.join(dir, "t.db");
}

/** A unit vector of `dims` components pointing mostly along axis `axis`. */
function unit(dims: number, axis: number): Float32Array {
  const v = new Float32Array(dims).fill(0.01);
  v[axis] = 1;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function row(rowid: number, vector: Float32Array): VectorRow {
  return { rowid, scope: "local", vector, code: signCode(vector), q8: vector.length <= INT8_MAX_DIMS ? int8Code(vector) : null };
}

function hasFloatTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'fact_vectors'").get() !== undefined;
}

describe("VectorStore", () => {
  it("keeps only the int8 copies of a model of at most INT8_MAX_DIMS dimensions", () => {
    const db = openDatabase(tempFile());
    const store = new VectorStore(db);
    store.reset("small/1");
    store.put("small/1", [row(1, unit(100, 3)), row(2, unit(100, 7))], 2);
    expect(hasFloatTable(db)).toBe(false);
    expect(store.state()).toMatchObject({ model: "small/1", dims: 100, cursor: 2 });
    expect(store.count()).toBe(2);
    expect(store.codesAfter(0, 10).map((c) => [c.fact_rowid, c.q8?.length])).toEqual([
      [1, 104],
      [2, 104],
    ]);
    expect(store.vector(1)).toBeUndefined();
    expect(store.knn(unit(100, 3), "local", 1)).toEqual([]);
    db.close();
  });

  it("stores float vectors of a wider model and finds them exactly", () => {
    const db = openDatabase(tempFile());
    const store = new VectorStore(db);
    const dims = INT8_MAX_DIMS + 44;
    store.reset("wide/1");
    store.put("wide/1", [row(1, unit(dims, 3)), row(2, unit(dims, 7))], 2);
    expect(hasFloatTable(db)).toBe(true);
    expect(store.codesAfter(0, 10).map((c) => c.q8)).toEqual([null, null]);
    expect(store.vector(2)).toEqual(unit(dims, 7));
    expect(store.knn(unit(dims, 7), "local", 1).map((h) => h.rowid)).toEqual([2]);
    db.close();
  });

  it("drops the float vectors an earlier version stored for a small model when opened", () => {
    const file = tempFile();
    let db = openDatabase(file);
    const store = new VectorStore(db);
    store.reset("small/1");
    store.put("small/1", [row(1, unit(100, 3))], 1);
    // What an earlier version left: a vec0 table of the small model's floats.
    db.exec("CREATE VIRTUAL TABLE fact_vectors USING vec0(fact_rowid INTEGER PRIMARY KEY, scope TEXT PARTITION KEY, embedding FLOAT[100] distance_metric=cosine)");
    db.close();
    db = openDatabase(file);
    expect(hasFloatTable(db)).toBe(true);
    const reopened = new VectorStore(db);
    expect(hasFloatTable(db)).toBe(false);
    expect(reopened.count()).toBe(1);
    db.close();
  });
});
