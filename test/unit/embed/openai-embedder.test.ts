/**
 * The OpenAI-compatible provider against a small local server that speaks
 * the `/v1/embeddings` format (standing in for OpenAI, Ollama or vLLM).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isEmbedError } from "../../../src/embed/embedder.js";
import { OpenAIEmbedder } from "../../../src/embed/openai-embedder.js";
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from "../../helpers/fake-embedding-server.js";

const KEY = "sk-test-0123456789abcdef";
let server: FakeEmbeddingServer;
beforeAll(async () => {
  server = await startFakeEmbeddingServer({ apiKey: KEY });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const make = (opts: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}): OpenAIEmbedder =>
  new OpenAIEmbedder({ url: server.url, model: "fake-embed", apiKey: KEY, ...opts });

async function failure(p: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(isEmbedError(e)).toBe(true);
    return e as { kind: string; message: string };
  }
  throw new Error("expected a failure");
}

describe("OpenAIEmbedder", () => {
  it("batches requests, keeps order, normalizes, and learns the width", async () => {
    const e = make({ maxBatch: 2 });
    expect(e.id).toBe("openai:fake-embed");
    expect(e.dims).toBeUndefined();
    const texts = ["dana location", "billing invoice", "dana berlin", "x"];
    const out = await e.embed(texts);
    expect(server.requests.map((r) => r.input.length)).toEqual([2, 2]);
    expect(server.requests[0]!.model).toBe("fake-embed");
    expect(server.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
    expect(e.dims).toBe(server.dims);
    for (const [i, v] of out.entries()) {
      expect(Array.from(v)).toEqual(Array.from(server.vectorOf(texts[i]!)));
    }
  });

  it("sends dimensions when configured and checks the answer against it", async () => {
    const e = make({ dims: 32 });
    expect(e.id).toBe("openai:fake-embed/32");
    const f = await failure(e.embed(["a"]));
    expect(server.requests[0]!.dimensions).toBe(32);
    expect(f).toMatchObject({ kind: "unavailable" });
    expect(f.message).toContain("expected 32");
  });

  it.each([
    [503, "unavailable"],
    [429, "unavailable"],
    [401, "unavailable"],
    [404, "unavailable"],
    [400, "input"],
    [413, "input"],
  ])("maps HTTP %i to %s, without the key in the message", async (status, kind) => {
    server.failNext(status, `server says ${KEY.slice(0, 3)}…`);
    const f = await failure(make().embed(["a"]));
    expect(f.kind).toBe(kind);
    expect(f.message).toContain(String(status));
    expect(f.message).not.toContain(KEY);
  });

  it("treats a wrong key, a malformed answer, a timeout and a dead server as unavailable", async () => {
    expect((await failure(make({ apiKey: "sk-wrong-key-000000" }).embed(["a"]))).message).toMatch(/401.*STIGMEM_EMBED_API_KEY/);
    server.malformNext();
    expect((await failure(make().embed(["a"]))).kind).toBe("unavailable");
    server.delayNext(500);
    expect((await failure(make({ timeoutMs: 50 }).embed(["a"]))).message).toContain("no answer within 50 ms");
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const f = await failure(make({ url: `http://127.0.0.1:${port}/v1` }).embed(["a"]));
    expect(f.kind).toBe("unavailable");
    expect(f.message).toContain("ECONNREFUSED");
  });

  it("accepts the full endpoint URL and cuts long inputs", async () => {
    await make({ url: `${server.url}/embeddings`, maxChars: 10 }).embed(["0123456789abcdef", ""]);
    expect(server.requests[0]!.input).toEqual(["0123456789", " "]);
  });
});
