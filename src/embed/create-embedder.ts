/**
 * Builds the embedder the configuration asks for (`STIGMEM_EMBEDDER`).
 *
 * @module
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Embedder } from "./embedder.js";
import { loadOfflineEmbedder, prepareVocabulary } from "./offline-embedder.js";
import { OpenAIEmbedder } from "./openai-embedder.js";
import { stderrProgress } from "./progress.js";
import { OFFLINE_WORKER_SCRIPT, WorkerEmbedder } from "./worker-embedder.js";

/**
 * The configured embedder, or null for `none`. The offline one embeds on a
 * worker thread when the compiled worker entry is there (the built node),
 * in-thread otherwise (the TypeScript sources the tests run). Either way its
 * vocabulary is made ready here, synchronously: on the first start of a
 * cache folder it is derived on this thread, with a progress line on stderr.
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
    case "offline":
      return fs.existsSync(fileURLToPath(OFFLINE_WORKER_SCRIPT))
        ? offlineOnWorker(config.embedCacheDir, log)
        : offlineInThread(config.embedCacheDir, log);
  }
}

interface DeriveProgress {
  readonly onDeriveProgress: (fraction: number) => void;
  /** Ends the progress line, if a derivation drew one. */
  readonly finish: (deriveMs: number | undefined, file: string) => void;
}

/** The stderr progress line of a first-start derivation. */
function deriveProgress(): DeriveProgress {
  const progress = stderrProgress("stigmem: deriving the offline embedding vocabulary (one time)");
  let started = false;
  return {
    onDeriveProgress: (f) => {
      started = true;
      progress.update(Math.round(f * 100), 100);
    },
    finish: (deriveMs, file) => {
      if (started) progress.finish(`done in ${((deriveMs ?? 0) / 1000).toFixed(1)} s → ${file}`);
    },
  };
}

/** The worker loads the vocabulary; this thread only derives it when missing and reads its header. */
function offlineOnWorker(cacheDir: string, log: Logger): Embedder {
  const progress = deriveProgress();
  const vocab = prepareVocabulary(cacheDir, { onDeriveProgress: progress.onDeriveProgress });
  progress.finish(vocab.deriveMs, vocab.file);
  const embedder = new WorkerEmbedder({ vocabularyFile: vocab.file, dims: vocab.dims });
  log.info(
    {
      embedder: embedder.id,
      words: vocab.words,
      derived: vocab.deriveMs !== undefined,
      derive_ms: vocab.deriveMs === undefined ? undefined : Math.round(vocab.deriveMs),
      file: vocab.file,
    },
    "offline embedder on a worker thread",
  );
  return embedder;
}

function offlineInThread(cacheDir: string, log: Logger): Embedder {
  const progress = deriveProgress();
  const { embedder, stats } = loadOfflineEmbedder(cacheDir, { onDeriveProgress: progress.onDeriveProgress });
  progress.finish(stats.deriveMs, stats.file);
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
      "offline embedder in-thread",
    );
  }
  return embedder;
}
