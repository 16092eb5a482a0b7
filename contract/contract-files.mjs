/**
 * Where the contract and its released baseline live, shared by the release
 * and check scripts and the test that keeps versions in step.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BUF = path.join(ROOT, "node_modules", ".bin", "buf");
export const BASELINE = path.join(ROOT, "contract", "baseline");
/** The last released contract: a buf image of proto/ and the OpenAPI document, with their version. */
export const BASELINE_IMAGE = path.join(BASELINE, "stigmem.binpb");
export const BASELINE_OPENAPI = path.join(BASELINE, "openapi.yaml");
export const BASELINE_RELEASE = path.join(BASELINE, "release.json");
export const OPENAPI = path.join(ROOT, "openapi", "stigmem.yaml");
export const SDK_PACKAGE = path.join(ROOT, "sdks", "typescript", "package.json");

/** `{version, proto_image_sha256, openapi_sha256}` of the baseline. */
export function readRelease() {
  return JSON.parse(readFileSync(BASELINE_RELEASE, "utf8"));
}

export function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** `info.version` of an OpenAPI document's YAML text (the first `version:` under `info:`). */
export function openApiVersion(text) {
  const m = /^info:\n(?:[ \t].*\n)*?[ \t]+version:[ \t]*['"]?([^'"\s]+)/m.exec(text);
  if (m === null) throw new Error("openapi/stigmem.yaml has no info.version");
  return m[1];
}

/** The versions that must agree: the baseline's, the SDK package's and the OpenAPI document's. */
export function versions() {
  return {
    baseline: readRelease().version,
    sdk: JSON.parse(readFileSync(SDK_PACKAGE, "utf8")).version,
    openapi: openApiVersion(readFileSync(OPENAPI, "utf8")),
  };
}
