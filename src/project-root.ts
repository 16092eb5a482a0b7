/**
 * Locates files shipped beside the code (package.json, openapi/) whether we
 * run from `src/` (tests) or from the compiled `dist/src/`.
 *
 * @module
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "openapi"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the stigmem project root (package.json beside openapi/)");
    dir = parent;
  }
}

const ROOT = findRoot();

/** Absolute path of a file relative to the project root. */
export function projectFile(...segments: string[]): string {
  return path.join(ROOT, ...segments);
}
