/**
 * One offline-embedder vocabulary for the whole test run: derived once by
 * the global setup (a few seconds, first run on a machine only) into a fixed
 * folder under `node_modules/.cache`, and pointed at by every test node and
 * every `stigmem serve` a test spawns, so no test derives its own.
 *
 * @module
 */
import { projectFile } from "../../src/project-root.js";

export const EMBED_CACHE_DIR = projectFile("node_modules", ".cache", "stigmem-embed");

/** The variables that make a node (or a spawned `stigmem`) use the shared vocabulary. */
export function embedTestEnv(): Record<string, string> {
  return { STIGMEM_EMBED_CACHE_DIR: EMBED_CACHE_DIR };
}
