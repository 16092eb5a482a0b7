/**
 * `stigmem import FILE --offline`: restores an export into the data folder
 * of a stopped node (node/import/import-file.ts), with a progress bar on
 * stderr and a summary (`--json` for scripts).
 *
 * Why offline only: a bulk load owns the database file — it writes without
 * a write-ahead log, drops and rebuilds indexes, and replaces the file at
 * the end — which a serving node's connection, caches, clock and embedder
 * cannot share. The command holds the data folder's lock while it runs,
 * so `serve` cannot start on a half-built store, and refuses a folder a
 * node is serving.
 *
 * @module
 */
import fs from "node:fs";
import { ConfigError, loadConfig } from "../config.js";
import { isExportFileError } from "../core/export/export-file-error.js";
import { importFile, OtherImportInProgressError, type BuildStep, type ImportSummary } from "../node/import/import-file.js";
import { StoreNotEmptyError } from "../store/bulk-load.js";
import { lockDataFolder } from "../store/data-folder-lock.js";
import { UsageError } from "./cli-errors.js";
import { count, formatDuration, rateProgress } from "./import-progress.js";
import { printJson } from "./terminal.js";

/** Flags of `import`. */
export interface ImportCliOptions {
  offline?: boolean;
  data?: string;
  db?: string;
  checkpointEvery?: string;
  json?: boolean;
}

/** Each build step as the progress names it when done. */
const STEP: Readonly<Record<BuildStep, string>> = {
  indexes: "indexes created",
  "text index": "text indexed",
  overruled: "overruled facts marked",
  "chain heads": "chain heads chosen",
  verdicts: "contradicted and expiring triples judged",
  record: "import recorded",
};

/** Who an import's audit entry names: the operator at the console. */
const CLI_ACTOR = "system:cli";

/** `import`: bad usage throws UsageError or ConfigError (exit 2); a bad file fails with its line (exit 1). */
export async function runImport(file: string, opts: ImportCliOptions): Promise<void> {
  if (opts.offline !== true) {
    throw new UsageError("import", "needs --offline: stop the node, then import into its data folder (see docs/import-export.md)");
  }
  const config = loadConfig(
    { STIGMEM_DATA_DIR: process.env.STIGMEM_DATA_DIR, STIGMEM_DB_PATH: process.env.STIGMEM_DB_PATH },
    { data: opts.data, db: opts.db },
  );
  const every = opts.checkpointEvery === undefined ? undefined : Number(opts.checkpointEvery);
  if (every !== undefined && (!Number.isSafeInteger(every) || every < 1)) {
    throw new ConfigError("--checkpoint-every", `must be a positive whole number of facts (got "${opts.checkpointEvery}")`);
  }
  if (file !== "-" && !fs.existsSync(file)) throw new UsageError("import", `no such file: ${file}`);

  const lock = lockDataFolder(config.dataDir);
  const bar = rateProgress("stigmem: import", "facts and conflicts");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let summary: ImportSummary;
  try {
    summary = await importFile({
      dbPath: config.dbPath,
      input: file === "-" ? { stream: process.stdin } : { path: file },
      actor: CLI_ACTOR,
      checkpointFacts: every,
      onProgress: (p) => {
        if (p.phase === "load") bar.update(p.done, p.total);
        else if (p.seconds !== null && p.seconds >= 0.05) process.stderr.write(`stigmem: import: ${STEP[p.step]} in ${p.seconds.toFixed(1)} s\n`);
      },
    });
  } catch (e) {
    throw explain(e, file);
  } finally {
    lock.release();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rate = seconds > 0 ? summary.loadedNow / seconds : 0;
  if (summary.alreadyImported) {
    bar.finish(`${file} is already imported in ${config.dataDir}: nothing to do`);
  } else {
    bar.finish(
      `${count(summary.facts)} facts and ${count(summary.conflicts)} conflicts of ${summary.header.nodeId} ` +
        `in ${formatDuration(seconds)} (${count(Math.round(rate))} facts/s)` +
        `${summary.resumes > 0 ? `, resumed ${summary.resumes}×` : ""}; the node embeds them in the background when it starts`,
    );
  }
  if (summary.previousNodeId !== null) {
    process.stderr.write(`stigmem: import: the data folder is now node ${summary.header.nodeId} (it was ${summary.previousNodeId})\n`);
  }
  if (opts.json === true) {
    printJson({
      node_id: summary.header.nodeId,
      already_imported: summary.alreadyImported,
      facts: summary.facts,
      conflicts: summary.conflicts,
      loaded_now: summary.loadedNow,
      chain_links: summary.chainLinks,
      resumes: summary.resumes,
      previous_node_id: summary.previousNodeId,
      seconds: round(seconds),
      cpu_seconds: round((cpu.user + cpu.system) / 1e6),
      load_seconds: round(summary.loadSeconds),
      build_seconds: round(summary.buildSeconds),
      build_steps: Object.fromEntries(Object.entries(summary.buildSteps).map(([k, v]) => [k, round(v)])),
      facts_per_second: Math.round(rate),
    });
  }
}

/** What went wrong, as the line the user reads: a bad file names its line; a wrong target is a usage error. */
function explain(e: unknown, file: string): unknown {
  if (isExportFileError(e)) return new Error(`import: ${file}: ${e.message}`);
  if (e instanceof StoreNotEmptyError || e instanceof OtherImportInProgressError) return new UsageError("import", e.message);
  return e;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
