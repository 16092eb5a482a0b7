/**
 * @module core/export/export-format
 *
 * The export file (docs/import-export.md): JSON Lines, one JSON object per
 * line, UTF-8.
 *
 * ```
 * {"format":"stigmem-export","version":1,"node_id":…,"facts":N,"conflicts":M,…}   header
 * {"kind":"fact","rowid":1,"id":…,"cid":…,…}                                       N facts, commit order
 * {"kind":"conflict","seq":1,"conflict_id":…,"fact_a":…,"fact_b":…,…}              M conflicts, detection order
 * {"kind":"end","facts":N,"conflicts":M}                                           trailer
 * ```
 *
 * Facts come first, in the order the node committed them (their `rowid`,
 * which is also their position in the federation feed), so an importer can
 * keep that order; conflicts follow because they name facts by id and carry
 * state no fact holds (their ids, when they were detected, how they were
 * resolved). The trailer tells a complete file from one cut short. This
 * module holds the header and trailer; fact-line.ts and conflict-line.ts the
 * rest.
 */
import { ExportFileError } from "./export-file-error.js";

/** The `format` of the header line. */
export const EXPORT_FORMAT = "stigmem-export";
/** The version of the format this code writes and reads. */
export const EXPORT_VERSION = 1;

/** What the header line says about the export. */
export interface ExportHeader {
  /** The node that exported the facts; an import restores that node, so it takes this id. */
  readonly nodeId: string;
  /** When the snapshot was read (fixed timestamp text, protocol.md §2). */
  readonly exportedAt: string;
  /** Schema version of the exporting node's database. */
  readonly schemaVersion: number;
  /** Fact lines that follow. */
  readonly facts: number;
  /** Conflict lines that follow the facts. */
  readonly conflicts: number;
  /** The exporting node's clock (HLC text), so the restored node never issues an HLC below it; null when never ticked. */
  readonly hlc: string | null;
  /**
   * The federation feed: its epoch (null when the node has none yet) and its
   * position (the last fact's rowid). Informational: an import starts a new epoch.
   */
  readonly feed: { readonly epoch: string | null; readonly position: number };
}

/** The header as its line. */
export function headerLine(h: ExportHeader): string {
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    node_id: h.nodeId,
    exported_at: h.exportedAt,
    schema_version: h.schemaVersion,
    facts: h.facts,
    conflicts: h.conflicts,
    hlc: h.hlc,
    feed: { epoch: h.feed.epoch, position: h.feed.position },
  });
}

/** The trailer as its line. */
export function endLine(counts: { facts: number; conflicts: number }): string {
  return JSON.stringify({ kind: "end", facts: counts.facts, conflicts: counts.conflicts });
}

/**
 * Parses line 1.
 * @throws ExportFileError when it is not a header of a version this code reads.
 */
export function parseHeader(text: string): ExportHeader {
  const o = parseObject(text, 1);
  if (o.format !== EXPORT_FORMAT) throw new ExportFileError(1, "format", `is not "${EXPORT_FORMAT}": this is not a stigmem export`);
  if (o.version !== EXPORT_VERSION) {
    throw new ExportFileError(1, "version", `is ${JSON.stringify(o.version)}; this node reads version ${EXPORT_VERSION}`);
  }
  const feed = o.feed;
  if (typeof feed !== "object" || feed === null || Array.isArray(feed)) throw new ExportFileError(1, "feed", "must be an object");
  const f = feed as Record<string, unknown>;
  return {
    nodeId: str(o, "node_id", 1),
    exportedAt: str(o, "exported_at", 1),
    schemaVersion: count(o, "schema_version", 1),
    facts: count(o, "facts", 1),
    conflicts: count(o, "conflicts", 1),
    hlc: optStr(o, "hlc", 1),
    feed: { epoch: optStr(f, "epoch", 1, "feed.epoch"), position: count(f, "position", 1, "feed.position") },
  };
}

/** Checks a parsed trailer (`kind` already read) against what was read before it. */
export function checkEnd(o: Record<string, unknown>, line: number, seen: { facts: number; conflicts: number }): void {
  const facts = count(o, "facts", line);
  const conflicts = count(o, "conflicts", line);
  if (facts !== seen.facts || conflicts !== seen.conflicts) {
    throw new ExportFileError(
      line,
      undefined,
      `the trailer counts ${facts} facts and ${conflicts} conflicts, the file holds ${seen.facts} and ${seen.conflicts}`,
    );
  }
}

/** JSON.parse of one line, which must be an object. */
export function parseObject(text: string, line: number): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new ExportFileError(line, undefined, `not JSON (${(e as Error).message})`);
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new ExportFileError(line, undefined, "not a JSON object");
  return o as Record<string, unknown>;
}

/** A required string field. */
export function str(o: Record<string, unknown>, key: string, line: number, name = key): string {
  const v = o[key];
  if (typeof v !== "string") throw new ExportFileError(line, name, "must be a string");
  return v;
}

/** An optional string field: absent and null both read as null. */
export function optStr(o: Record<string, unknown>, key: string, line: number, name = key): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new ExportFileError(line, name, "must be a string or null");
  return v;
}

/** A required non-negative safe integer. */
export function count(o: Record<string, unknown>, key: string, line: number, name = key): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new ExportFileError(line, name, "must be a non-negative integer");
  return v;
}
