/**
 * `stigmem conflicts list|resolve` through `@stigmem/sdk`: each conflict
 * as a table row with both sides (value and source), and its settlement by
 * a winning fact or a new value. `--json` prints the SDK's result object.
 *
 * @module
 */
import type { Conflict, ConflictStatus, Resolution } from "@stigmem/sdk";
import { UsageError } from "./cli-errors.js";
import type { ValueType } from "../core/values.js";
import type { ConnectionOptions } from "./client-options.js";
import { cellValue } from "./fact-cells.js";
import { withNode } from "./node-client.js";
import { renderTable, type Column } from "./table.js";
import { colorEnabled, painter, printJson } from "./terminal.js";
import { parseValue } from "./value-argument.js";

/** Flags of `conflicts list`. */
export interface ListOptions extends ConnectionOptions {
  status: ConflictStatus | "all";
  limit?: number;
  cursor?: string;
  json?: boolean;
}

/** Flags of `conflicts resolve`. */
export interface ResolveOptions extends ConnectionOptions {
  winner?: string;
  value?: string;
  type: ValueType;
  note?: string;
  json?: boolean;
}

const COLUMNS: readonly Column[] = [
  { header: "ID" },
  { header: "ENTITY", max: 28 },
  { header: "RELATION", max: 24 },
  { header: "SCOPE" },
  { header: "A", max: 36 },
  { header: "B", max: 36 },
  { header: "STATUS" },
  { header: "DETECTED" },
];

/** `conflicts list`. */
export async function conflictsList(opts: ListOptions): Promise<void> {
  const status = opts.status === "all" ? undefined : opts.status;
  const page = await withNode("conflicts list", opts, (c) => c.conflicts.list({ status, limit: opts.limit, cursor: opts.cursor }));
  if (opts.json === true) return printJson(page);
  const paint = painter(colorEnabled(process.stdout));
  if (page.conflicts.length > 0) process.stdout.write(renderTable(COLUMNS, page.conflicts.map(row), (s) => paint("bold", s)));
  const next = page.cursor === null ? "" : `; next page: --cursor ${page.cursor}`;
  const which = status === undefined ? "" : ` ${status}`;
  process.stdout.write(`${page.conflicts.length} of ${page.total}${which} conflict(s)${next}\n`);
}

/** `conflicts resolve`. */
export async function conflictsResolve(id: string, opts: ResolveOptions): Promise<void> {
  const resolution = resolutionOf(opts);
  const r = await withNode("conflicts resolve", opts, (c) => c.conflicts.resolve(id, resolution));
  if (opts.json === true) return printJson(r);
  process.stdout.write(`resolved ${id}\nresolution fact  ${r.resolutionFactId}\n`);
}

function resolutionOf(opts: ResolveOptions): Resolution {
  if ((opts.winner === undefined) === (opts.value === undefined)) {
    throw new UsageError("conflicts resolve", "give exactly one of --winner <fact-id> and --value <value>");
  }
  if (opts.winner !== undefined) return { winningFactId: opts.winner, note: opts.note };
  const raw = opts.type === "null" ? undefined : opts.value;
  return { newValue: parseValue("conflicts resolve", opts.type, raw), note: opts.note };
}

function row(c: Conflict): string[] {
  const side = (f: Conflict["factA"]) => `${cellValue(f.value)} ← ${f.source}`;
  return [c.conflictId, c.entity, c.relation, c.scope, side(c.factA), side(c.factB), c.status, c.detectedAt];
}
