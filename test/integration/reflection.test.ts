/**
 * gRPC server reflection on the node's one port: `buf curl` with no
 * `--schema` lists the services and calls a method, over v1 and v1alpha,
 * without credentials even when auth is on (the contract is public).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { SERVICES } from "../../src/transport/connect/routes.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const BUF = projectFile("node_modules", ".bin", "buf");
const KEY = "reflection-test-admin-key-0123456789abcd";

/** Runs buf curl against the node (async: the node runs in this process's event loop). */
async function bufCurl(...args: string[]): Promise<string> {
  const r = await promisify(execFile)(BUF, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], { timeout: 30_000 });
  return r.stdout;
}

describe("gRPC server reflection", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: KEY } });
  });
  afterAll(async () => {
    await node.stop();
  });

  it.each(["grpc-v1", "grpc-v1alpha"])("lists every service and method of the contract (%s)", async (version) => {
    const services = (await bufCurl("--reflect-protocol", version, "--list-services", node.url)).trim().split("\n");
    expect(services).toEqual(
      [...SERVICES.map((s) => s.typeName), "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"].sort(),
    );
    const methods = (await bufCurl("--reflect-protocol", version, "--list-methods", node.url)).trim().split("\n");
    expect(methods).toContain("stigmem.v1.NodeService/GetNodeInfo");
    expect(methods).toContain("stigmem.v1.FactService/WatchFacts");
    expect(methods.length).toBe(SERVICES.reduce((n, s) => n + s.methods.length, 0) + 2);
  });

  it("calls NodeService/GetNodeInfo with the schema from reflection", async () => {
    const info = JSON.parse(await bufCurl(`${node.url}/stigmem.v1.NodeService/GetNodeInfo`)) as { nodeId: string; auth: string };
    expect(info).toMatchObject({ nodeId: node.node.nodeId, auth: "required" });
  });

  it("calls a method whose messages span several files (their dependencies are sent)", async () => {
    const auth = ["-H", `Authorization: Bearer ${KEY}`];
    const fact = { entity: "user:r", relation: "memory:x", value: { type: "VALUE_TYPE_STRING", stringValue: "y" }, source: "agent:r", scope: "local" };
    await bufCurl(...auth, "-d", JSON.stringify(fact), `${node.url}/stigmem.v1.FactService/AssertFact`);
    const page = JSON.parse(await bufCurl(...auth, "-d", '{"entity":"user:r"}', `${node.url}/stigmem.v1.FactService/QueryFacts`)) as {
      facts: { value: { stringValue: string } }[];
      total: string;
    };
    expect(page.total).toBe("1"); // int64 in proto JSON

    expect(page.facts[0]?.value.stringValue).toBe("y");
  });

  it("answers an unknown service as not found", async () => {
    await expect(bufCurl(`${node.url}/stigmem.v1.NoSuchService/Nothing`)).rejects.toThrow(/not found|could not find|failed to find/i);
  });
});
