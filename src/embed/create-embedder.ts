/**
 * Builds the embedder the configuration asks for (`STIGMEM_EMBEDDER`).
 *
 * @module
 */
import type { Config } from "../config.js";
import type { Logger } from "../server/logger.js";
import type { Embedder } from "./embedder.js";
import { loadOfflineEmbedder } from "./offline-embedder.js";
import { OpenAIEmbedder } from "./openai-embedder.js";
import { stderrProgress } from "./progress.js";

/**
 * The configured embedder, or null for `none`. The offline one is loaded
 * here (synchronously; on the first start of a cache folder it derives its
 * vocabulary, with a progress line on stderr) and its start-up cost logged.
 */
export function createEmbedder(config: Config, log: Logger): Embedder | null {
  switch (config.embedder) {
    case "none":
      return null;
    case "openai":
      return new OpenAIEmbedder({
        url: config.embedUrl,
        model: config.embedModel!,
        dims: config.embedDims,
        apiKey: config.embedApiKey,
      });
    case "offline": {
      const progress = stderrProgress("stigmem: deriving the offline embedding vocabulary (one time)");
      let started = false;
      const { embedder, stats } = loadOfflineEmbedder(config.embedCacheDir, {
        onDeriveProgress: (f) => {
          started = true;
          progress.update(Math.round(f * 100), 100);
        },
      });
      if (started) progress.finish(`done in ${((stats.deriveMs ?? 0) / 1000).toFixed(1)} s → ${stats.file}`);
      if (!stats.shared) {
        // One line a benchmark can read: the default embedder's start-up cost.
        log.info(
          {
            embedder: embedder.id,
            words: stats.words,
            derived: stats.derived,
            derive_ms: stats.deriveMs === undefined ? undefined : Math.round(stats.deriveMs),
            load_ms: Math.round(stats.loadMs),
            rss_delta_mib: Math.round(stats.rssDeltaMiB),
            file: stats.file,
          },
          "offline embedder loaded",
        );
      }
      return embedder;
    }
  }
}
