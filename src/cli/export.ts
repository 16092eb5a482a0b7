/**
 * `stigmem export`: writes a data folder's facts and conflicts as an export
 * file (node/import/export-facts.ts) to stdout or `--output`, with progress
 * on stderr. It reads the database directly, in one snapshot, so it works
 * the same whether a node serves the folder or not; the public API does not
 * carry everything an exact copy needs (the writing key's entity, the write
 * mode, quarantined facts), so there is no remote variant.
 *
 * @module
 */
import fs from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { ConfigError, loadConfig } from "../config.js";
import { exportFacts } from "../node/import/export-facts.js";
import { count, formatDuration, rateProgress } from "./import-progress.js";

/** Flags of `export`. */
export interface ExportCliOptions {
  data?: string;
  db?: string;
  output?: string;
  json?: boolean;
}

/** `export`: a missing database is a configuration error (exit 2). */
export async function runExport(opts: ExportCliOptions): Promise<void> {
  const config = loadConfig(
    { STIGMEM_DATA_DIR: process.env.STIGMEM_DATA_DIR, STIGMEM_DB_PATH: process.env.STIGMEM_DB_PATH },
    { data: opts.data, db: opts.db },
  );
  if (!fs.existsSync(config.dbPath)) {
    throw new ConfigError(opts.data === undefined ? "STIGMEM_DATA_DIR" : "--data", `no node database at ${config.dbPath}`);
  }
  const out: Writable = opts.output === undefined ? process.stdout : fs.createWriteStream(opts.output, { mode: 0o600 });
  const bar = rateProgress("stigmem: export", "facts and conflicts");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await exportFacts({
    dbPath: config.dbPath,
    write: async (text) => {
      if (!out.write(text)) await once(out, "drain");
    },
    onProgress: (done, total) => bar.update(done, total),
  });
  if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const { header } = summary;
  bar.finish(
    `${count(header.facts)} facts and ${count(header.conflicts)} conflicts of ${header.nodeId} in ${formatDuration(seconds)}` +
      `${opts.output === undefined ? "" : ` to ${opts.output}`}`,
  );
  if (opts.json === true) {
    const json = `${JSON.stringify(
      {
        node_id: header.nodeId,
        facts: header.facts,
        conflicts: header.conflicts,
        bytes: summary.bytes,
        seconds: round(seconds),
        cpu_seconds: round((cpu.user + cpu.system) / 1e6),
        output: opts.output ?? null,
      },
      null,
      2,
    )}\n`;
    // stdout carries the export itself unless it went to a file.
    if (opts.output === undefined) process.stderr.write(json);
    else process.stdout.write(json);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
