/**
 * Other languages: the documented generator makes a Python (grpcio) client
 * into a folder of the caller's choice, with no knowledge of the
 * descriptor-set workaround on the caller's side, and the documented Python
 * example runs against a real node with it. Needs Debian's python3-grpcio and
 * python3-grpc-tools (installed by .ci/run): skipped with a message when
 * missing locally, failed when CI is set.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import type { TestNode } from "../helpers/test-node.js";
import { ADMIN_KEY, startSdkNode } from "./sdk-node.js";

const PYTHON = "/usr/bin/python3";
const available = spawnSync(PYTHON, ["-c", "import grpc, grpc_tools"]).status === 0;
if (!available) {
  if (process.env.CI) throw new Error("python3-grpcio and python3-grpc-tools are required in CI");
  console.log("python-client: skipped — install python3-grpcio and python3-grpc-tools (apt) to run it");
}

describe.skipIf(!available)("generated Python client", () => {
  let node: TestNode;
  let out: string;
  beforeAll(async () => {
    node = await startSdkNode();
    out = mkdtempSync(path.join(os.tmpdir(), "stigmem-py-client-"));
  });
  afterAll(async () => {
    await node.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it("generates with one command and runs the README's example against the node", async () => {
    const target = path.join(out, "stigmem-py");
    // Async on purpose: the node under test runs in this process's event loop.
    const run = promisify(execFile);
    const gen = await run(process.execPath, [projectFile("sdks", "clients", "generate-clients.mjs"), "python", target], { timeout: 60_000 });
    expect(gen.stdout).toContain("Python stubs in");
    expect(existsSync(path.join(target, "stigmem", "v1", "facts_pb2_grpc.py"))).toBe(true);
    const r = await run(PYTHON, [projectFile("sdks", "clients", "examples", "quickstart.py")], {
      env: { ...process.env, PYTHONPATH: target, STIGMEM_TARGET: new URL(node.url).host, STIGMEM_API_KEY: ADMIN_KEY },
      timeout: 30_000,
    });
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`node ${node.node.nodeId} spec stigmem-0.9`);
    const cid = lines[1]!.replace(/^stored /, "");
    expect(cid).toMatch(/^sha256:[0-9a-f]{64}$/);
    const stored = await fetch(`${node.url}/v1/facts?entity=user:py`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(((await stored.json()) as { facts: { cid: string; source: string }[] }).facts).toMatchObject([{ cid, source: "agent:python" }]);
    expect(lines[2]).toMatch(/^missing fact: NOT_FOUND - no fact /);
  });

  it("refuses an unknown language with its usage", () => {
    const r = spawnSync(process.execPath, [projectFile("sdks", "clients", "generate-clients.mjs"), "cobol", out], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: generate-clients.mjs python OUT_DIR \| go OUT_DIR --module/);
  });
});
