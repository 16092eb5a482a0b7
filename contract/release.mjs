#!/usr/bin/env node
/**
 * `npm run contract:release -- VERSION`: makes the current contract the
 * released baseline that `contract:check` compares against. Run it only in a
 * commit of its own, reviewed as a release: it writes a buf image of proto/
 * and a copy of openapi/stigmem.yaml to contract/baseline/, and sets VERSION
 * as the baseline's, the OpenAPI document's `info.version` and the SDK
 * package's version, which a test keeps equal.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import {
  BASELINE_IMAGE,
  BASELINE_OPENAPI,
  BASELINE_RELEASE,
  BUF,
  OPENAPI,
  ROOT,
  SDK_PACKAGE,
  openApiVersion,
  sha256,
} from "./contract-files.mjs";

const version = process.argv[2];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
if (version === undefined || !SEMVER.test(version)) {
  console.error("usage: npm run contract:release -- VERSION   (semver, e.g. 0.2.0)");
  process.exit(2);
}

const build = spawnSync(BUF, ["build", "--exclude-source-info", "-o", BASELINE_IMAGE], { cwd: ROOT, encoding: "utf8" });
if (build.status !== 0) {
  console.error(build.stderr);
  process.exit(1);
}

const openapi = readFileSync(OPENAPI, "utf8");
const old = openApiVersion(openapi);
writeFileSync(OPENAPI, openapi.replace(/^(info:\n(?:[ \t].*\n)*?[ \t]+version:[ \t]*)['"]?[^'"\s]+['"]?/m, `$1${version}`));
copyFileSync(OPENAPI, BASELINE_OPENAPI);

const pkg = JSON.parse(readFileSync(SDK_PACKAGE, "utf8"));
pkg.version = version;
writeFileSync(SDK_PACKAGE, `${JSON.stringify(pkg, null, 2)}\n`);

const release = { version, proto_image_sha256: sha256(BASELINE_IMAGE), openapi_sha256: sha256(BASELINE_OPENAPI) };
writeFileSync(BASELINE_RELEASE, `${JSON.stringify(release, null, 2)}\n`);
console.log(`contract ${old} -> ${version}: baseline written; commit contract/, openapi/stigmem.yaml and sdks/typescript/package.json together`);
