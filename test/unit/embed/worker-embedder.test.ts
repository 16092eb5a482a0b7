/**
 * The offline embedder on a worker thread, run from the compiled worker entry
 * in `dist/` (built by `pretest`; a worker cannot load the TypeScript sources).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.js";
import type * as CreateEmbedderModule from "../../../src/embed/create-embedder.js";
import { isEmbedError, type Embedder } from "../../../src/embed/embedder.js";
import { loadOfflineEmbedder, OFFLINE_EMBEDDER_ID, VOCAB_FILE_NAME } from "../../../src/embed/offline-embedder.js";
import { readVocabularyHeader } from "../../../src/embed/vocabulary.js";
import { WorkerEmbedder } from "../../../src/embed/worker-embedder.js";
import { int8Code, MAX_CANDIDATES, QuantizedIndex, signCode } from "../../../src/embed/quantized-index.js";
import { projectFile } from "../../../src/project-root.js";
import { createLogger } from "../../../src/server/logger.js";
import { EMBED_CACHE_DIR } from "../../helpers/embed-cache.js";

const SCRIPT = projectFile("dist", "src", "embed", "offline-embed-worker.js");
const VOCAB = path.join(EMBED_CACHE_DIR, VOCAB_FILE_NAME);
const { embedder: inThread } = loadOfflineEmbedder(EMBED_CACHE_DIR);

const TEXTS = [
  "stigmem://n/user/dana rel:based_in Berlin",
  "where is dana based",
  "zqxjv-8812 kkwq a91f3c0e-77d2",
  "!!! ???",
  "",
  "the",
  "ｆｕｌｌｗｉｄｔｈ Ⅻ café Zürich 東京 Ελλάδα",
  "lone \ud800 surrogate",
  "user:bob rel:favorite_food sushi ".repeat(50),
];

/** The bytes of a vector, for bit-for-bit comparison. */
const bytes = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const expectSame = (got: Float32Array[], texts: readonly string[]): void => {
  expect(got).toHaveLength(texts.length);
  got.forEach((v, i) => expect(bytes(v).equals(bytes(inThread.embedOne(texts[i]!))), JSON.stringify(texts[i])).toBe(true));
};
const unavailable = (e: unknown): boolean => isEmbedError(e, "unavailable");

const open: Embedder[] = [];
function start(vocabularyFile = VOCAB): WorkerEmbedder {
  const e = new WorkerEmbedder({ vocabularyFile, dims: readVocabularyHeader(VOCAB).dims, script: pathToFileURL(SCRIPT) });
  open.push(e);
  return e;
}

beforeAll(() => {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run npm run build (npm test does)`);
});
afterEach(() => {
  for (const e of open.splice(0)) e.close?.();
});

describe("worker embedder", () => {
  it("has the offline embedder's identity and bit-identical vectors", async () => {
    const e = start();
    expect(e.id).toBe(OFFLINE_EMBEDDER_ID);
    expect(e.dims).toBe(inThread.dims);
    expectSame(await e.embed(TEXTS), TEXTS);
    expect(await e.embed([])).toEqual([]);
  });

  it("matches concurrent calls to their callers", async () => {
    const e = start();
    const batches = Array.from({ length: 24 }, (_, i) => TEXTS.slice(i % TEXTS.length, (i % TEXTS.length) + 1 + (i % 3)));
    const results = await Promise.all(batches.map((b) => e.embed(b)));
    results.forEach((r, i) => expectSame(r, batches[i]!));
  });

  it("rejects an aborted call, and only that one", async () => {
    const e = start();
    const ctl = new AbortController();
    const cancelled = e.embed(["dana location"], { signal: ctl.signal });
    const other = e.embed(["billing invoice"]);
    ctl.abort(new Error("deadline"));
    await expect(cancelled).rejects.toSatisfy(unavailable);
    await expect(cancelled).rejects.toThrow(/aborted: deadline/);
    expectSame(await other, ["billing invoice"]);
    await expect(e.embed(["x"], { signal: AbortSignal.abort() })).rejects.toSatisfy(unavailable);
    // A signal that never fires changes nothing.
    expectSame(await e.embed(["dana"], { signal: new AbortController().signal }), ["dana"]);
  });

  it("fails in-flight and later calls once closed", async () => {
    const e = start();
    const inFlight = e.embed(TEXTS);
    e.close();
    await expect(inFlight).rejects.toThrow(/closed/);
    await expect(inFlight).rejects.toSatisfy(unavailable);
    await expect(e.embed(["dana"])).rejects.toThrow(/closed/);
    expect(e.thread).toBeUndefined();
  });

  it("fails the calls of a killed worker as unavailable and recovers on the next call", async () => {
    const e = start();
    await e.embed(["warm"]);
    const first = e.thread!;
    const inFlight = [e.embed(TEXTS), e.embed(["dana"])];
    await first.terminate();
    for (const p of inFlight) await expect(p).rejects.toSatisfy(unavailable);
    expectSame(await e.embed(TEXTS), TEXTS);
    expect(e.thread).not.toBe(first);
  });

  it("fails a search that throws on the worker alone: the calls beside it and the thread go on", async () => {
    const e = start();
    const index = new QuantizedIndex(inThread.dims);
    const v = inThread.embedOne("coffee in berlin");
    // One row more than a search may ask candidates for, so the request below is refused.
    for (let rowid = 1; rowid <= MAX_CANDIDATES + 1; rowid++) index.add(rowid, "team", signCode(v), int8Code(v));
    await e.embed(["warm"]);
    const thread = e.thread!;
    const beside = e.embed(TEXTS);
    const tooMany = e.searchShared(index.arrays, { query: "coffee", allowed: index.allowedMask(null), candidates: MAX_CANDIDATES + 1, keep: 1 });
    await expect(tooMany).rejects.toSatisfy((err: unknown) => unavailable(err) && /candidates/.test((err as Error).message));
    expectSame(await beside, TEXTS);
    expect(await e.searchShared(index.arrays, { query: "coffee", allowed: index.allowedMask(null), candidates: 1, keep: 1 })).toHaveLength(1);
    expect(e.thread).toBe(thread);
  });

  it("searches a shared index as the main thread would, through growth and a new worker", async () => {
    const e = start();
    const index = new QuantizedIndex(inThread.dims);
    const words = ["berlin", "invoice", "coffee", "rust", "kubernetes", "holiday", "sushi", "billing", "dana", "lisbon"];
    const addRows = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const v = inThread.embedOne(`${words[i % 10]} ${words[(i * 7) % 10]} item ${i}`);
        index.add(i + 1, i % 3 === 0 ? "team" : "local", signCode(v), int8Code(v));
      }
    };
    const expectAsMainThread = async (query: string, scopes: string[] | null, candidates: number): Promise<void> => {
      const got = await e.searchShared(index.arrays, { query, allowed: index.allowedMask(scopes), candidates, keep: 20 });
      expect(got).toEqual(index.scored(inThread.embedOne(query), scopes, candidates, 20));
      expect(got).toHaveLength(20);
    };
    addRows(0, 1000);
    await expectAsMainThread("coffee in berlin", null, 1000);
    await expectAsMainThread("dana billing", ["team"], 200);
    // Grown: the index's arrays are new, and the worker is sent them with the next search.
    const before = index.arrays;
    addRows(1000, 5000);
    expect(index.arrays).not.toBe(before);
    await expectAsMainThread("rust on kubernetes", ["local"], 1024);
    // A new worker has no arrays until the next search brings them.
    await e.thread!.terminate();
    await expectAsMainThread("holiday in lisbon", null, 4096);
  });

  describe("with a vocabulary the worker cannot load", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-worker-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("fails calls as unavailable, saying why", async () => {
      const broken = path.join(dir, "broken.vocab");
      writeFileSync(broken, "STGVOC01 nope");
      const e = start(broken);
      const call = e.embed(["dana"]);
      await expect(call).rejects.toSatisfy(unavailable);
      await expect(call).rejects.toThrow(/could not load .*broken\.vocab: .*not a stigmem vocabulary file/);
      // Each call tries a fresh worker, which fails the same way.
      await expect(e.embed(["dana"])).rejects.toThrow(/could not load/);
    });
  });
});

describe("createEmbedder's choice", () => {
  const config = { embedder: "offline", embedCacheDir: EMBED_CACHE_DIR } as Config;

  it("runs the compiled node's offline embedder on a worker thread", async () => {
    const dist = (await import(
      pathToFileURL(projectFile("dist", "src", "embed", "create-embedder.js")).href
    )) as typeof CreateEmbedderModule;
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const e = dist.createEmbedder(config, createLogger("info", sink))!;
    open.push(e);
    expect(e.constructor.name).toBe("WorkerEmbedder");
    expect(e.dims).toBe(inThread.dims);
    expect(lines.join("")).toContain("offline embedder on a worker thread");
    expectSame(await e.embed(TEXTS), TEXTS);
  });

  it("stays in-thread when run from the TypeScript sources", async () => {
    const { createEmbedder } = await import("../../../src/embed/create-embedder.js");
    expect(createEmbedder(config, createLogger("silent"))).toBe(inThread);
  });
});
