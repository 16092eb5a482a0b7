/**
 * Refusals are not failures: a 501 for an operation that has not landed, or
 * a 4xx, leaves the one info line every request gets and nothing at error
 * level, so a client cannot fill the log with stack traces by calling them.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../src/server/logger.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const lines: Record<string, unknown>[] = [];
let node: TestNode;
beforeAll(async () => {
  const log = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" }, log });
});
afterAll(async () => {
  await node.stop();
});

it("logs 501s and 4xx at info, without a stack", async () => {
  const calls = [
    () => fetch(`${node.url}/v1/gardens`),
    () => fetch(`${node.url}/v1/lint`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    () =>
      fetch(`${node.url}/stigmem.v1.LintService/Lint`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    () => fetch(`${node.url}/v1/facts/not-a-fact`),
    () => fetch(`${node.url}/v1/facts`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
  ];
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (const call of calls) {
      const res = await call();
      await res.text();
      statuses.push(res.status);
    }
  }
  expect(new Set(statuses)).toEqual(new Set([501, 404, 422]));
  await new Promise((r) => setTimeout(r, 50));
  const completed = lines.filter((l) => l.msg === "request completed");
  expect(completed.length).toBeGreaterThanOrEqual(15);
  expect(completed.every((l) => l.level === 30)).toBe(true);
  const loud = lines.filter((l) => (l.level as number) >= 40 || JSON.stringify(l).includes("stack"));
  expect(loud).toEqual([]);
});
