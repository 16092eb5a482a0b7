/**
 * The reference's own SDKs, unmodified, against our node: they print
 * `HTTP <status>: <detail>`, so our error bodies must keep `detail` in the
 * reference's shape for the route (protocol.md §7) for them to show a
 * sentence instead of `[object Object]` or a raw dict. Runs the Python SDK
 * with the pyenv `python3` (its dependencies come with the kit) and the
 * TypeScript SDK compiled from its source with our tsc.
 *
 * The kit lives in ../shared/reference/node-kit: skipped with a message when
 * it is absent (a user's fresh clone), failed when CI is set.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const KIT = projectFile("..", "shared", "reference", "node-kit");
const present = existsSync(path.join(KIT, "python", "stigmem")) && existsSync(path.join(KIT, "sdk-ts", "src"));
if (!present) {
  if (process.env.CI) throw new Error(`reference node kit not found at ${KIT}; CI requires ../shared/reference/`);
  console.log(`reference-sdk-errors: skipped — reference node kit not found at ${KIT}`);
}

/** The node's admin key (auth is on, so the 422 of a too-short key is reachable). */
const ADMIN_KEY = "reference-sdk-errors-admin-key-0123456789";
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };

/** A conflict the SDKs can resolve twice: two sources, two values, one triple. */
async function makeConflict(url: string, entity: string): Promise<{ id: string; winner: string }> {
  for (const [source, v] of [["agent:a", "red"], ["agent:b", "blue"]] as const) {
    const res = await fetch(`${url}/v1/facts`, {
      method: "POST",
      headers: { "content-type": "application/json", ...AUTH },
      body: JSON.stringify({ entity, relation: "pref:color", value: { type: "string", v }, source, scope: "local" }),
    });
    expect(res.status).toBe(201);
  }
  const list = (await (await fetch(`${url}/v1/conflicts?status=unresolved`, { headers: AUTH })).json()) as {
    conflicts: { conflict_id: string; entity: string; fact_a: { id: string } }[];
  };
  const first = list.conflicts.find((c) => c.entity === entity);
  expect(first).toBeDefined();
  return { id: first!.conflict_id, winner: first!.fact_a.id };
}

const PYTHON_SCRIPT = `
import json, sys
from stigmem import StigmemClient
from stigmem.client import _raise_for_status
from stigmem.exceptions import StigmemHTTPError
url, key, conflict, winner = sys.argv[1:5]
out = {}
def attempt(name, fn):
    try:
        fn()
        out[name] = None
    except StigmemHTTPError as e:
        out[name] = str(e)
with StigmemClient(url, api_key=key) as c:
    attempt("404", lambda: c.get("00000000-0000-4000-8000-000000000000"))
    c.resolve_conflict(conflict, winning_fact_id=winner, resolution_note="first")
    attempt("409", lambda: c.resolve_conflict(conflict, winning_fact_id=winner, resolution_note="again"))
    attempt("422", lambda: c.query(limit=501))
    attempt("federation off", lambda: c.federation_status())
    # The SDK has no call for a planned route any more; its own error path over one.
    attempt("501", lambda: _raise_for_status(c._http.get("/v1/lint/jobs/x")))
print(json.dumps(out))
`;

describe.skipIf(!present)("the reference SDKs read our error bodies", () => {
  let node: TestNode;
  let work: string;
  beforeAll(async () => {
    node = await startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY } });
    work = mkdtempSync(path.join(os.tmpdir(), "stigmem-refsdk-"));
  });
  afterAll(async () => {
    await node.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("Python SDK: a sentence for 404, 409 and 501, FastAPI's list for 422", async () => {
    const conflict = await makeConflict(node.url, "user:python");
    writeFileSync(path.join(work, "errors.py"), PYTHON_SCRIPT);
    // Async on purpose: the node under test runs in this process's event loop.
    const r = await promisify(execFile)("python3", [path.join(work, "errors.py"), node.url, ADMIN_KEY, conflict.id, conflict.winner], {
      timeout: 60_000,
      env: { ...process.env, PYTHONPATH: `${path.join(KIT, "deps")}:${path.join(KIT, "python")}` },
    });
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(out["404"]).toBe("HTTP 404: no fact 00000000-0000-4000-8000-000000000000");
    expect(out["409"]).toBe(`HTTP 409: conflict ${conflict.id} is already resolved`);
    expect(out["422"]).toMatch(/^HTTP 422: \[\{'loc': \['query', 'limit'\], 'msg': '[^']+'/);
    expect(out["federation off"]).toBe("HTTP 404: federation is not enabled on this node");
    expect(out["501"]).toBe("HTTP 501: getLintJob is not implemented by this node yet");
  });

  it("TypeScript SDK: a sentence for 404, 409, 422 and 501", async () => {
    const conflict = await makeConflict(node.url, "user:typescript");
    const out = path.join(work, "sdk-ts");
    const tsc = spawnSync(
      projectFile("node_modules", ".bin", "tsc"),
      ["--outDir", out, "--rootDir", path.join(KIT, "sdk-ts", "src"), "--module", "ES2022", "--moduleResolution", "Bundler",
        "--target", "ES2022", "--lib", "ES2022,DOM", "--skipLibCheck", "--types", "node", path.join(KIT, "sdk-ts", "src", "index.ts")],
      { encoding: "utf8" },
    );
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    writeFileSync(path.join(out, "package.json"), '{"type":"module"}');
    const sdk = (await import(pathToFileURL(path.join(out, "index.js")).href)) as {
      StigmemClient: new (o: { url: string; apiKey: string }) => Record<string, (...a: unknown[]) => Promise<unknown>>;
    };
    const c = new sdk.StigmemClient({ url: node.url, apiKey: ADMIN_KEY });
    const message = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => "no error",
        (e: Error) => e.message,
      );
    expect(await message(c.getFact!("00000000-0000-4000-8000-000000000000"))).toBe("HTTP 404: no fact 00000000-0000-4000-8000-000000000000");
    const resolve = { winning_fact_id: conflict.winner, resolution_note: "note" };
    await c.resolveConflict!(conflict.id, resolve);
    expect(await message(c.resolveConflict!(conflict.id, resolve))).toBe(`HTTP 409: conflict ${conflict.id} is already resolved`);
    expect(await message(c.lint!("local"))).toBe("HTTP 501: lint is not implemented by this node yet");
    // This SDK interpolates detail into its message, so a FastAPI list prints as
    // [object Object] from the reference node too; our semantic 422s are strings.
    // The SDK has no key method: its request helper is private to TypeScript only.
    const req = c.req as unknown as (m: string, p: string, b: unknown) => Promise<unknown>;
    expect(await message(req.call(c, "POST", "/v1/auth/keys", { raw_key: "short", entity_uri: "agent:x" }))).toBe(
      "HTTP 422: raw_key must be 32–256 characters (got 5)",
    );
  });
});
