// examples/low-level.mjs — under the facade: protobuf messages over gRPC, typed REST over /v1.
import assert from "node:assert/strict";
import { createTransport } from "@stigmem/sdk";
import { createServiceClients } from "@stigmem/sdk/connect";
import { createRestClient } from "@stigmem/sdk/rest";

const baseUrl = process.env.STIGMEM_URL ?? "http://127.0.0.1:8765";
const apiKey = process.env.STIGMEM_API_KEY;

const rpc = createServiceClients(createTransport({ baseUrl, apiKey, transport: "grpc" }));
const info = await rpc.node.getNodeInfo({});
console.log(`gRPC: node ${info.nodeId}, spec ${info.spec}`);

const api = createRestClient({ baseUrl, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
const { data, response } = await api.GET("/v1/me");
assert.equal(response.status, 200);
console.log(`REST: I am ${data.entity_uri} with ${data.permissions.join(", ")}`);
