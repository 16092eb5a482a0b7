/**
 * One port, every protocol: a real node on loopback answers node info and
 * health over REST (HTTP/1.1 and h2c), Connect (JSON and binary), gRPC and
 * gRPC-Web.
 */
import http2 from "node:http2";
import net from "node:net";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { LintService } from "../../gen/proto/stigmem/v1/lint_pb.js";
import { NodeService } from "../../gen/proto/stigmem/v1/node_pb.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode();
});
afterAll(async () => {
  await node.stop();
});

function h2Get(url: string, path: string): Promise<{ status: number; body: string; version: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on("error", reject);
    const req = session.request({ ":path": path, ":method": "GET" });
    let status = 0;
    let body = "";
    req.on("response", (headers) => {
      status = Number(headers[":status"]);
    });
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      session.close();
      resolve({ status, body, version: "2" });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("REST", () => {
  it("serves the well-known document over HTTP/1.1", async () => {
    const res = await fetch(`${node.url}/.well-known/stigmem`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: "1.0",
      node_id: node.node.nodeId,
      node_url: node.url,
      auth: "none",
      federation: "disabled",
      source_attestation: "off",
    });
    expect(body.node_id).toMatch(/^stigmem:node:[0-9a-f-]{36}$/);
    expect(body.namespaces).toContain("garden:");
  });

  it("serves health over h2c on the same port", async () => {
    const res = await h2Get(node.url, "/healthz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: "ok" });
  });
});

const transports: [string, () => Transport][] = [
  ["Connect JSON over HTTP/1.1", () => createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" })],
  [
    "Connect binary over h2c",
    () => createConnectTransport({ baseUrl: node.url, httpVersion: "2", useBinaryFormat: true }),
  ],
  ["gRPC over h2c", () => createGrpcTransport({ baseUrl: node.url })],
  ["gRPC-Web over HTTP/1.1", () => createGrpcWebTransport({ baseUrl: node.url, httpVersion: "1.1" })],
];

describe.each(transports)("%s", (_name, makeTransport) => {
  it("answers GetNodeInfo and CheckHealth", async () => {
    const client = createClient(NodeService, makeTransport());
    const info = await client.getNodeInfo({});
    expect(info.nodeId).toBe(node.node.nodeId);
    expect(info.nodeUrl).toBe(node.url);
    expect(info.version).toBe("1.0");
    expect(info.auth).toBe("none");
    expect(info.namespaces).toContain("memory:");
    expect((await client.checkHealth({})).status).toBe("ok");
  });

  it("answers an unimplemented method with Unimplemented and reason not_implemented", async () => {
    const client = createClient(LintService, makeTransport());
    const err = await client.lint({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.Unimplemented);
    expect(err?.findDetails(ErrorInfoSchema)[0]?.reason).toBe("not_implemented");
  });
});

describe("protocol sniffing", () => {
  const raw = (chunks: Buffer[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(node.url);
      const socket = net.connect(Number(port), "127.0.0.1");
      let text = "";
      socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
      const send = async (): Promise<void> => {
        for (const c of chunks) {
          socket.write(c);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      socket.once("connect", () => void send().catch(reject));
    });

  it("serves an HTTP/1.1 request that arrives one byte at a time", async () => {
    const request = Buffer.from("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const chunks = [...request.subarray(0, 6)].map((b) => Buffer.from([b]));
    chunks.push(request.subarray(6));
    const response = await raw(chunks);
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('{"status":"ok"}');
  });

  it("recognises an HTTP/2 preface split across packets", async () => {
    const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    const settings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const goaway = Buffer.from([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const response = await raw([preface.subarray(0, 2), preface.subarray(2), settings, goaway]);
    // The server answers with its own SETTINGS frame (type 4) first.
    expect(response.charCodeAt(3)).toBe(4);
  });

  it("survives a client that connects and leaves without a byte", async () => {
    const { port } = new URL(node.url);
    await new Promise<void>((resolve) => {
      const s = net.connect(Number(port), "127.0.0.1", () => s.end());
      s.on("close", () => resolve());
    });
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});
