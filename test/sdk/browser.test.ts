/**
 * The SDK in a real browser: the built package, bundled by esbuild for the
 * browser (its `browser` export condition and field: connect-web transports,
 * SHA-256 from @noble/hashes), runs in headless Chromium and talks to a real
 * node over gRPC-Web. The page is served at the node's own origin (Playwright
 * answers that one URL), so the calls are same-origin and need no CORS; a
 * page on another origin would need the node to allow it.
 *
 * Needs Debian's chromium at /usr/bin/chromium: skipped with a message when
 * it is missing locally, failed when CI is set.
 */
import { existsSync } from "node:fs";
import * as esbuild from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFile } from "../../src/project-root.js";
import type { TestNode } from "../helpers/test-node.js";
import { requireBuiltSdk } from "./built-package.js";
import { ADMIN_KEY, startSdkNode } from "./sdk-node.js";

const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; CI installs Debian's chromium`);
  console.log(`browser: skipped — install Debian's chromium (${CHROMIUM}) to run it`);
}

/** What the page runs: the SDK as a browser app imports it. */
const PAGE_SCRIPT = `
import { createClient, computeFactCid, verifyFactCid, value, isStigmemError } from "@stigmem/sdk";
window.runSdk = async (baseUrl, apiKey) => {
  const c = createClient({ baseUrl, apiKey, transport: "grpc-web" });
  const info = await c.node.info();
  const input = { entity: "user:browser", relation: "memory:agent", value: value.string("Chromium, ünïcode"), source: "agent:page", scope: "company" };
  const { fact } = await c.facts.assert(input);
  const read = await c.facts.get(fact.cid);
  let missing;
  try { await c.facts.get("00000000-0000-4000-8000-000000000000"); } catch (e) {
    missing = { isStigmem: isStigmemError(e), name: e.name, code: e.code, transport: e.transport };
  }
  let grpc;
  try { createClient({ baseUrl, transport: "grpc" }); } catch (e) { grpc = e.message; }
  return {
    nodeId: info.nodeId,
    fact, sameRead: JSON.stringify(read) === JSON.stringify(fact),
    localCid: computeFactCid(input),
    verified: verifyFactCid(read).valid,
    tampered: verifyFactCid({ ...read, value: value.string("Chromium") }).valid,
    missing, grpc,
  };
};
`;

describe.skipIf(!present)("the SDK in Chromium over gRPC-Web", () => {
  let node: TestNode;
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    requireBuiltSdk();
    const built = await esbuild.build({
      stdin: { contents: PAGE_SCRIPT, resolveDir: projectFile(), loader: "js" },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    bundle = built.outputFiles[0]!.text;
    node = await startSdkNode();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it("bundles without Node built-ins", () => {
    expect(bundle).not.toMatch(/from\s*["']node:/);
    expect(bundle).not.toContain("connect-node");
  });

  it("writes, reads, verifies and fails with typed errors from a page", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const pageUrl = `${node.url}/sdk-browser-test.html`;
    await page.route(pageUrl, (route) =>
      route.fulfill({ contentType: "text/html", body: `<!doctype html><meta charset="utf-8"><script type="module">${bundle}</script>` }),
    );
    await page.goto(pageUrl);
    // These functions run in the page, where globalThis is its window.
    await page.waitForFunction(() => typeof (globalThis as unknown as { runSdk?: unknown }).runSdk === "function");
    const out = await page.evaluate(
      ([url, key]) => (globalThis as unknown as { runSdk: (u: string, k: string) => Promise<Record<string, any>> }).runSdk(url!, key!),
      [node.url, ADMIN_KEY],
    );
    expect(errors).toEqual([]);
    expect(out.nodeId).toBe(node.node.nodeId);
    expect(out.fact).toMatchObject({ entity: "user:browser", value: { type: "string", v: "Chromium, ünïcode", interpretAs: "content" }, scope: "company" });
    expect(out.sameRead).toBe(true);
    expect(out.localCid).toBe(out.fact.cid);
    expect(out.verified).toBe(true);
    expect(out.tampered).toBe(false);
    expect(out.missing).toEqual({ isStigmem: true, name: "NotFoundError", code: "not_found", transport: "grpc-web" });
    expect(out.grpc).toMatch(/grpc-web/);
    // The node really served the page's calls over gRPC-Web.
    const stored = await fetch(`${node.url}/v1/facts/${out.fact.id}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(((await stored.json()) as { cid: string }).cid).toBe(out.fact.cid);
    await page.close();
  });
});
