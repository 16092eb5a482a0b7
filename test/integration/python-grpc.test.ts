/**
 * Cross-language: a Python grpcio client, with stubs generated from proto/
 * at test time (buf compiles, grpc_tools generates), calls the node over gRPC. Needs Debian's python3-grpcio and
 * python3-grpc-tools (installed by .ci/run); skipped with a message when
 * they are missing locally.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const PYTHON = "/usr/bin/python3";
const available = spawnSync(PYTHON, ["-c", "import grpc, grpc_tools"]).status === 0;
if (!available) {
  console.log("python-grpc: skipped — install python3-grpcio and python3-grpc-tools (apt) to run it");
}

const CLIENT = `
import json, sys
sys.path.insert(0, sys.argv[2])
import grpc
from stigmem.v1 import node_pb2, node_pb2_grpc, lint_pb2, lint_pb2_grpc
with grpc.insecure_channel(sys.argv[1]) as channel:
    info = node_pb2_grpc.NodeServiceStub(channel).GetNodeInfo(node_pb2.GetNodeInfoRequest(), timeout=10)
    try:
        lint_pb2_grpc.LintServiceStub(channel).Lint(lint_pb2.LintRequest(), timeout=10)
        unimplemented = None
    except grpc.RpcError as e:
        unimplemented = e.code().name
    print(json.dumps({"node_id": info.node_id, "version": info.version, "namespaces": list(info.namespaces),
                      "lint": unimplemented}))
`;

describe.skipIf(!available)("Python grpcio client", () => {
  let node: TestNode;
  let work: string;
  beforeAll(async () => {
    node = await startTestNode();
    work = mkdtempSync(path.join(os.tmpdir(), "stigmem-py-"));
  });
  afterAll(async () => {
    await node.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("calls NodeService over gRPC with stubs generated from proto/", async () => {
    // Debian's grpc_tools bundles protoc 3.5, which predates proto3 `optional`;
    // buf compiles proto/ to descriptors and that protoc only generates code.
    const descriptors = path.join(work, "stigmem.binpb");
    const build = spawnSync(projectFile("node_modules", ".bin", "buf"), ["build", "-o", descriptors], {
      cwd: projectFile(),
      encoding: "utf8",
    });
    expect(build.status, build.stderr).toBe(0);
    const protos = readdirSync(projectFile("proto", "stigmem", "v1")).map((f) => `stigmem/v1/${f}`);
    const args = [`--descriptor_set_in=${descriptors}`, `--python_out=${work}`, `--grpc_python_out=${work}`, ...protos];
    const gen = spawnSync(
      PYTHON,
      ["-c", "import sys; from grpc_tools import protoc; sys.exit(protoc.main(['protoc'] + sys.argv[1:]))", ...args],
      { encoding: "utf8" },
    );
    expect(gen.status, gen.stderr).toBe(0);
    writeFileSync(path.join(work, "client.py"), CLIENT);
    const target = new URL(node.url).host;
    // Async on purpose: the node under test runs in this process's event loop.
    const r = await promisify(execFile)(PYTHON, [path.join(work, "client.py"), target, work], { timeout: 30_000 });
    const out = JSON.parse(r.stdout) as { node_id: string; version: string; namespaces: string[]; lint: string };
    expect(out.node_id).toBe(node.node.nodeId);
    expect(out.version).toBe("1.0");
    expect(out.namespaces).toContain("garden:");
    expect(out.lint).toBe("UNIMPLEMENTED");
  });
});
