/**
 * @module core/export/fact-line
 *
 * One stored fact as a line of the export file, and back. The line carries
 * every column of the fact's row — id, CID, content, timestamps, local and
 * origin HLC, provenance, supersedes, quarantine, garden — under the
 * column's name, so an import stores the very row the exporting node held.
 * Projections (chain head, verdicts, edges, the fact chain) are not carried:
 * they follow from the rows and are rebuilt. Fields that are null are left
 * out of the line (absent reads as null).
 *
 * Reading checks every field's type and the fact's CID against its content
 * (protocol.md §4), so a damaged or hand-edited line is refused with its
 * line number instead of being stored.
 */
import { computeCid, isCidString } from "../cid.js";
import { isValidHlc } from "../hlc.js";
import { isScope, type Scope } from "../scope.js";
import { parseRfc3339 } from "../timestamp.js";
import { INTERPRET_AS, isValueType, type InterpretAs, type ValueType } from "../values.js";
import { ExportFileError } from "./export-file-error.js";
import { count, optStr, str } from "./export-format.js";

/** A fact row as exported and imported: the columns of `facts`, JSON arrays as their stored text. */
export interface ExportedFact {
  /** Position in the exporting node's commit order (its `facts.rowid` and feed position). */
  rowid: number;
  id: string;
  cid: string;
  entity: string;
  relation: string;
  value_type: ValueType;
  value_v: string;
  interpret_as: InterpretAs;
  source: string;
  confidence: number;
  scope: Scope;
  garden_id: string | null;
  valid_until: string | null;
  /** `valid_until` as epoch milliseconds; derived, not a field of the line. */
  valid_until_ms: number | null;
  timestamp: string;
  hlc_w: number;
  hlc_c: number;
  origin_hlc_w: number;
  origin_hlc_c: number;
  /** The origin of an ingested fact; null for a local write. */
  origin_node_id: string | null;
  /** The peer an ingested fact came from; null for a local write. */
  received_from: string | null;
  /** The key entity of a local write; null for an ingested fact. */
  actor: string | null;
  /** JSON text of the ids it superseded, or null. */
  supersedes: string | null;
  write_mode: string | null;
  /** JSON text of its `derived_from` list, or null. */
  derived_from: string | null;
  quarantine: string | null;
}

const INTERPRET_SET: ReadonlySet<string> = new Set(INTERPRET_AS);

/** The fact as its line. */
export function factLine(f: ExportedFact): string {
  const o: Record<string, unknown> = {
    kind: "fact",
    rowid: f.rowid,
    id: f.id,
    cid: f.cid,
    entity: f.entity,
    relation: f.relation,
    value_type: f.value_type,
    value_v: f.value_v,
    interpret_as: f.interpret_as,
    source: f.source,
    confidence: f.confidence,
    scope: f.scope,
    timestamp: f.timestamp,
    hlc_w: f.hlc_w,
    hlc_c: f.hlc_c,
    origin_hlc_w: f.origin_hlc_w,
    origin_hlc_c: f.origin_hlc_c,
  };
  if (f.garden_id !== null) o.garden_id = f.garden_id;
  if (f.valid_until !== null) o.valid_until = f.valid_until;
  if (f.origin_node_id !== null) o.origin_node_id = f.origin_node_id;
  if (f.received_from !== null) o.received_from = f.received_from;
  if (f.actor !== null) o.actor = f.actor;
  if (f.write_mode !== null) o.write_mode = f.write_mode;
  if (f.quarantine !== null) o.quarantine = f.quarantine;
  let line = JSON.stringify(o);
  // Both lists are stored as JSON text already: splice it in rather than parse and re-serialize it.
  if (f.supersedes !== null) line = `${line.slice(0, -1)},"supersedes":${f.supersedes}}`;
  if (f.derived_from !== null) line = `${line.slice(0, -1)},"derived_from":${f.derived_from}}`;
  return line;
}

/**
 * Reads a parsed fact line (its `kind` already checked) into the row to
 * store. The CID is checked separately ({@link checkFactCid}), so that work
 * can run elsewhere.
 * @throws ExportFileError naming the line and the field.
 */
export function readFactLine(o: Record<string, unknown>, line: number): ExportedFact {
  const rowid = count(o, "rowid", line);
  if (rowid === 0) throw new ExportFileError(line, "rowid", "must be a positive integer");
  const cid = str(o, "cid", line);
  if (!isCidString(cid)) throw new ExportFileError(line, "cid", "must be sha256: followed by 64 lowercase hex digits");
  const valueType = o.value_type;
  if (!isValueType(valueType)) throw new ExportFileError(line, "value_type", "is not a value type");
  const interpretAs = o.interpret_as;
  if (typeof interpretAs !== "string" || !INTERPRET_SET.has(interpretAs)) {
    throw new ExportFileError(line, "interpret_as", "must be content or instruction");
  }
  const scope = o.scope;
  if (!isScope(scope)) throw new ExportFileError(line, "scope", "must be local, team, company or public");
  const confidence = o.confidence;
  if (typeof confidence !== "number" || !(confidence >= 0 && confidence <= 1)) {
    throw new ExportFileError(line, "confidence", "must be a number from 0 to 1");
  }
  const hlc = { wall: count(o, "hlc_w", line), counter: count(o, "hlc_c", line) };
  const origin = { wall: count(o, "origin_hlc_w", line), counter: count(o, "origin_hlc_c", line) };
  if (!isValidHlc(hlc)) throw new ExportFileError(line, "hlc_w", "HLC out of range");
  if (!isValidHlc(origin)) throw new ExportFileError(line, "origin_hlc_w", "HLC out of range");
  const validUntil = optStr(o, "valid_until", line);
  let validUntilMs: number | null = null;
  if (validUntil !== null) {
    try {
      validUntilMs = parseRfc3339(validUntil);
    } catch {
      throw new ExportFileError(line, "valid_until", "must be an RFC 3339 date-time");
    }
  }
  const originNodeId = optStr(o, "origin_node_id", line);
  const receivedFrom = optStr(o, "received_from", line);
  const actor = optStr(o, "actor", line);
  // A local write has its writer and this node's own clock; an ingested fact its origin and peer (apply-fact.ts).
  if (receivedFrom === null) {
    if (originNodeId !== null) throw new ExportFileError(line, "origin_node_id", "a local fact (no received_from) has no origin_node_id");
    if (hlc.wall !== origin.wall || hlc.counter !== origin.counter) {
      throw new ExportFileError(line, "origin_hlc_w", "a local fact's origin HLC is its HLC");
    }
  } else if (originNodeId === null) {
    throw new ExportFileError(line, "origin_node_id", "an ingested fact (with received_from) names its origin node");
  }
  return {
    rowid,
    id: nonEmpty(o, "id", line),
    cid,
    entity: str(o, "entity", line),
    relation: str(o, "relation", line),
    value_type: valueType,
    value_v: str(o, "value_v", line),
    interpret_as: interpretAs as InterpretAs,
    source: str(o, "source", line),
    confidence,
    scope,
    garden_id: optStr(o, "garden_id", line),
    valid_until: validUntil,
    valid_until_ms: validUntilMs,
    timestamp: str(o, "timestamp", line),
    hlc_w: hlc.wall,
    hlc_c: hlc.counter,
    origin_hlc_w: origin.wall,
    origin_hlc_c: origin.counter,
    origin_node_id: originNodeId,
    received_from: receivedFrom,
    actor,
    supersedes: jsonList(o, "supersedes", line, "string"),
    write_mode: optStr(o, "write_mode", line),
    derived_from: jsonList(o, "derived_from", line, "object"),
    quarantine: optStr(o, "quarantine", line),
  };
}

/**
 * Recomputes the fact's CID from its content (protocol.md §4).
 * @throws ExportFileError when it differs from the CID the line carries.
 */
export function checkFactCid(f: ExportedFact, line: number): void {
  let computed: string;
  try {
    computed = computeCid(f);
  } catch (e) {
    throw new ExportFileError(line, undefined, `has no CID: ${(e as Error).message}`);
  }
  if (computed !== f.cid) throw new ExportFileError(line, "cid", `does not match the fact's content (it hashes to ${computed})`);
}

function nonEmpty(o: Record<string, unknown>, key: string, line: number): string {
  const s = str(o, key, line);
  if (s === "") throw new ExportFileError(line, key, "must not be empty");
  return s;
}

/** A list of strings or objects, as the JSON text the row stores (null when absent or empty, as the writer stores it). */
function jsonList(o: Record<string, unknown>, key: string, line: number, item: "string" | "object"): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => (item === "string" ? typeof x === "string" : typeof x === "object" && x !== null && !Array.isArray(x)))) {
    throw new ExportFileError(line, key, `must be a list of ${item}s`);
  }
  return v.length === 0 ? null : JSON.stringify(v);
}
