/**
 * `stigmem export`: writes every stored fact (all states: current,
 * superseded, retracted, overruled, expired, quarantined) and every conflict
 * record of a node's database as an export file (core/export/export-format.ts),
 * from one snapshot, in pages, to a sink that may push back. Reading the
 * file directly works while a node serves it: the snapshot is a read
 * transaction of its own (store/bulk-export.ts).
 *
 * @module
 */
import { conflictLine } from "../../core/export/conflict-line.js";
import { endLine, headerLine, type ExportHeader } from "../../core/export/export-format.js";
import { factLine } from "../../core/export/fact-line.js";
import { formatTimestamp } from "../../core/timestamp.js";
import { ExportSnapshot } from "../../store/bulk-export.js";

/** Rows read and written per page. */
const PAGE = 5_000;

export interface ExportOptions {
  /** The node's database file. */
  readonly dbPath: string;
  /** Takes the next piece of the file (whole lines); a promise makes the export wait (backpressure). */
  readonly write: (text: string) => void | Promise<void>;
  /** Told after each page: rows written of the total. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly nowMs?: number;
}

export interface ExportSummary {
  readonly header: ExportHeader;
  /** Bytes written. */
  readonly bytes: number;
}

/** Writes the export of the database at `dbPath`. */
export async function exportFacts(opts: ExportOptions): Promise<ExportSummary> {
  const snapshot = ExportSnapshot.open(opts.dbPath);
  try {
    const info = snapshot.info;
    if (info.nodeId === undefined) throw new Error(`${opts.dbPath} has no node id: the node never started, so there is nothing to export`);
    const header: ExportHeader = {
      nodeId: info.nodeId,
      exportedAt: formatTimestamp(opts.nowMs ?? Date.now()),
      schemaVersion: info.schemaVersion,
      facts: info.facts,
      conflicts: info.conflicts,
      hlc: info.hlc,
      feed: { epoch: info.feedEpoch, position: info.lastRowid },
    };
    const total = info.facts + info.conflicts;
    let bytes = 0;
    let done = 0;
    const put = async (text: string): Promise<void> => {
      bytes += Buffer.byteLength(text);
      await opts.write(text);
    };
    await put(`${headerLine(header)}\n`);
    for (let after = 0; ; ) {
      const rows = snapshot.factsAfter(after, PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.rowid;
      await put(`${rows.map(factLine).join("\n")}\n`);
      done += rows.length;
      opts.onProgress?.(done, total);
    }
    for (let after = 0; ; ) {
      const rows = snapshot.conflictsAfter(after, PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      await put(`${rows.map(conflictLine).join("\n")}\n`);
      done += rows.length;
      opts.onProgress?.(done, total);
    }
    await put(`${endLine({ facts: info.facts, conflicts: info.conflicts })}\n`);
    return { header, bytes };
  } finally {
    snapshot.close();
  }
}
