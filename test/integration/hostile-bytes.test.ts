/**
 * Regression tests for bytes that used to be answered badly (issue 15):
 * a binary body that is not protobuf answered 500 with the parser's message,
 * and bytes that are not UTF-8 were stored as U+FFFD with a 201. Both are
 * now refused with a stable code on every route and method, and nothing is
 * stored.
 */
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FactValueSchema, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { AssertFactRequestSchema } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { SERVICES } from "../../src/transport/connect/routes.js";
import { isBinary, RawRpcClient, RPC_PROTOCOLS } from "../helpers/raw-rpc.js";
import { storeCounts } from "../helpers/store-counts.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
let rpc: RawRpcClient;
beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  rpc = new RawRpcClient(node.url);
});
afterAll(async () => {
  rpc.close();
  await node.stop();
});

const METHODS = SERVICES.flatMap((service) =>
  service.methods.map((method) => ({
    path: `/${service.typeName}/${method.name}`,
    streaming: method.methodKind === "server_streaming",
  })),
);
const BINARY_PROTOCOLS = RPC_PROTOCOLS.filter(isBinary);

/** Replaces the bytes of `marker` (same length) with `bytes` inside `body`. */
function splice(body: Uint8Array, marker: string, bytes: number[]): Uint8Array {
  const out = Buffer.from(body);
  const at = out.indexOf(marker);
  if (at < 0 || bytes.length !== marker.length) throw new Error(`marker ${marker} not found`);
  out.set(bytes, at);
  return out;
}

describe("binary bodies that are not protobuf", () => {
  it.each(BINARY_PROTOCOLS)("answer invalid_argument/invalid_protobuf on every method over %s", async (protocol) => {
    const seen: string[] = [];
    for (const { path, streaming } of METHODS) {
      const out = await rpc.call(protocol, path, Uint8Array.from([0x0a, 0xff, 0xff]), { streaming });
      seen.push(`${path}: ${out.status} ${out.code} ${out.reason} ${out.message}`);
    }
    const wrong = seen.filter((line) => !/: \d+ invalid_argument invalid_protobuf /.test(line));
    expect(wrong).toEqual([]);
    // The parser's own words stay inside the node.
    expect(seen.join("\n")).not.toMatch(/premature EOF|parse binary/);
  });
});

describe("bytes that are not UTF-8", () => {
  const fact = (entity: string, v: string): Record<string, unknown> => ({
    entity,
    relation: "memory:role",
    value: { type: "string", v },
    source: "agent:test",
    scope: "company",
  });
  const restCases: [string, string, string][] = [
    ["POST", "/v1/facts", JSON.stringify(fact("user:~~", "engineer"))],
    ["POST", "/v1/facts", JSON.stringify(fact("user:alice", "engin~~"))],
    ["POST", "/v1/facts:batch", JSON.stringify({ facts: [fact("user:bob", "ok"), fact("user:~~", "x")] })],
    ["POST", "/v1/recall", JSON.stringify({ query: "who is ~~", scope: "company" })],
    ["POST", "/v1/auth/keys", JSON.stringify({ entity_uri: "agent:~~", permissions: ["read"] })],
  ];

  it.each(restCases)("%s %s answers 422 invalid_utf8 and stores nothing", async (method, path, json) => {
    const before = storeCounts(node.inspect());
    // \xe9 followed by a space, and \xff: neither starts a valid UTF-8 sequence here.
    const body = splice(Buffer.from(json), "~~", [0xe9, 0x20]);
    const res = await fetch(node.url + path, { method, headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    expect(res.status, text).toBe(422);
    expect(text).toContain("invalid_utf8");
    expect(storeCounts(node.inspect())).toEqual(before);
    const ff = splice(Buffer.from(json), "~~", [0xff, 0x20]);
    const res2 = await fetch(node.url + path, { method, headers: { "content-type": "application/json" }, body: ff });
    expect(res2.status).toBe(422);
    expect(storeCounts(node.inspect())).toEqual(before);
  });

  const request = create(AssertFactRequestSchema, {
    entity: "user:XX",
    relation: "memory:role",
    value: create(FactValueSchema, { type: ValueType.STRING, v: { case: "stringValue", value: "engineer YY" } }),
    source: "agent:test",
    scope: "company",
  });

  it.each(RPC_PROTOCOLS)("AssertFact over %s answers invalid_argument/invalid_utf8 and stores nothing", async (protocol) => {
    const encoded = isBinary(protocol)
      ? toBinary(AssertFactRequestSchema, request)
      : Buffer.from(toJsonString(AssertFactRequestSchema, request));
    const before = storeCounts(node.inspect());
    for (const [marker, bytes] of [
      ["XX", [0xe9, 0x20]],
      ["YY", [0xff, 0xfe]],
    ] as const) {
      const out = await rpc.call(protocol, "/stigmem.v1.FactService/AssertFact", splice(encoded, marker, [...bytes]));
      expect(`${out.code} ${out.reason}`, out.message).toBe("invalid_argument invalid_utf8");
    }
    expect(storeCounts(node.inspect())).toEqual(before);
    // The same request with valid text is stored, so the refusal is about the bytes alone.
    const ok = await rpc.call(protocol, "/stigmem.v1.FactService/AssertFact", encoded);
    expect(ok.code, ok.message).toBe("ok");
  });
});

describe("messages that quote the input", () => {
  // V8's JSON.parse error quotes ten UTF-16 units around the error and may cut a surrogate pair;
  // connect-es could not percent-encode that into the gRPC trailers and left the response empty.
  const broken = Buffer.from('{"garden":"x","entityUri"G"a\u{10427}\u{10427}\u{10427}\u{10427}\u{10427}\u{10427}","role":"reader"}');

  it.each(["grpc-web-json", "grpc-json"] as const)("JSON that does not parse answers invalid_argument over %s", async (protocol) => {
    const out = await rpc.call(protocol, "/stigmem.v1.GardenService/UpdateGardenMember", broken);
    expect(`${out.code} ${out.reason}`, out.message).toBe("invalid_argument invalid_argument");
  });

});
