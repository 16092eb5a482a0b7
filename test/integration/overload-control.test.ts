/**
 * Overload control over REST and Connect: per-key and per-IP rate limits
 * per dimension (429 / resource_exhausted with a retry hint), and load
 * shedding that queues, then refuses (503 / unavailable), while `/healthz`
 * and the requests already admitted are answered.
 */
import net from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { FactValueSchema, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from "../helpers/fake-embedding-server.js";
import { storeCounts } from "../helpers/store-counts.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const ADMIN_KEY = "overload-test-admin-key-0123456789abcdef";

/** Error fields of a REST body, whether they sit at its top level or under `detail` (protocol.md §7). */
function errorFields(body: Record<string, unknown>): Record<string, unknown> {
  const detail = body.detail;
  return { ...(typeof detail === "object" && detail !== null && !Array.isArray(detail) ? detail : {}), ...body };
}

const fact = (i: number) => ({
  entity: `user:rate-${i}`,
  relation: "memory:role",
  value: { type: "string", v: "engineer" },
  source: "agent:test",
  scope: "company",
});

async function connectError(p: Promise<unknown>): Promise<ConnectError> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => ConnectError.from(e),
  );
}

describe("rate limits", () => {
  let node: TestNode;
  const call = (method: string, path: string, key: string, body?: unknown) =>
    fetch(node.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    node = await startTestNode({
      env: {
        STIGMEM_EMBEDDER: "none",
        STIGMEM_AUTH_REQUIRED: "true",
        STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY,
        STIGMEM_RATE_LIMIT_WRITE: "3/min",
        STIGMEM_RATE_LIMIT_READ_PER_IP: "4/min",
        STIGMEM_RATE_LIMIT_TOKEN: "2/min",
      },
    });
  });
  afterAll(async () => {
    await node.stop();
  });

  it("limit writes per key, over REST and Connect alike, and store nothing refused", async () => {
    for (let i = 0; i < 3; i++) expect((await call("POST", "/v1/facts", ADMIN_KEY, fact(i))).status).toBe(201);
    const before = storeCounts(node.inspect());
    const refused = await call("POST", "/v1/facts", ADMIN_KEY, fact(9));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = errorFields((await refused.json()) as Record<string, unknown>);
    expect(body).toMatchObject({ code: "quota_exceeded", error: "quota_exceeded", dimension: "fact_write", retry_after: retryAfter });
    // The limited key is named by its entity, as the reference names it.
    expect(body.principal).toBe("agent:admin");

    let headers: Headers | undefined;
    const facts = createClient(
      FactService,
      createConnectTransport({ baseUrl: node.url, httpVersion: "1.1", useBinaryFormat: true }),
    );
    const e = await connectError(
      facts.assertFact(
        {
          entity: "user:rate-c",
          relation: "memory:role",
          value: create(FactValueSchema, { type: ValueType.STRING, v: { case: "stringValue", value: "x" } }),
          source: "agent:test",
          scope: "company",
        },
        { headers: { authorization: `Bearer ${ADMIN_KEY}` }, onHeader: (h) => (headers = h) },
      ),
    );
    expect(e.code).toBe(Code.ResourceExhausted);
    const info = e.findDetails(ErrorInfoSchema)[0];
    expect(info?.reason).toBe("quota_exceeded");
    expect(info?.metadata).toMatchObject({ dimension: "fact_write", principal: body.principal });
    expect(e.metadata.get("retry-after") ?? headers?.get("retry-after")).toMatch(/^\d+$/);
    expect(storeCounts(node.inspect())).toEqual(before);
  });

  it("count each key on its own, and limit key issue", async () => {
    const created = await call("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "agent:second", permissions: ["read", "write"] });
    expect(created.status).toBe(201);
    const second = ((await created.json()) as { raw_key: string }).raw_key;
    expect((await call("POST", "/v1/facts", second, fact(20))).status).toBe(201);
    expect((await call("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "agent:third", permissions: ["read"] })).status).toBe(201);
    const third = await call("POST", "/v1/auth/keys", ADMIN_KEY, { entity_uri: "agent:fourth", permissions: ["read"] });
    expect(third.status).toBe(429);
    expect(errorFields((await third.json()) as Record<string, unknown>)).toMatchObject({ dimension: "token_issue" });
  });

  it("limit reads per address across keys, and never /healthz", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call("GET", "/v1/facts?limit=1", ADMIN_KEY)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const recall = await call("POST", "/v1/recall", ADMIN_KEY, { query: "engineer", scope: "company" });
    expect(recall.status).toBe(429);
    expect(errorFields((await recall.json()) as Record<string, unknown>)).toMatchObject({
      dimension: "fact_read",
      principal: "ip:127.0.0.1",
    });
    for (let i = 0; i < 10; i++) expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});

describe("load shedding", () => {
  let node: TestNode;
  let embeddings: FakeEmbeddingServer;
  beforeAll(async () => {
    embeddings = await startFakeEmbeddingServer();
    node = await startTestNode({
      env: {
        STIGMEM_EMBEDDER: "openai",
        STIGMEM_EMBED_URL: embeddings.url,
        STIGMEM_EMBED_MODEL: "fake-embed",
        STIGMEM_MAX_IN_FLIGHT: "1",
        STIGMEM_MAX_QUEUED: "1",
        STIGMEM_QUEUE_TIMEOUT_MS: "60000",
      },
    });
  });
  afterAll(async () => {
    await node.stop();
    await embeddings.close();
  });

  it("queues, then refuses with 503 and Retry-After, while /healthz and admitted requests are answered", async () => {
    // A recall waits for the embeddings server to embed its query (for up to 2 s):
    // held there, it stays admitted and fills the one slot.
    const release = embeddings.hold();
    const post = (path: string, body: unknown) =>
      fetch(node.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    let recallDone = false;
    const admitted = post("/v1/recall", { query: "who is an engineer", scope: "company" }).then((r) => {
      recallDone = true;
      return r;
    });
    await waitFor(() => embeddings.requests.some((r) => r.input.includes("who is an engineer")));
    const before = storeCounts(node.inspect());

    // Three more requests: whichever arrives first takes the one queue place, the others are shed.
    const rpc = createClient(FactService, createConnectTransport({ baseUrl: node.url, httpVersion: "2" }));
    const writes = [post("/v1/facts", fact(1)), post("/v1/facts", fact(2))];
    const read = rpc.getFact({ id: "00000000-0000-4000-8000-000000000000" }).then(
      () => "ok",
      (e: unknown) => ConnectError.from(e),
    );
    const healthy: boolean[] = [];
    for (let i = 0; i < 5; i++) healthy.push((await fetch(`${node.url}/healthz`)).status === 200 && !recallDone);
    expect(healthy).toEqual([true, true, true, true, true]);
    await waitFor(async () => (await gateQueued(node)) === 1);
    const shed = await Promise.all(
      writes.map((w) =>
        w.then(async (r) => (r.status === 503 ? { retryAfter: r.headers.get("retry-after"), body: await r.json() } : null)),
      ),
    ).then((all) => all.filter((x) => x !== null));
    const readOutcome = await Promise.race([read, new Promise((r) => setTimeout(() => r("pending"), 50))]);
    const readShed = readOutcome instanceof ConnectError && readOutcome.code === Code.Unavailable;
    expect(shed.length + (readShed ? 1 : 0)).toBe(2);
    for (const s of shed) {
      expect(s.retryAfter).toBe("1");
      expect(errorFields(s.body as Record<string, unknown>)).toMatchObject({ code: "overloaded", retry_after: 1 });
    }
    if (readShed) expect(readOutcome.findDetails(ErrorInfoSchema)[0]?.reason).toBe("overloaded");
    expect(storeCounts(node.inspect())).toEqual(before);
    expect(recallDone).toBe(false);

    release();
    expect((await admitted).status).toBe(200);
    // The queued request is served once the slot frees (the read's answer is not_found: no such fact).
    const readAnswer = await read;
    const readServed = readAnswer instanceof ConnectError && readAnswer.code === Code.NotFound;
    const served = (await Promise.all(writes)).filter((r) => r.status === 201).length + (readServed ? 1 : 0);
    expect(served).toBe(1);
    await waitFor(async () => (await gateGauge(node, "admitted")) === 0);
  });

  it("gives back the place of a request whose client went away while it was queued", async () => {
    const release = embeddings.hold();
    const post = (path: string, body: unknown) =>
      fetch(node.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const admitted = post("/v1/recall", { query: "who designs the roadmap", scope: "company" });
    await waitFor(() => embeddings.requests.some((r) => r.input.includes("who designs the roadmap")));
    // A client that sends its write and then resets the connection (a crash, a timeout).
    const body = JSON.stringify(fact(3));
    const gone = net.connect(Number(new URL(node.url).port), "127.0.0.1");
    gone.on("error", () => {});
    gone.write(`POST /v1/facts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await waitFor(async () => (await gateQueued(node)) === 1);
    gone.resetAndDestroy();
    await new Promise((r) => gone.once("close", r));
    // The node saw the reset before the request was admitted.
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect((await admitted).status).toBe(200);
    // Nothing is left holding a place: requests are admitted again, one after another.
    await waitFor(async () => (await gateGauge(node, "admitted")) === 0);
    for (let i = 0; i < 3; i++) expect((await post("/v1/facts", fact(10 + i))).status).toBe(201);
  });
});

/** A load-shedding gauge (`stigmem_admitted_requests`, `stigmem_queued_requests`) read from /metrics. */
function gateGauge(node: TestNode, which: "admitted" | "queued"): Promise<number> {
  return fetch(`${node.url}/metrics`)
    .then((r) => r.text())
    .then((t) => Number(new RegExp(`^stigmem_${which}_requests (\\d+)$`, "m").exec(t)?.[1] ?? -1));
}

function gateQueued(node: TestNode): Promise<number> {
  return gateGauge(node, "queued");
}

async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}
