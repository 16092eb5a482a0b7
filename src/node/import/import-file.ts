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
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { readConflictLine } from "../../core/export/conflict-line.js";
import { ExportFileError } from "../../core/export/export-file-error.js";
import { checkEnd, parseHeader, parseObject, type ExportHeader } from "../../core/export/export-format.js";
import { readFactLine, type ExportedFact } from "../../core/export/fact-line.js";
import { HASH_PREFIX } from "../../core/content-hash.js";
import { chainLinkHash, type ChainLinkInput } from "../../core/fact-chain-hash.js";
import { formatHlc, HLC_ZERO, maxHlc, parseHlc } from "../../core/hlc.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { BulkLoader, type ImportState } from "../../store/bulk-load.js";
import { classifySqliteError } from "../../store/sqlite-error.js";
import { refreshTripleVerdict } from "../facts/triple-verdict.js";
import { lineBatches } from "./line-batches.js";
import { VerifyThread } from "./verify-thread.js";

/** Facts per committed checkpoint by default. */
export const DEFAULT_CHECKPOINT_FACTS = 100_000;

/** Where the export file comes from: a file (resumed by seeking) or a stream (resumed by skipping). */
export type ImportInput = { readonly path: string } | { readonly stream: Readable };

/** What an import reports as it goes. */
export type ImportProgress =
  | { readonly phase: "load"; readonly done: number; readonly total: number }
  /** A build step starting (`seconds` null) or done. */
  | { readonly phase: "build"; readonly step: BuildStep; readonly seconds: number | null };

/** The steps of the build, in order. */
export type BuildStep = "indexes" | "text index" | "overruled" | "chain heads" | "verdicts" | "record";

export interface ImportOptions {
  /** The node's database file (need not exist yet). */
  readonly dbPath: string;
  readonly input: ImportInput;
  /** Who the audit entry names. */
  readonly actor: string;
  /** Facts per commit; a killed import redoes at most this many. */
  readonly checkpointFacts?: number;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Told after each commit, with the state it recorded. */
  readonly onCheckpoint?: (state: ImportState) => void;
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
      if (state.phase === "loading") state = await load(loader, header, state, input.from(state.offset), opts);
      const loadSeconds = (performance.now() - started) / 1000;
      const buildStarted = performance.now();
      const buildSteps: Partial<Record<BuildStep, number>> = {};
      if (state.phase === "loaded") {
        const indexed = timed(opts, buildSteps, "text index", () => loader.adoptTextIndex());
        build(loader, header, state, indexed, now(), opts, buildSteps);
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

/**
 * Loads every line after the checkpoint `state`, committing every
 * `checkpointFacts` facts. This thread checks each line's structure, hashes
 * the fact chain and stores the rows into the open chunk as it reads them;
 * the second thread recomputes every CID and builds the text index
 * meanwhile, and a chunk commits only once the second thread has checked
 * everything in it.
 */
async function load(loader: BulkLoader, header: ExportHeader, state: ImportState, input: Readable, opts: ImportOptions): Promise<ImportState> {
  const every = opts.checkpointFacts ?? DEFAULT_CHECKPOINT_FACTS;
  const total = header.facts + header.conflicts;
  const second = VerifyThread.start({
    textIndex: { file: loader.textIndexPath, definition: loader.textIndexDefinition(), from: state.lastRowid },
  });
  try {
    let s = state;
    let factCount = s.facts;
    let conflictCount = s.conflicts;
    let lastRowid = s.lastRowid;
    let lastSeq = s.lastSeq;
    let chainSeq = s.chainSeq;
    let previous = s.chainHash === null ? null : HASH_PREFIX + s.chainHash;
    let offset = s.offset;
    let lineNo = s.line;
    let endSeen = false;
    /** Rows in the open chunk, and the second thread's checks of its batches. */
    let inChunk = 0;
    let checking: Promise<void>[] = [];

    const commit = async (phase: ImportState["phase"]): Promise<void> => {
      await Promise.all(checking);
      const next: ImportState = {
        ...s,
        phase,
        offset,
        line: lineNo,
        facts: factCount,
        conflicts: conflictCount,
        lastRowid,
        lastSeq,
        chainSeq,
        chainHash: previous === null ? null : previous.slice(HASH_PREFIX.length),
      };
      loader.commitChunk(next);
      s = next;
      inChunk = 0;
      checking = [];
      opts.onCheckpoint?.(s);
    };

    for await (const batch of lineBatches(input, offset, lineNo + 1)) {
      const checked = second.verify(batch.bytes, batch.firstLine);
      // A batch that fails its check is reported when its chunk's commit waits for it; until then nothing is unhandled.
      checked.catch(() => {});
      checking.push(checked);
      loader.openChunk();
      let line = batch.firstLine;
      for (const text of batch.lines) {
        const at = line++;
        if (text.trim() === "") continue;
        if (endSeen) throw new ExportFileError(at, undefined, "a line follows the trailer");
        const o = parseObject(text, at);
        switch (o.kind) {
          case "fact": {
            if (conflictCount > 0) throw new ExportFileError(at, "kind", "a fact after the conflicts: facts come first");
            const f = readFactLine(o, at);
            if (f.rowid <= lastRowid) throw new ExportFileError(at, "rowid", `must be greater than the previous fact's (${lastRowid})`);
            insertFact(loader, f, at);
            // The fact chain covers this node's own writes (protocol.md §11), in commit order.
            if (f.received_from === null) {
              chainSeq++;
              previous = chainLinkHash(chainLink(f, chainSeq), previous);
              loader.insertLink(chainSeq, f.rowid, Buffer.from(previous.slice(HASH_PREFIX.length), "hex"));
            }
            if (f.value_type === "ref") loader.insertEdge(f.rowid, f.entity, refTarget(f.value_v, at), f.relation, f.scope);
            lastRowid = f.rowid;
            factCount++;
            inChunk++;
            break;
          }
          case "conflict": {
            const c = readConflictLine(o, at);
            if (c.seq <= lastSeq) throw new ExportFileError(at, "seq", `must be greater than the previous conflict's (${lastSeq})`);
            if (!loader.insertConflict(c)) {
              const missing = loader.hasFact(c.fact_a) ? "fact_b" : "fact_a";
              throw new ExportFileError(at, missing, `names fact ${c[missing]}, which the file does not hold`);
            }
            lastSeq = c.seq;
            conflictCount++;
            inChunk++;
            break;
          }
          case "end":
            checkEnd(o, at, { facts: factCount, conflicts: conflictCount });
            endSeen = true;
            break;
          default:
            throw new ExportFileError(at, "kind", `must be fact, conflict or end (got ${JSON.stringify(o.kind)})`);
        }
      }
      offset = batch.endOffset;
      lineNo = line - 1;
      if (inChunk >= every) await commit("loading");
      opts.onProgress?.({ phase: "load", done: factCount + conflictCount, total });
    }
    if (!endSeen) {
      await commit("loading");
      throw new ExportFileError(0, undefined, "the file ends without its trailer line: it was cut short (run the import again with the whole file to continue)");
    }
    if (factCount !== header.facts || conflictCount !== header.conflicts) {
      throw new ExportFileError(1, "facts", `the header counts ${header.facts} facts and ${header.conflicts} conflicts, the file holds ${factCount} and ${conflictCount}`);
    }
    await commit("loaded");
    await second.finish();
    return s;
  } catch (e) {
    // Whatever the open chunk holds was not fully checked: it goes, the last checkpoint stays.
    loader.rollbackChunk();
    throw e;
  } finally {
    second.close();
  }
}

/** Stores `f`; a fact whose id or HLC the file already gave another fact is refused at its line. */
function insertFact(loader: BulkLoader, f: ExportedFact, line: number): void {
  try {
    loader.insertFact(f);
  } catch (e) {
    if (classifySqliteError(e)?.kind !== "constraint") throw e;
    const field = /facts\.id\b/.test((e as Error).message) ? "id" : "hlc_w";
    throw new ExportFileError(line, field, `repeats another fact's ${field === "id" ? "id" : "HLC"} (${(e as Error).message})`);
  }
}

/** What the fact chain's link `seq` covers of `f` (protocol.md §11; `created_at` is the fact's timestamp). */
function chainLink(f: ExportedFact, seq: number): ChainLinkInput {
  return {
    chain_seq: seq,
    id: f.id,
    cid: f.cid,
    confidence: f.confidence,
    entity: f.entity,
    relation: f.relation,
    scope: f.scope,
    source: f.source,
    value_type: f.value_type,
    value_v: f.value_v,
    timestamp: f.timestamp,
  };
}

/** The edge target of a `ref` value: normalized, as the write step stores it (§3). */
function refTarget(valueV: string, line: number): string {
  try {
    return normalizeEntityUri(valueV, "value.v");
  } catch (e) {
    throw new ExportFileError(line, "value_v", `is not an entity URI: ${(e as Error).message}`);
  }
}

/**
 * Builds everything derived from the rows, in one transaction (bulk-load.ts),
 * timing each step: the set-based SQL, then the verdicts of the triples that
 * need one — judged by the online path's own rule — and the record of the
 * import (the node's id and clock, the audit entry).
 */
function build(
  loader: BulkLoader,
  header: ExportHeader,
  state: ImportState,
  textIndexed: number,
  nowMs: number,
  opts: ImportOptions,
  seconds: Partial<Record<BuildStep, number>>,
): void {
  const nodeId = header.nodeId;
  loader.build(state, nodeId, nowMs, (b) => {
    const step = (name: BuildStep, work: () => void): void => timed(opts, seconds, name, work);
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
          actor: opts.actor,
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
function timed<T>(opts: ImportOptions, seconds: Partial<Record<BuildStep, number>>, name: BuildStep, work: () => T): T {
  opts.onProgress?.({ phase: "build", step: name, seconds: null });
  const t0 = performance.now();
  const out = work();
  const took = (performance.now() - t0) / 1000;
  seconds[name] = (seconds[name] ?? 0) + took;
  opts.onProgress?.({ phase: "build", step: name, seconds: took });
  return out;
}

/** The input with its header read and checked, and the rest readable from any byte offset. */
interface OpenedInput {
  readonly header: ExportHeader;
  /** SHA-256 (hex) of the header line. */
  readonly headerHash: string;
  /** Bytes of the header line with its newline. */
  readonly headerBytes: number;
  /** The file from byte `offset` on. */
  from(offset: number): Readable;
  close(): void;
}

/** Longest header line read before giving up on a file that is not an export. */
const MAX_HEADER_BYTES = 1 << 20;

async function openInput(input: ImportInput): Promise<OpenedInput> {
  if ("path" in input) {
    const head = readHead(input.path);
    const streams: Readable[] = [];
    return {
      ...head,
      from: (offset) => {
        const s = fs.createReadStream(input.path, { start: offset, highWaterMark: 1 << 20 });
        streams.push(s);
        return s;
      },
      close: () => streams.forEach((s) => s.destroy()),
    };
  }
  const stream = input.stream;
  let buf = Buffer.alloc(0);
  for (;;) {
    const cut = buf.indexOf(10);
    if (cut >= 0) {
      const head = checkHead(buf.subarray(0, cut));
      stream.unshift(buf.subarray(cut + 1));
      return { ...head, from: (offset) => skip(stream, offset - head.headerBytes), close: () => stream.destroy() };
    }
    if (buf.length > MAX_HEADER_BYTES) throw new ExportFileError(1, undefined, "no header line: this is not a stigmem export");
    const chunk = await readChunk(stream);
    if (chunk === null) {
      if (buf.length === 0) throw new ExportFileError(0, undefined, "the file is empty");
      buf = Buffer.concat([buf, Buffer.from("\n")]);
    } else buf = Buffer.concat([buf, chunk]);
  }
}

function readHead(file: string): Pick<OpenedInput, "header" | "headerHash" | "headerBytes"> {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(MAX_HEADER_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    if (n === 0) throw new ExportFileError(0, undefined, "the file is empty");
    const cut = buf.subarray(0, n).indexOf(10);
    if (cut < 0 && n === buf.length) throw new ExportFileError(1, undefined, "no header line: this is not a stigmem export");
    return checkHead(buf.subarray(0, cut < 0 ? n : cut));
  } finally {
    fs.closeSync(fd);
  }
}

function checkHead(line: Buffer): Pick<OpenedInput, "header" | "headerHash" | "headerBytes"> {
  return {
    header: parseHeader(line.toString("utf8")),
    headerHash: createHash("sha256").update(line).digest("hex"),
    headerBytes: line.length + 1,
  };
}

/** The next chunk of a paused stream, or null at its end. */
function readChunk(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) return resolve(chunk);
    if (stream.readableEnded) return resolve(null);
    const done = (): void => {
      stream.off("readable", onReadable);
      stream.off("end", onEnd);
      stream.off("error", onError);
    };
    const onReadable = (): void => {
      const c = stream.read() as Buffer | null;
      if (c === null) return;
      done();
      resolve(c);
    };
    const onEnd = (): void => {
      done();
      resolve(null);
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    stream.on("readable", onReadable);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

/** `stream` without its first `bytes` bytes (a resume from a stream that cannot seek). */
function skip(stream: Readable, bytes: number): Readable {
  let left = bytes;
  async function* rest(): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (left >= chunk.length) {
        left -= chunk.length;
        continue;
      }
      yield left > 0 ? chunk.subarray(left) : chunk;
      left = 0;
    }
  }
  return Readable.from(rest(), { objectMode: false });
}
