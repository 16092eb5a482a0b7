/**
 * Slow, idle and oversized clients are bounded on the one port (issue 15):
 * incomplete headers are answered 408 and closed, idle keep-alive
 * connections and HTTP/2 sessions are closed, connections are capped, and
 * a 431 arrives whole even while the client is still sending.
 *
 * The node runs with short timeouts; each test waits for the node to act
 * (vitest's timeout is the backstop), it never asserts a duration.
 */
import http2 from "node:http2";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
let port: number;
beforeAll(async () => {
  node = await startTestNode({
    env: {
      STIGMEM_EMBEDDER: "none",
      STIGMEM_HEADERS_TIMEOUT_MS: "400",
      STIGMEM_REQUEST_TIMEOUT_MS: "800",
      STIGMEM_IDLE_TIMEOUT_MS: "600",
      STIGMEM_MAX_CONNECTIONS: "20",
    },
  });
  port = Number(new URL(node.url).port);
});
afterAll(async () => {
  await node.stop();
});

/** A raw connection that records what it receives and how it ends. */
class RawConnection {
  readonly socket: net.Socket;
  received = "";
  error: string | undefined;
  readonly closed: Promise<void>;

  constructor() {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.on("data", (d: Buffer) => (this.received += d.toString("latin1")));
    this.socket.on("error", (e: NodeJS.ErrnoException) => (this.error ??= e.code));
    this.closed = new Promise((resolve) => this.socket.once("close", () => resolve()));
  }

  /** Writes and waits until the kernel took the bytes; rejects like a client whose peer reset. */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (e) => (e ? reject(e) : resolve())));
  }

  connected(): Promise<void> {
    return new Promise((resolve) => this.socket.once("connect", () => resolve()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("HTTP/1.1", () => {
  it("answers 408 and closes a connection whose headers trickle in", async () => {
    const c = new RawConnection();
    await c.connected();
    await c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    // One header byte every 100 ms keeps the socket busy but never finishes.
    let dripping = true;
    void (async () => {
      while (dripping) {
        await sleep(100);
        if (!c.socket.destroyed) c.socket.write("X");
      }
    })();
    await c.closed;
    dripping = false;
    expect(c.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(c.received).toContain('"code":"request_timeout"');
  });

  it("closes a connection that never sends a byte", async () => {
    const c = new RawConnection();
    await c.connected();
    await c.closed;
    expect(c.received).toBe("");
  });

  it("closes an idle keep-alive connection after its request", async () => {
    const c = new RawConnection();
    await c.connected();
    await c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await c.closed;
    expect(c.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(c.received).toContain('{"status":"ok"}');
  });

  it("answers 431 whole while the client is still sending, then closes gracefully", async () => {
    // Like a client that sends its whole request before reading (Python's http.client):
    // 256 KiB of headers in 16 KiB writes, each awaited.
    const c = new RawConnection();
    await c.connected();
    await c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for (let i = 0; i < 16; i++) await c.write(`X-Pad-${i}: ${"a".repeat(16 * 1024)}\r\n`);
    await c.write("\r\n");
    c.socket.end();
    await c.closed;
    expect(c.error).toBeUndefined();
    const [head, body] = c.received.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-length: \d+/i);
    expect(JSON.parse(body!)).toMatchObject({ code: "headers_too_large" });
  });

  it("answers 413 whole while the client is still uploading the refused body", async () => {
    const c = new RawConnection();
    await c.connected();
    const size = 4 * 1024 * 1024;
    await c.write(`POST /v1/recall HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, "a");
    for (let sent = 0; sent < size; sent += chunk.length) await c.write(chunk);
    c.socket.end();
    await c.closed;
    expect(c.error).toBeUndefined();
    expect(c.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(c.received).toContain("payload_too_large");
  });

  it("caps open connections and serves again once one closes", async () => {
    const idle: RawConnection[] = [];
    // Each holds a connection with an unfinished request line.
    for (let i = 0; i < 20; i++) {
      const c = new RawConnection();
      await c.connected();
      await c.write("GET /heal");
      idle.push(c);
    }
    const extra = new RawConnection();
    await extra.connected();
    extra.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await extra.closed;
    expect(extra.received).toBe("");
    for (const c of idle) c.socket.destroy();
    await Promise.all(idle.map((c) => c.closed));
    const res = await fetch(`${node.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe("HTTP/2 (h2c)", () => {
  function session(): { session: http2.ClientHttp2Session; closed: Promise<void> } {
    const s = http2.connect(node.url);
    s.on("error", () => {});
    return { session: s, closed: new Promise((resolve) => s.once("close", () => resolve())) };
  }

  it("closes a session that opens no stream", async () => {
    const { closed } = session();
    await closed;
  });

  it("closes a session that stays idle after its requests", async () => {
    const { session: s, closed } = session();
    const status = await new Promise<number>((resolve, reject) => {
      const req = s.request({ ":path": "/healthz" });
      req.on("response", (h) => resolve(Number(h[":status"])));
      req.on("error", reject);
      req.resume();
    });
    expect(status).toBe(200);
    await closed;
  });

  it("cancels a stream whose request body never finishes", async () => {
    const { session: s } = session();
    const req = s.request({ ":method": "POST", ":path": "/v1/facts", "content-type": "application/json" });
    req.write('{"entity":');
    const code = await new Promise<number>((resolve) => {
      req.on("error", () => {});
      req.on("close", () => resolve(req.rstCode));
    });
    expect(code).toBe(http2.constants.NGHTTP2_CANCEL);
    s.destroy();
  });
});
