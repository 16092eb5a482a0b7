/** The shared offline embedder of the test run (see helpers/embed-cache.ts). */
import { loadOfflineEmbedder } from "../../src/embed/offline-embedder.js";
import { EMBED_CACHE_DIR } from "../helpers/embed-cache.js";

export function offline(): ReturnType<typeof loadOfflineEmbedder> {
  return loadOfflineEmbedder(EMBED_CACHE_DIR);
}
