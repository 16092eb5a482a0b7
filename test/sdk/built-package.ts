/**
 * The tests that use the SDK as a user does — by its package name, through
 * its `exports` — need the built package (`npm test` builds it first, in
 * `pretest`). This refuses a missing or stale build with the command that
 * fixes it, rather than testing old code.
 *
 * @module
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { projectFile } from "../../src/project-root.js";

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Throws unless the package's build is at least as new as its sources (SDK, core, gen). */
export function requireBuiltSdk(): void {
  const entry = projectFile("sdks", "typescript", "dist", "sdks", "typescript", "src", "index.js");
  const hint = "run `npm run build` (npm test does it in pretest)";
  if (!existsSync(entry)) throw new Error(`the SDK is not built: ${hint}`);
  const built = statSync(entry).mtimeMs;
  const sources = Math.max(newest(projectFile("sdks", "typescript", "src")), newest(projectFile("src", "core")), newest(projectFile("gen")));
  if (sources > built) throw new Error(`the SDK build is older than its sources: ${hint}`);
}
