/**
 * The docs say what the node does: the README's "What this node implements"
 * table and the contract's `x-stigmem-status: planned` marks are what
 * `npm run docs:api` generates from the contract and the routers, and the
 * routers really answer that way — every planned operation 501 (REST) or
 * `unimplemented` (Connect), every implemented one something else.
 */
import { readFileSync } from "node:fs";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { plannedOperationIds, renderApiStatus, replaceReadmeSection, restOperationStatus, rpcServiceStatus } from "../../src/server/api-status.js";
import { markPlannedOperations, PLANNED_SENTENCE } from "../../src/server/openapi-status-marks.js";
import { projectFile } from "../../src/project-root.js";
import { SERVICES } from "../../src/transport/connect/routes.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const STALE = "run `npm run docs:api` and commit the result";

describe("generated docs are current", () => {
  it("README's table is what the generator writes", () => {
    const readme = readFileSync(projectFile("README.md"), "utf8");
    expect(replaceReadmeSection(readme, renderApiStatus()), STALE).toBe(readme);
  });

  it("the contract's planned marks are what the generator writes", () => {
    const yaml = readFileSync(projectFile("openapi", "stigmem.yaml"), "utf8");
    expect(markPlannedOperations(yaml, new Set(plannedOperationIds())), STALE).toBe(yaml);
    // And /docs shows them: every planned operation's description opens with the sentence.
    const doc = parse(yaml) as { paths: Record<string, Record<string, { operationId?: string; description?: string; "x-stigmem-status"?: string }>> };
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item)).filter((op) => op.operationId !== undefined);
    for (const op of ops) {
      const planned = plannedOperationIds().includes(op.operationId!);
      expect(op["x-stigmem-status"], op.operationId).toBe(planned ? "planned" : undefined);
      expect(op.description?.startsWith(PLANNED_SENTENCE) ?? false, op.operationId).toBe(planned);
    }
  });
});

describe("the routers answer as the docs say", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  });
  afterAll(async () => {
    await node.stop();
  });

  it("every planned REST operation answers 501, every implemented one something else", async () => {
    const ops = restOperationStatus();
    expect(ops.length).toBeGreaterThan(40);
    for (const op of ops) {
      const path = op.path.replace(/\{[^}]+\}/g, "x");
      const body = ["POST", "PUT", "PATCH"].includes(op.method) ? "{}" : undefined;
      const res = await fetch(`${node.url}${path}`, {
        method: op.method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body,
      });
      await res.body?.cancel();
      expect(res.status === 501, `${op.method} ${op.path} answered ${res.status}`).toBe(!op.implemented);
    }
  });

  it("every planned Connect method answers unimplemented, every implemented one something else", async () => {
    const transport = createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" });
    const status = new Map(rpcServiceStatus().map((s) => [s.service, s]));
    for (const service of SERVICES) {
      const client = createClient(service, transport) as unknown as Record<string, (req: object) => unknown>;
      for (const method of service.methods) {
        let code: Code | "ok" = "ok";
        try {
          const result = client[method.localName]!({});
          if (method.methodKind === "server_streaming") {
            // Read one message at most: a live stream would otherwise not end.
            await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
          } else {
            await result;
          }
        } catch (e) {
          code = ConnectError.from(e).code;
        }
        const planned = status.get(service.typeName)!.planned.includes(method.name);
        expect(code === Code.Unimplemented, `${service.typeName}/${method.name} answered ${code}`).toBe(planned);
      }
    }
  });
});

describe("markPlannedOperations", () => {
  const yaml = [
    "paths:",
    "  /a:",
    "    get:",
    "      operationId: plain",
    "      summary: A",
    "      description: Permission — `read`.",
    "      responses: {}",
    "    post:",
    "      operationId: block",
    "      description: |",
    "        First line.",
    "        Second line.",
    "      responses: {}",
    "  /b:",
    "    get:",
    "      operationId: done",
    "      description: Done.",
    "",
  ].join("\n");

  it("marks a one-line and a block description, and nothing else", () => {
    const marked = markPlannedOperations(yaml, new Set(["plain", "block"]));
    const doc = parse(marked) as { paths: Record<string, Record<string, { description: string; "x-stigmem-status"?: string }>> };
    expect(doc.paths["/a"]!.get).toMatchObject({ "x-stigmem-status": "planned", description: `${PLANNED_SENTENCE}\n\nPermission — \`read\`.\n` });
    expect(doc.paths["/a"]!.post).toMatchObject({ "x-stigmem-status": "planned", description: `${PLANNED_SENTENCE}\n\nFirst line.\nSecond line.\n` });
    expect(doc.paths["/b"]!.get).toEqual({ operationId: "done", description: "Done." });
  });

  it("is idempotent, and removes the marks of operations that landed", () => {
    const marked = markPlannedOperations(yaml, new Set(["plain", "block"]));
    expect(markPlannedOperations(marked, new Set(["plain", "block"]))).toBe(marked);
    const landed = markPlannedOperations(marked, new Set(["plain"]));
    expect(landed).not.toContain("operationId: block\n      x-stigmem-status");
    expect((parse(landed) as { paths: Record<string, Record<string, { description: string }>> }).paths["/a"]!.post!.description).toBe(
      "First line.\nSecond line.\n",
    );
    expect(markPlannedOperations(landed, new Set())).not.toContain("x-stigmem-status");
  });

  it("refuses a description form it cannot edit safely", () => {
    const quoted = yaml.replace("description: Permission — `read`.", 'description: "quoted"');
    expect(() => markPlannedOperations(quoted, new Set(["plain"]))).toThrow(/operation plain: .*mark it by hand/);
  });
});
