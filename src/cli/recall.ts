/**
 * `stigmem recall "<question>"` through `@stigmem/sdk`: the ranked facts as
 * a table with the fused score and its signals (lexical, semantic, graph,
 * source trust, recency), so a person can see why a fact ranked where it
 * did; `--json` prints the SDK's whole answer.
 *
 * @module
 */
import type { RecallResult, Scope, ScoredFact } from "@stigmem/sdk";
import type { ConnectionOptions } from "./client-options.js";
import { cellValue } from "./fact-cells.js";
import { withNode } from "./node-client.js";
import { renderTable, type Column } from "./table.js";
import { colorEnabled, painter, printJson } from "./terminal.js";

/** Flags of `recall`. */
export interface RecallCommandOptions extends ConnectionOptions {
  scope?: Scope;
  budget?: number;
  entity?: string;
  relation?: string;
  minConfidence?: number;
  depth?: number;
  json?: boolean;
}

const COLUMNS: readonly Column[] = [
  { header: "#", align: "right" },
  { header: "SCORE", align: "right" },
  { header: "LEX", align: "right" },
  { header: "SEM", align: "right" },
  { header: "GRAPH", align: "right" },
  { header: "TRUST", align: "right" },
  { header: "RECENCY", align: "right" },
  { header: "ENTITY", max: 28 },
  { header: "RELATION", max: 24 },
  { header: "VALUE", max: 48 },
  { header: "SOURCE", max: 24 },
];

/** `recall`. */
export async function runRecall(question: string, opts: RecallCommandOptions): Promise<void> {
  const r = await withNode("recall", opts, (c) =>
    c.recall(question, {
      scope: opts.scope,
      tokenBudget: opts.budget,
      entity: opts.entity,
      relation: opts.relation,
      minConfidence: opts.minConfidence,
      depth: opts.depth,
    }),
  );
  if (opts.json === true) return printJson(r);
  const paint = painter(colorEnabled(process.stdout));
  if (r.facts.length > 0) process.stdout.write(renderTable(COLUMNS, rows(r), (s) => paint("bold", s)));
  process.stdout.write(summary(r));
}

/** One row per recalled fact; an instruction is marked in its value. */
function rows(r: RecallResult): string[][] {
  const instructions = new Set(r.instructions.map((s) => s.fact.id));
  return r.facts.map((s: ScoredFact, i) => {
    const b = s.scoreBreakdown;
    const value = cellValue(s.fact.value);
    return [
      String(i + 1),
      s.score.toFixed(3),
      ...[b.lexical, b.semantic, b.graph, b.sourceTrust, b.recency].map((n) => n.toFixed(3)),
      s.fact.entity,
      s.fact.relation,
      instructions.has(s.fact.id) ? `[instruction] ${value}` : value,
      s.fact.source,
    ];
  });
}

function summary(r: RecallResult): string {
  const truncated = r.truncated ? ", truncated to the budget" : "";
  return `${r.facts.length} fact(s) of ${r.totalScored} scored; ${r.tokensUsed} of ${r.tokenBudget} tokens${truncated}\n`;
}
