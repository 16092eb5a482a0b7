/**
 * The contract is versioned and checked against its last release
 * (contract/baseline/): the SDK, the OpenAPI document and the baseline carry
 * one version; the baseline is what the release script wrote; and the checks
 * behind `npm run contract:check` catch breaking changes — buf breaking on a
 * copy of proto/ with a field removed, the OpenAPI classifier on mutations of
 * the real document — while letting additive ones through.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectFile } from "../../src/project-root.js";

type Doc = Record<string, any>;
interface ContractFiles {
  versions(): { baseline: string; sdk: string; openapi: string };
  readRelease(): { version: string; proto_image_sha256: string; openapi_sha256: string };
  sha256(file: string): string;
  BASELINE_IMAGE: string;
  BASELINE_OPENAPI: string;
}

const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(projectFile("contract", file)).href)) as T;

let files: ContractFiles;
let openApiBreaks: (before: Doc, after: Doc) => string[];
let current: Doc;
beforeAll(async () => {
  files = await load<ContractFiles>("contract-files.mjs");
  ({ openApiBreaks } = await load<{ openApiBreaks: typeof openApiBreaks }>("openapi-breaking.mjs"));
  current = parse(readFileSync(projectFile("openapi", "stigmem.yaml"), "utf8")) as Doc;
});

describe("contract release", () => {
  it("versions the SDK and the OpenAPI document with the contract baseline", () => {
    const v = files.versions();
    expect(v.sdk).toBe(v.baseline);
    expect(v.openapi).toBe(v.baseline);
  });

  it("holds the baseline the release script wrote, unchanged", () => {
    const release = files.readRelease();
    expect(files.sha256(files.BASELINE_IMAGE)).toBe(release.proto_image_sha256);
    expect(files.sha256(files.BASELINE_OPENAPI)).toBe(release.openapi_sha256);
  });
});

describe("OpenAPI breaking-change classifier", () => {
  const mutate = (f: (d: Doc) => void): Doc => {
    const d = structuredClone(current);
    f(d);
    return d;
  };

  it("finds nothing between a document and itself, or after a version bump", () => {
    expect(openApiBreaks(current, current)).toEqual([]);
    expect(openApiBreaks(current, mutate((d) => (d.info.version = "9.9.9")))).toEqual([]);
  });

  it.each([
    ["a response field removed", (d: Doc) => delete d.components.schemas.FactRecord.properties.cid],
    ["a request field made required", (d: Doc) => d.components.schemas.AssertRequest.required.push("valid_until")],
    ["an operation removed", (d: Doc) => delete d.paths["/v1/facts/{fact_id}/verify-cid"]],
    ["a response field retyped", (d: Doc) => (d.components.schemas.FactRecord.properties.confidence = { type: "string" })],
    ["a required query parameter added", (d: Doc) => d.paths["/v1/facts"].get.parameters.push({ name: "must", in: "query", required: true, schema: { type: "string" } })],
  ])("flags %s", (_name, change) => {
    expect(openApiBreaks(current, mutate(change)).length).toBeGreaterThan(0);
  });

  it.each([
    ["an optional response field added", (d: Doc) => (d.components.schemas.FactRecord.properties.extra = { type: "string" })],
    ["an optional request field added", (d: Doc) => (d.components.schemas.AssertRequest.properties.extra = { type: "string" })],
  ])("lets %s through", (_name, change) => {
    expect(openApiBreaks(current, mutate(change))).toEqual([]);
  });
});

describe("proto breaking check against the baseline image", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), "stigmem-contract-"));
    cpSync(projectFile("proto"), path.join(work, "proto"), { recursive: true });
    cpSync(projectFile("buf.yaml"), path.join(work, "buf.yaml"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const breaking = (): { status: number | null; out: string } => {
    const r = spawnSync(projectFile("node_modules", ".bin", "buf"), ["breaking", "--against", files.BASELINE_IMAGE], { cwd: work, encoding: "utf8" });
    return { status: r.status, out: r.stdout + r.stderr };
  };

  it("passes for the contract as released and fails once a field is removed", () => {
    expect(breaking().status).toBe(0);
    const file = path.join(work, "proto", "stigmem", "v1", "node.proto");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^\s*string spec = 8;\n/m, ""));
    const r = breaking();
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/Previously present field "8" with name "spec" on message "GetNodeInfoResponse" was deleted/);
  });
});
