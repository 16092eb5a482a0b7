/**
 * The build step of an import: everything derived from the loaded rows, in
 * the one transaction of `BulkLoader.build` — the set-based SQL of
 * store/bulk-build.ts, then the verdicts of the triples that need one,
 * judged by the online path's own rule (facts/triple-verdict.ts), and the
 * record of the import (the node's id and clock, the audit entry) — each
 * step timed.
 *
 * @module
 */
import type { ExportHeader } from "../../core/export/export-format.js";
import { formatHlc, HLC_ZERO, maxHlc, parseHlc } from "../../core/hlc.js";
import type { BulkLoader, ImportState } from "../../store/bulk-load.js";
import { refreshTripleVerdict } from "../facts/triple-verdict.js";

/** The steps of the build, in order. */
export type BuildStep = "indexes" | "text index" | "overruled" | "chain heads" | "verdicts" | "record";

/** Told as each step starts (`seconds` null) and ends. */
export type BuildProgress = (step: BuildStep, seconds: number | null) => void;

/**
 * Builds everything derived from the rows, in one transaction (bulk-load.ts),
 * timing each step: the set-based SQL, then the verdicts of the triples that
 * need one — judged by the online path's own rule — and the record of the
 * import (the node's id and clock, the audit entry).
 */
export function buildStore(
  loader: BulkLoader,
  header: ExportHeader,
  state: ImportState,
  textIndexed: number,
  nowMs: number,
  actor: string,
  seconds: Partial<Record<BuildStep, number>>,
  onProgress?: BuildProgress,
): void {
  const nodeId = header.nodeId;
  loader.build(state, nodeId, nowMs, (b) => {
    const step = (name: BuildStep, work: () => void): void => timed(seconds, name, work, onProgress);
    step("indexes", () => b.recreateIndexes(state.droppedIndexes));
    step("text index", () => b.textIndex(textIndexed));
    step("overruled", () => b.overruled());
    step("chain heads", () => b.heads());
    step("verdicts", () => {
      const facts = loader.factStore();
      for (const triple of b.tripleCandidates()) refreshTripleVerdict(facts, nodeId, triple, nowMs);
    });
    step("record", () => {
      const stored = loader.factStore().maxHlc();
      const clock = maxHlc(
        header.hlc === null ? HLC_ZERO : parseHlc(header.hlc, "hlc"),
        stored === undefined ? HLC_ZERO : { wall: stored.w, counter: stored.c },
      );
      // The folder now holds this node's facts: it is that node, and its clock never goes back behind them.
      loader.meta.set("node_id", nodeId);
      loader.meta.set("hlc", formatHlc(clock));
      loader.auditLog().append(
        {
          eventType: "facts_imported",
          actor,
          outcome: "success",
          detail: {
            from_node: nodeId,
            exported_at: header.exportedAt,
            facts: state.facts,
            conflicts: state.conflicts,
            header_sha256: state.headerHash,
            resumes: state.resumes,
          },
        },
        nowMs,
      );
    });
  });
}

/** Runs one step of the build, reporting its start and its duration. */
export function timed<T>(seconds: Partial<Record<BuildStep, number>>, name: BuildStep, work: () => T, onProgress?: BuildProgress): T {
  onProgress?.(name, null);
  const t0 = performance.now();
  const out = work();
  const took = (performance.now() - t0) / 1000;
  seconds[name] = (seconds[name] ?? 0) + took;
  onProgress?.(name, took);
  return out;
}

