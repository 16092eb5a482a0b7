/**
 * `stigmem embed backfill`: (re-)embeds the facts of a data folder in the
 * foreground with a progress bar on stderr — after changing
 * STIGMEM_EMBEDDER or its model, or to embed a large import before serving.
 * A running node embeds new facts by itself; this is the bulk path.
 *
 * @module
 */
import fs from "node:fs";
import { ConfigError, loadConfig } from "../config.js";
import { backfill } from "../embed/backfill.js";
import { createEmbedder } from "../embed/create-embedder.js";
import { stderrProgress } from "../embed/progress.js";
import { createLogger } from "../server/logger.js";
import { Storage } from "../store/storage.js";
import { printJson } from "./terminal.js";

/** Flags of `embed backfill`. */
export interface BackfillOptions {
  data?: string;
  db?: string;
  force?: boolean;
  json?: boolean;
}

/** `embed backfill`: bad configuration throws ConfigError (exit 2). */
export async function runBackfill(opts: BackfillOptions): Promise<void> {
  const config = loadConfig(process.env, { data: opts.data, db: opts.db });
  if (!fs.existsSync(config.dbPath)) {
    throw new ConfigError(opts.data === undefined ? "STIGMEM_DATA_DIR" : "--data", `no node database at ${config.dbPath}`);
  }
  if (config.embedder === "none") throw new ConfigError("STIGMEM_EMBEDDER", "is none: there is no model to embed with");
  // Warnings (a model change) go to stderr beside the progress bar; info lines are not wanted here.
  const log = createLogger("warn", process.stderr);
  const embedder = createEmbedder(config, log)!;
  const storage = Storage.open(config.dbPath);
  const bar = stderrProgress(`stigmem: embedding facts with ${embedder.id}`);
  const t0 = performance.now();
  try {
    const r = await backfill(storage.vectors, embedder, log, {
      force: opts.force === true,
      onProgress: (done, total) => {
        const s = (performance.now() - t0) / 1000;
        bar.update(done, total, `${done}/${total}${s > 0.5 ? `  ${Math.round(done / s)} facts/s` : ""}`);
      },
    });
    bar.finish(
      `${r.processed} facts in ${r.seconds.toFixed(1)} s (${Math.round(r.rate)} facts/s)` +
        `${r.skipped > 0 ? `, ${r.skipped} refused by the provider and skipped` : ""}` +
        `${r.reset ? "; previous vectors were replaced" : ""}`,
    );
    if (opts.json === true) {
      printJson({
        model: r.model,
        processed: r.processed,
        skipped: r.skipped,
        reset: r.reset,
        seconds: Math.round(r.seconds * 1000) / 1000,
        facts_per_second: Math.round(r.rate),
      });
    }
  } finally {
    embedder.close?.();
    storage.close();
  }
}
