/**
 * `stigmem facts assert|get|query` through `@stigmem/sdk`: a fact written,
 * one shown field by field, a page listed as a table. `--json` prints the
 * SDK's result object instead.
 *
 * @module
 */
import type { Fact, Scope } from "@stigmem/sdk";
import type { ValueType } from "../core/values.js";
import type { ConnectionOptions } from "./client-options.js";
import { withNode } from "./node-client.js";
import { cellValue, factRows, FACT_COLUMNS } from "./fact-cells.js";
import { renderTable } from "./table.js";
import { parseValue } from "./value-argument.js";
import { colorEnabled, painter, printJson } from "./terminal.js";

/** Flags of `facts assert`. */
export interface AssertOptions extends ConnectionOptions {
  type: ValueType;
  source: string;
  scope?: Scope;
  confidence?: number;
  validUntil?: string;
  json?: boolean;
}

/** Flags of `facts get`. */
export interface GetOptions extends ConnectionOptions {
  json?: boolean;
}

/** Flags of `facts query`. */
export interface QueryOptions extends ConnectionOptions {
  entity?: string;
  relation?: string;
  source?: string;
  scope?: Scope;
  minConfidence?: number;
  includeSuperseded?: boolean;
  includeContradicted?: boolean;
  includeExpired?: boolean;
  limit?: number;
  cursor?: string;
  json?: boolean;
}

/** `facts assert`. */
export async function factsAssert(entity: string, relation: string, raw: string | undefined, opts: AssertOptions): Promise<void> {
  const value = parseValue("facts assert", opts.type, raw);
  const r = await withNode("facts assert", opts, (c) =>
    c.facts.assert({ entity, relation, value, source: opts.source, scope: opts.scope, confidence: opts.confidence, validUntil: opts.validUntil }),
  );
  if (opts.json === true) return printJson(r);
  const f = r.fact;
  process.stdout.write(
    `${r.deduplicated ? "already stored" : "stored"}: ${f.entity} ${f.relation} = ${cellValue(f.value)} (scope ${f.scope})\n` +
      `id   ${f.id}\ncid  ${f.cid}\n`,
  );
}

/** `facts get`. */
export async function factsGet(id: string, opts: GetOptions): Promise<void> {
  const f = await withNode("facts get", opts, (c) => c.facts.get(id));
  if (opts.json === true) return printJson(f);
  process.stdout.write(detail(f));
}

/** `facts query`. */
export async function factsQuery(opts: QueryOptions): Promise<void> {
  const page = await withNode("facts query", opts, (c) =>
    c.facts.query({
      entity: opts.entity,
      relation: opts.relation,
      source: opts.source,
      scope: opts.scope,
      minConfidence: opts.minConfidence,
      includeSuperseded: opts.includeSuperseded,
      includeContradicted: opts.includeContradicted,
      includeExpired: opts.includeExpired,
      limit: opts.limit,
      cursor: opts.cursor,
    }),
  );
  if (opts.json === true) return printJson(page);
  const paint = painter(colorEnabled(process.stdout));
  if (page.facts.length > 0) process.stdout.write(renderTable(FACT_COLUMNS, factRows(page.facts), (s) => paint("bold", s)));
  process.stdout.write(`${page.facts.length} of ${page.total} fact(s)${page.cursor === null ? "" : `; next page: --cursor ${page.cursor}`}\n`);
  if (page.integrityDegraded) process.stderr.write("stigmem: facts query: a stored fact failed its CID check and was left out\n");
}

/** Every field of a fact, one per line. */
function detail(f: Fact): string {
  const rows: [string, string][] = [
    ["id", f.id],
    ["entity", f.entity],
    ["relation", f.relation],
    ["value", `${cellValue(f.value)} (${f.value.type})`],
    ["source", f.source],
    ["scope", f.scope],
    ["confidence", String(f.confidence)],
    ["timestamp", f.timestamp],
    ["state", `${f.state ?? "current"}${f.contradicted ? ", contradicted" : ""}`],
    ["valid until", f.validUntil ?? "—"],
    ["cid", f.cid],
    ["hlc", f.hlc],
  ];
  if (f.supersedes.length > 0) rows.push(["supersedes", f.supersedes.join(", ")]);
  if (f.receivedFrom !== null) rows.push(["received from", f.receivedFrom]);
  if (f.warnings.length > 0) rows.push(["warnings", f.warnings.join("; ")]);
  return rows.map(([k, v]) => `${k.padEnd(13)} ${v}\n`).join("");
}
