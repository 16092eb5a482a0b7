/**
 * Runs the published stigmem 0.9 conformance vectors against fresh real
 * nodes over HTTP. Which files must pass is listed in enabled.json; a vector
 * is skipped only with a written reason, shown in the test name.
 *
 * Following the format README, the whole set runs once against one fresh
 * node (auth off), in file order, each setup vector at most once; vectors
 * marked `requires_auth` run against a second node with auth on (and
 * federation on), never skipped.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";
import type { Vector, VectorFile } from "./vector.js";
import { checkVector, expectedStatuses } from "./vector-check.js";

const VECTOR_DIR =
  process.env.STIGMEM_CONFORMANCE_DIR ?? path.resolve(projectFile(), "..", "shared", "conformance", "stigmem-0.9");

interface Enabled {
  files: string[];
  skip: Record<string, string>;
}
const enabled = JSON.parse(readFileSync(projectFile("test", "conformance", "enabled.json"), "utf8")) as Enabled;

if (!existsSync(VECTOR_DIR)) {
  console.log(`conformance: vectors not found at ${VECTOR_DIR}; nothing to run (CI requires them).`);
  describe.skip(`conformance vectors absent (${VECTOR_DIR})`, () => {
    it.skip("absent", () => {});
  });
} else {
  const files = enabled.files.map((f) => ({
    name: f,
    doc: JSON.parse(readFileSync(path.join(VECTOR_DIR, f), "utf8")) as VectorFile,
  }));
  const byId = new Map<string, Vector>();
  for (const f of files) for (const v of f.doc.vectors) byId.set(v.id, v);

  const adminKey = `conformance-admin-${randomBytes(24).toString("base64url")}`;
  const nodes: { open?: Promise<TestNode>; auth?: Promise<TestNode> } = {};
  const openNode = (): Promise<TestNode> => (nodes.open ??= startTestNode());
  // The auth node also runs federation, so the federation vectors that require auth meet the
  // routes themselves (their peer-token and permission checks), not only `federation_disabled`.
  const authNode = (): Promise<TestNode> =>
    (nodes.auth ??= startTestNode({
      env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: adminKey, STIGMEM_FEDERATION_ENABLED: "true" },
    }));
  const done = new Map<TestNode, Set<string>>();
  const gardens = new Map<TestNode, Set<string>>();

  afterAll(async () => {
    for (const n of [nodes.open, nodes.auth]) if (n !== undefined) await (await n).stop();
  });

  const send = async (node: TestNode, method: string, p: string, body: unknown, key?: string) => {
    const headers: Record<string, string> = {};
    if (body !== null && body !== undefined) headers["content-type"] = "application/json";
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    const res = await fetch(node.url + p, {
      method,
      headers,
      body: body === null || body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // Non-JSON bodies are compared as text.
    }
    return { status: res.status, body: parsed };
  };

  const runVector = async (v: Vector): Promise<{ status: number; body: unknown }> => {
    const node = v.requires_auth === true ? await authNode() : await openNode();
    const ran = done.get(node) ?? new Set<string>();
    done.set(node, ran);
    if (v.requires_setup !== undefined && !ran.has(v.requires_setup)) {
      const setup = byId.get(v.requires_setup);
      if (setup === undefined) throw new Error(`setup vector ${v.requires_setup} is not in an enabled file`);
      await runVector(setup);
    }
    const needsKey = v.requires_auth === true && expectedStatuses(v).some((s) => s < 400);
    const key = v.requires_auth === true ? (needsKey ? adminKey : undefined) : undefined;
    if (v.requires_garden !== undefined) {
      const made = gardens.get(node) ?? new Set<string>();
      gardens.set(node, made);
      if (!made.has(v.requires_garden)) {
        const r = await send(node, "POST", "/v1/gardens", { slug: v.requires_garden, name: v.requires_garden }, key);
        if (r.status !== 201 && r.status !== 409) throw new Error(`creating garden ${v.requires_garden}: ${r.status}`);
        made.add(v.requires_garden);
      }
    }
    ran.add(v.id);
    return send(node, v.method, v.path, v.body, key);
  };

  for (const { name, doc } of files) {
    describe(`${name}: ${doc.title}`, () => {
      if (doc.seed_fact !== undefined) {
        it("seed fact", async () => {
          const r = await send(await openNode(), "POST", "/v1/facts", doc.seed_fact);
          expect(r.status, JSON.stringify(r.body)).toBe(201);
        });
      }
      for (const v of doc.vectors) {
        const reason = enabled.skip[v.id];
        if (reason !== undefined) {
          console.log(`conformance: SKIPPED ${v.id}: ${reason}`);
          it.skip(`${v.id} — skipped: ${reason}`, () => {});
          continue;
        }
        it(v.id, async () => {
          const { status, body } = await runVector(v);
          expect(checkVector(v, status, body), v.description).toEqual([]);
        });
      }
    });
  }
}
