#!/usr/bin/env node
/**
 * `npm run contract:check`: fails when the working contract breaks the last
 * released one (contract/baseline/), whatever commit the break came in —
 * not only against the previous commit.
 *
 * - proto: `buf breaking` against the baseline image (FILE rules, buf.yaml).
 * - OpenAPI: api-smart-diff classifies every difference of the document as
 *   breaking or not, for requests and responses separately (a removed or
 *   retyped response field, a new required input, a narrowed input or a
 *   widened output enum, a removed operation...).
 * - versions: the baseline, `info.version` and the SDK package agree.
 *
 * A deliberate break ships by releasing a new contract version
 * (`npm run contract:release -- VERSION`) in a reviewed commit.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { BASELINE_IMAGE, BASELINE_OPENAPI, BUF, OPENAPI, ROOT, readRelease, sha256, versions } from "./contract-files.mjs";
import { openApiBreaks } from "./openapi-breaking.mjs";

const release = readRelease();
const problems = [];

if (sha256(BASELINE_IMAGE) !== release.proto_image_sha256 || sha256(BASELINE_OPENAPI) !== release.openapi_sha256) {
  problems.push("contract/baseline/ was changed by hand: only `npm run contract:release` writes it");
}

const buf = spawnSync(BUF, ["breaking", "--against", BASELINE_IMAGE], { cwd: ROOT, encoding: "utf8" });
if (buf.status !== 0) problems.push(`proto breaks contract ${release.version} (buf breaking):\n${(buf.stdout + buf.stderr).trim()}`);

const breaks = openApiBreaks(parse(readFileSync(BASELINE_OPENAPI, "utf8")), parse(readFileSync(OPENAPI, "utf8")));
if (breaks.length > 0) {
  problems.push(`openapi/stigmem.yaml breaks contract ${release.version}:\n${breaks.map((l) => `  ${l}`).join("\n")}`);
}

const v = versions();
if (v.sdk !== v.baseline || v.openapi !== v.baseline) {
  problems.push(`versions disagree: contract baseline ${v.baseline}, openapi info.version ${v.openapi}, @stigmem/sdk ${v.sdk}`);
}

if (problems.length > 0) {
  console.error(problems.join("\n\n"));
  console.error("\nTo ship a deliberate break, release a new contract version: npm run contract:release -- VERSION");
  process.exit(1);
}
console.log(`contract matches release ${release.version}: no breaking change in proto/ or openapi/stigmem.yaml`);
