/**
 * `stigmem import`: restores an export file (core/export/export-format.ts)
 * into a node's data folder whose store is empty, through the bulk loader
 * (store/bulk-load.ts): rows first, in large checkpointed transactions,
 * then one build of everything derived from them, then the built file
 * replaces the node's database.
 *
 * - **Same end state as the online path.** Rows are stored as the
 *   exporting node held them (ids, CIDs, timestamps, HLCs, provenance,
 *   rowids); the fact chain is re-hashed link by link over the local
 *   facts; chain heads, overruled facts and edges are derived with
 *   set-based SQL that states the online rule it follows; triple verdicts
 *   are judged by the online path's own function (facts/triple-verdict.ts).
 * - **Resumable.** Each commit records how far into the file it got; a
 *   killed import run again with the same file continues from there.
 * - **Idempotent.** Importing the same file again into the store it built
 *   changes nothing; a file is refused into any other store that holds facts
 *   (store/bulk-load.ts `StoreNotEmptyError`).
 *
 * @module
 */
import type { ExportHeader } from "../../core/export/export-format.js";
import { BulkLoader } from "../../store/bulk-load.js";
import { buildStore, timed, type BuildStep } from "./import-build.js";
import { openInput, type ImportInput } from "./import-input.js";
import { loadRows } from "./load-rows.js";

export type { BuildStep } from "./import-build.js";
export type { ImportInput } from "./import-input.js";

/** What an import reports as it goes. */
export type ImportProgress =
  | { readonly phase: "load"; readonly done: number; readonly total: number }
  /** A build step starting (`seconds` null) or done. */
  | { readonly phase: "build"; readonly step: BuildStep; readonly seconds: number | null };

export interface ImportOptions {
  /** The node's database file (need not exist yet). */
  readonly dbPath: string;
  readonly input: ImportInput;
  /** Who the audit entry names. */
  readonly actor: string;
  /** Facts per commit; a killed import redoes at most this many. */
  readonly checkpointFacts?: number;
  readonly onProgress?: (p: ImportProgress) => void;
  readonly now?: () => number;
}

export interface ImportSummary {
  readonly header: ExportHeader;
  /** The data folder already held exactly this import: nothing was done. */
  readonly alreadyImported: boolean;
  /** Facts and conflicts in the store afterwards. */
  readonly facts: number;
  readonly conflicts: number;
  /** Facts this run loaded (fewer than `facts` after a resume). */
  readonly loadedNow: number;
  /** Links of the rebuilt fact chain (the local facts). */
  readonly chainLinks: number;
  /** How often this import was resumed. */
  readonly resumes: number;
  /** The node id the folder had before, when the import changed it. */
  readonly previousNodeId: string | null;
  /** Seconds of this run: loading rows, building, in all. */
  readonly loadSeconds: number;
  readonly buildSeconds: number;
  readonly buildSteps: Readonly<Partial<Record<BuildStep, number>>>;
}

/** Another export is being imported into this folder. */
export class OtherImportInProgressError extends Error {
  override readonly name = "OtherImportInProgressError";
  constructor(readonly stagingFile: string) {
    super(`${stagingFile} holds an unfinished import of another file: run the import again with that file, or delete ${stagingFile} to start over`);
  }
}

/** Imports `opts.input` into the data folder's database. */
export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const now = opts.now ?? Date.now;
  const started = performance.now();
  const input = await openInput(opts.input);
  const { header, headerHash } = input;
  try {
    if (BulkLoader.importedFrom(opts.dbPath) === headerHash) {
      return { ...summary(header, 0), alreadyImported: true, facts: header.facts, conflicts: header.conflicts };
    }
    const loader = await BulkLoader.open(opts.dbPath);
    try {
      const previousNodeId = loader.meta.get("node_id") ?? null;
      let state = loader.state();
      if (state !== undefined && state.headerHash !== headerHash) throw new OtherImportInProgressError(loader.stagingPath);
      const resumes = state === undefined ? 0 : state.resumes + 1;
      if (state === undefined) state = loader.begin({ ...START, headerHash, nodeId: header.nodeId, offset: input.headerBytes });
      else {
        state = { ...state, resumes };
        loader.commit(() => {}, state);
      }
      const loadedBefore = state.facts;
      if (state.phase === "loading") {
        state = await loadRows(loader, header, state, input.from(state.offset), {
          checkpointFacts: opts.checkpointFacts,
          onProgress: (done, total) => opts.onProgress?.({ phase: "load", done, total }),
        });
      }
      const loadSeconds = (performance.now() - started) / 1000;
      const buildStarted = performance.now();
      const buildSteps: Partial<Record<BuildStep, number>> = {};
      if (state.phase === "loaded") {
        const onProgress = (step: BuildStep, seconds: number | null): void => opts.onProgress?.({ phase: "build", step, seconds });
        const indexed = timed(buildSteps, "text index", () => loader.adoptTextIndex(), onProgress);
        buildStore(loader, header, state, indexed, now(), opts.actor, buildSteps, onProgress);
      }
      loader.publish();
      return {
        ...summary(header, resumes),
        facts: state.facts,
        conflicts: state.conflicts,
        loadedNow: state.facts - loadedBefore,
        chainLinks: state.chainSeq,
        previousNodeId: previousNodeId === header.nodeId ? null : previousNodeId,
        loadSeconds,
        buildSeconds: (performance.now() - buildStarted) / 1000,
        buildSteps,
      };
    } finally {
      loader.close();
    }
  } finally {
    input.close();
  }
}

/** The state of an import that has not loaded anything yet. */
const START = {
  phase: "loading",
  line: 1,
  facts: 0,
  conflicts: 0,
  lastRowid: 0,
  lastSeq: 0,
  chainSeq: 0,
  chainHash: null,
  resumes: 0,
} as const;

function summary(header: ExportHeader, resumes: number): ImportSummary {
  return {
    header,
    alreadyImported: false,
    facts: 0,
    conflicts: 0,
    loadedNow: 0,
    chainLinks: 0,
    resumes,
    previousNodeId: null,
    loadSeconds: 0,
    buildSeconds: 0,
    buildSteps: {},
  };
}

