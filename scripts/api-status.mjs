#!/usr/bin/env node
/**
 * `npm run docs:api`: rewrites the README's "What this node implements"
 * section and the `x-stigmem-status: planned` marks of openapi/stigmem.yaml
 * from the contract and the routers (src/server/api-status.ts), using the
 * compiled code. test/unit/api-status.test.ts fails while either is stale.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { plannedOperationIds, renderApiStatus, replaceReadmeSection } = await import(
  path.join(ROOT, "dist/src/server/api-status.js")
);
const { markPlannedOperations } = await import(path.join(ROOT, "dist/src/server/openapi-status-marks.js"));

const readmeFile = path.join(ROOT, "README.md");
const yamlFile = path.join(ROOT, "openapi", "stigmem.yaml");
const readme = fs.readFileSync(readmeFile, "utf8");
const yaml = fs.readFileSync(yamlFile, "utf8");
const nextReadme = replaceReadmeSection(readme, renderApiStatus());
const nextYaml = markPlannedOperations(yaml, new Set(plannedOperationIds()));
for (const [file, before, after] of [
  [readmeFile, readme, nextReadme],
  [yamlFile, yaml, nextYaml],
]) {
  if (before !== after) {
    fs.writeFileSync(file, after);
    process.stderr.write(`updated ${path.relative(ROOT, file)}\n`);
  }
}
