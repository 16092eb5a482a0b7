/**
 * Recall's semantic channel on real nodes: facts written over REST are
 * embedded after commit and found by `node.semantic.search` inside the
 * readable scopes; a provider outage never fails a write and embedding
 * recovers (also across a restart); `stigmem embed backfill` re-embeds after
 * a model change; `none` leaves the channel off.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbedQueue } from "../../src/embed/embed-queue.js";
import { OFFLINE_EMBEDDER_ID, VOCAB_FILE_NAME } from "../../src/embed/offline-embedder.js";
import { SemanticIndex } from "../../src/embed/semantic-index.js";
import { int8Code, signCode } from "../../src/embed/quantized-index.js";
import { VectorStore } from "../../src/store/vector-store.js";
import { openDatabase } from "../../src/store/database.js";
import { WorkerEmbedder } from "../../src/embed/worker-embedder.js";
import { projectFile } from "../../src/project-root.js";
import { EMBED_CACHE_DIR, embedTestEnv } from "../helpers/embed-cache.js";
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from "../helpers/fake-embedding-server.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const SRC = "stigmem://testnode/agent/test";

function fact(entity: string, relation: string, v: string, scope = "local"): Record<string, unknown> {
  return { entity, relation, value: { type: "string", v }, source: SRC, scope };
}

/** Polls `check` until it returns a value other than undefined. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function embedState(node: TestNode): { model: string | null; cursor: number; dims: number | null } {
  return node.inspect().prepare("SELECT model, cursor, dims FROM embed_state").get() as never;
}

function maxRowid(node: TestNode): number {
  return (node.inspect().prepare("SELECT MAX(rowid) AS m FROM facts").get() as { m: number }).m;
}

describe("offline embedder on a node", () => {
  let node: TestNode;
  let api: RestClient;
  beforeAll(async () => {
    node = await startTestNode();
    api = new RestClient(node.url);
  });
  afterAll(() => node.stop());

  it("embeds a fact written over REST shortly after commit and finds it", async () => {
    const facts = [
      fact("stigmem://testnode/user/dana", "rel:based_in", "Berlin"),
      fact("stigmem://testnode/org/acme", "billing:invoice_email", "invoices@acme.example"),
      fact("stigmem://testnode/user/bob", "preference:food", "sushi and ramen"),
      fact("stigmem://testnode/user/erin", "rel:lives_in", "Lisbon, Portugal", "team"),
    ];
    const ids: string[] = [];
    for (const f of facts) {
      const res = await api.post("/v1/facts", f);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const semantic = node.node.recall.semantic!;
    expect(semantic.embedderId).toBe(OFFLINE_EMBEDDER_ID);
    await eventually(() => (embedState(node).cursor >= maxRowid(node) ? true : undefined));
    const rowidOf = (id: string): number =>
      (node.inspect().prepare("SELECT rowid FROM facts WHERE id = ?").get(id) as { rowid: number }).rowid;

    const hits = await semantic.search("where is dana based", { scopes: null, k: 3 });
    expect(hits[0]!.rowid).toBe(rowidOf(ids[0]!));
    expect(hits[0]!.similarity).toBeGreaterThan(0.4);
    expect(hits[0]!.similarity).toBeLessThanOrEqual(1);
    for (const h of hits) expect(h.similarity).toBeGreaterThanOrEqual(0);

    // Scope filtering: the team fact is found with team readable, never without.
    const lives = await semantic.search("where does erin live", { scopes: ["team"], k: 5 });
    expect(lives[0]!.rowid).toBe(rowidOf(ids[3]!));
    const localOnly = await semantic.search("where does erin live", { scopes: ["local"], k: 10 });
    expect(localOnly.map((h) => h.rowid)).not.toContain(rowidOf(ids[3]!));
    expect(await semantic.search("erin", { scopes: [], k: 10 })).toEqual([]);
    expect(await semantic.search("erin", { scopes: ["public"], k: 10 })).toEqual([]);

    // Stored vectors: unit length (to about 1e-3 once they come from the int8 copies); unknown rowids are absent.
    const vectors = (semantic as SemanticIndex).vectors([rowidOf(ids[0]!), 999_999]);
    expect([...vectors.keys()]).toEqual([rowidOf(ids[0]!)]);
    const v = vectors.get(rowidOf(ids[0]!))!;
    expect(v).toHaveLength(100);
    expect(Math.hypot(...v)).toBeCloseTo(1, 2);
    // MMR's cosines of the same vectors, by place; a fact without a vector compares as 0.
    const pair = [rowidOf(ids[0]!), rowidOf(ids[1]!)];
    const both = (semantic as SemanticIndex).vectors(pair);
    const table = semantic.similarities([...pair, 999_999]);
    const expected = Math.max(0, both.get(pair[0]!)!.reduce((s, x, d) => s + x * both.get(pair[1]!)![d]!, 0));
    expect(table.cosine(0, 1)).toBeCloseTo(expected, 2);
    expect(table.cosine(1, 0)).toBe(table.cosine(0, 1));
    expect(table.cosine(0, 0)).toBeCloseTo(1, 6);
    expect(table.cosine(0, 2)).toBe(0);
    expect(table.cosine(2, 2)).toBe(0);

    const doctor = await api.get("/v1/doctor");
    expect(doctor.body.versions.embedder).toBe(OFFLINE_EMBEDDER_ID);
  });

  it("gives the same top hits through the quantized index as the exact scan", async () => {
    const words = ["berlin", "invoice", "coffee", "rust", "kubernetes", "holiday", "marketing", "sushi", "peanuts", "react"];
    const batch = Array.from({ length: 300 }, (_, i) =>
      fact(`stigmem://testnode/item/n${i}`, `memory:note_${i % 7}`, `${words[i % 10]} ${words[(i * 3) % 10]} number ${i}`, i % 3 ? "local" : "company"),
    );
    const res = await api.post("/v1/facts:batch", { facts: batch });
    expect(res.status).toBeLessThan(300);
    await eventually(() => (embedState(node).cursor >= maxRowid(node) ? true : undefined));
    const { embedder } = await import("./semantic-test-embedder.js").then((m) => m.offline());
    const store = new VectorStore(node.inspect());
    const quantized = new SemanticIndex(store, embedder, node.node.log, { exactLimit: 0 });
    await quantized.load(100);
    expect(quantized.ready).toBe(true);
    for (const q of ["coffee and sushi", "deploying rust on kubernetes", "where is dana based"]) {
      for (const scopes of [null, ["local"], ["company", "team"]]) {
        const exact = await node.node.recall.semantic!.search(q, { scopes, k: 5 });
        const approx = await quantized.search(q, { scopes, k: 5 });
        // 300 vectors < the 1024 candidates: all are scored, by their int8 copies (cosine to about
        // 1e-3), so the same hits come back up to the order of near ties.
        expect(approx).toHaveLength(exact.length);
        expect(approx[0]!.rowid).toBe(exact[0]!.rowid);
        approx.forEach((h, i) => expect(h.similarity).toBeCloseTo(exact[i]!.similarity, 2));
      }
    }
    quantized.close();
  });

  it("searches on the embedder's worker thread with the same hits as on this one", async () => {
    const { embedder } = await import("./semantic-test-embedder.js").then((m) => m.offline());
    const store = new VectorStore(node.inspect());
    const onWorker = new WorkerEmbedder({
      vocabularyFile: path.join(EMBED_CACHE_DIR, VOCAB_FILE_NAME),
      dims: embedder.dims,
      script: pathToFileURL(projectFile("dist", "src", "embed", "offline-embed-worker.js")),
    });
    // An exact limit of 0 puts even this small store on the Hamming path the large ones take.
    for (const exactLimit of [undefined, 0]) {
      const here = new SemanticIndex(store, embedder, node.node.log, { exactLimit });
      const there = new SemanticIndex(store, onWorker, node.node.log, { exactLimit });
      await Promise.all([here.load(100), there.load(100)]);
      for (const q of ["coffee and sushi", "deploying rust on kubernetes", "where is dana based"]) {
        for (const scopes of [null, ["local"], ["company", "team"]]) {
          expect(await there.search(q, { scopes, k: 7 })).toEqual(await here.search(q, { scopes, k: 7 }));
        }
      }
      here.close();
      there.close();
    }
    onWorker.close();
  });
});

describe("OpenAI-compatible provider outage", () => {
  let server: FakeEmbeddingServer;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "stigmem-embed-"));
  beforeAll(async () => {
    server = await startFakeEmbeddingServer();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = (model = "fake-embed"): Record<string, string> => ({
    STIGMEM_EMBEDDER: "openai",
    STIGMEM_EMBED_URL: server.url,
    STIGMEM_EMBED_MODEL: model,
  });

  it("never fails a write, recovers, and resumes after a restart", async () => {
    server.down(503);
    let node = await startTestNode({ dataDir, env: env() });
    const api = new RestClient(node.url);
    expect(node.node.recall.semantic!.embedderId).toBe("openai:fake-embed");
    const w1 = await api.post("/v1/facts", fact("stigmem://testnode/user/dana", "rel:based_in", "berlin"));
    expect(w1.status).toBe(201);
    // The queue tried, failed and backs off; search fails (recall falls back to its other channels).
    await eventually(() => (server.requests.length > 0 ? true : undefined));
    expect(embedState(node).cursor).toBe(0);
    await expect(node.node.recall.semantic!.search("dana", { scopes: null, k: 1 })).rejects.toMatchObject({ name: "EmbedError" });
    const w2 = await api.post("/v1/facts", fact("stigmem://testnode/user/bob", "rel:based_in", "lisbon"));
    expect(w2.status).toBe(201);
    await node.stop();

    // Restart while the provider is still down, then bring it back: the backlog is embedded.
    node = await startTestNode({ dataDir, env: env() });
    expect(embedState(node).cursor).toBe(0);
    server.up();
    await eventually(() => (embedState(node).cursor >= maxRowid(node) ? true : undefined), 15_000);
    expect(embedState(node)).toMatchObject({ model: "openai:fake-embed", dims: server.dims });
    const hits = await eventually(async () => {
      try {
        return await node.node.recall.semantic!.search("dana based berlin", { scopes: null, k: 1 });
      } catch {
        return undefined; // still failing fast after the outage
      }
    });
    expect(hits).toHaveLength(1);
    await node.stop();
  });

  it("takes in the vectors another process stored while it ran", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-embed-other-"));
    const node = await startTestNode({ dataDir: dir, env: env() });
    try {
      const api = new RestClient(node.url);
      expect((await api.post("/v1/facts", fact("stigmem://testnode/user/dana", "rel:based_in", "berlin"))).status).toBe(201);
      await eventually(() => (embedState(node).cursor >= maxRowid(node) ? true : undefined));
      await eventually(async () => ((await node.node.recall.semantic!.search("dana", { scopes: null, k: 1 })).length === 1 ? true : undefined));
      // The provider goes down: this node's queue cannot embed the next fact and backs off.
      server.down(503);
      const seen = server.requests.length;
      expect((await api.post("/v1/facts", fact("stigmem://testnode/user/bob", "rel:based_in", "lisbon"))).status).toBe(201);
      await eventually(() => (server.requests.length > seen ? true : undefined));
      // Another process (a backfill) embeds it and moves the cursor past it, through its own connection.
      const bob = maxRowid(node);
      const other = openDatabase(node.node.config.dbPath);
      const v = server.vectorOf("stigmem://testnode/user/bob rel:based_in lisbon");
      new VectorStore(other).put("openai:fake-embed", [{ rowid: bob, scope: "local", vector: v, code: signCode(v), q8: int8Code(v) }], bob);
      other.close();
      server.up();
      const hit = await eventually(async () => {
        try {
          const [h] = await node.node.recall.semantic!.search("bob lisbon", { scopes: null, k: 1 });
          return h?.rowid === bob ? h : undefined;
        } catch {
          return undefined; // still failing fast after the outage
        }
      });
      expect(hit.rowid).toBe(bob);
    } finally {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("re-embeds everything with `stigmem embed backfill` after a model change", () => {
    const r = spawnSync(
      process.execPath,
      [projectFile("dist", "src", "cli", "main.js"), "embed", "backfill", "--data", dataDir],
      { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...embedTestEnv() }, timeout: 60_000 },
    );
    expect(r.stderr).toContain("embedding model changed");
    expect(r.stderr).toMatch(/embedding facts with wink-sg-100d\/1: 2 facts in [\d.]+ s \(\d+ facts\/s\); previous vectors were replaced/);
    expect(r.status).toBe(0);
    const again = spawnSync(
      process.execPath,
      [projectFile("dist", "src", "cli", "main.js"), "embed", "backfill", "--data", dataDir],
      { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...embedTestEnv() }, timeout: 60_000 },
    );
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/: 0 facts in/);
  });
});

describe("STIGMEM_EMBEDDER=none", () => {
  it("leaves node.semantic null and the doctor says none", async () => {
    const node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
    try {
      expect(node.node.recall.semantic).toBeNull();
      const res = await new RestClient(node.url).post("/v1/facts", fact("stigmem://testnode/user/x", "rel:is", "y"));
      expect(res.status).toBe(201);
      expect(embedState(node).cursor).toBe(0);
      expect((await new RestClient(node.url).get("/v1/doctor")).body.versions.embedder).toBe("none");
    } finally {
      await node.stop();
    }
  });
});

// Keep the queue type referenced: the backfill and the node share its step().
void EmbedQueue;
