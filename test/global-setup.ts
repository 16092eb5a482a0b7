/**
 * Vitest global setup: derives the offline embedder's vocabulary into the
 * shared test cache before any test starts a node (see helpers/embed-cache.ts).
 */
import { loadOfflineEmbedder } from "../src/embed/offline-embedder.js";
import { stderrProgress } from "../src/embed/progress.js";
import { EMBED_CACHE_DIR } from "./helpers/embed-cache.js";

export default function setup(): void {
  const bar = stderrProgress("test setup: deriving the offline embedding vocabulary");
  const { stats } = loadOfflineEmbedder(EMBED_CACHE_DIR, { onDeriveProgress: (f) => bar.update(f * 100, 100) });
  if (stats.derived) bar.finish(`done in ${((stats.deriveMs ?? 0) / 1000).toFixed(1)} s`);
}
