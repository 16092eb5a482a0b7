/**
 * The SDK README's examples are real programs (sdks/typescript/examples/)
 * run here as a user runs them — `node example.mjs`, importing the built
 * package by its name — against a real node, over the transports each one
 * is meant for; each asserts what it shows. The README's copies must equal
 * the files, so the documentation cannot drift from what is tested.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import type { TestNode } from "../helpers/test-node.js";
import { requireBuiltSdk } from "./built-package.js";
import { ADMIN_KEY, startSdkNode, TRANSPORTS } from "./sdk-node.js";

const DIR = projectFile("sdks", "typescript", "examples");
const EXAMPLES = readdirSync(DIR).filter((f) => f.endsWith(".mjs")).sort();

/** Transports each example runs over (every example runs at least once). */
const RUNS: Record<string, readonly string[]> = {
  "quickstart.mjs": TRANSPORTS,
  "errors.mjs": TRANSPORTS,
  "verify.mjs": ["grpc", "rest"],
  "conflicts.mjs": ["connect", "grpc-web"],
  "low-level.mjs": ["grpc"],
};

describe("SDK examples", () => {
  let node: TestNode;
  beforeAll(async () => {
    requireBuiltSdk();
    node = await startSdkNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  it("has a run plan for every example file", () => {
    expect(EXAMPLES).toEqual(Object.keys(RUNS).sort());
  });

  it("shows each example in the README exactly as the file has it", () => {
    const readme = readFileSync(projectFile("sdks", "typescript", "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```js\n(\/\/ examples\/([\w-]+\.mjs)[^\n]*\n[\s\S]*?)```/g)];
    expect(blocks.map((b) => b[2]).sort()).toEqual(["errors.mjs", "quickstart.mjs", "verify.mjs"]);
    for (const [, code, file] of blocks) expect(code, file).toBe(readFileSync(`${DIR}/${file}`, "utf8"));
  });

  it.each(Object.entries(RUNS).flatMap(([file, ts]) => ts.map((t) => [file, t] as const)))("%s over %s", async (file, transport) => {
    // Async on purpose: the node under test runs in this process's event loop.
    const r = await promisify(execFile)(process.execPath, [`${DIR}/${file}`], {
      cwd: projectFile(),
      env: { ...process.env, STIGMEM_URL: node.url, STIGMEM_API_KEY: ADMIN_KEY, STIGMEM_TRANSPORT: transport },
      timeout: 30_000,
    });
    expect(r.stdout.length).toBeGreaterThan(0);
  });
});
