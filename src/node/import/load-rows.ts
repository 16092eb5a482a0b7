/**
 * The load step of an import: every line after the last checkpoint, read
 * in batches, checked, and stored into the open chunk as it is read — rows
 * with their rowids, fact-chain links hashed over the local facts in commit
 * order, graph edges, conflict records — while the second thread
 * (verify-thread.ts) recomputes every CID and builds the text index; a
 * chunk commits, with the checkpoint that covers it, once the second thread
 * has checked all of it.
 *
 * @module
 */
import type { Readable } from "node:stream";
import { readConflictLine } from "../../core/export/conflict-line.js";
import { ExportFileError } from "../../core/export/export-file-error.js";
import { checkEnd, parseObject, type ExportHeader } from "../../core/export/export-format.js";
import { readFactLine, type ExportedFact } from "../../core/export/fact-line.js";
import { HASH_PREFIX } from "../../core/content-hash.js";
import { chainLinkHash, type ChainLinkInput } from "../../core/fact-chain-hash.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import type { BulkLoader, ImportState } from "../../store/bulk-load.js";
import { classifySqliteError } from "../../store/sqlite-error.js";
import { lineBatches } from "./line-batches.js";
import { VerifyThread } from "./verify-thread.js";

/** Facts per committed checkpoint by default. */
export const DEFAULT_CHECKPOINT_FACTS = 100_000;

/** How the load reports: rows read of the total. */
export type LoadProgress = (done: number, total: number) => void;

/**
 * Loads every line after the checkpoint `state`, committing every
 * `checkpointFacts` facts. This thread checks each line's structure, hashes
 * the fact chain and stores the rows into the open chunk as it reads them;
 * the second thread recomputes every CID and builds the text index
 * meanwhile, and a chunk commits only once the second thread has checked
 * everything in it.
 */
export async function loadRows(
  loader: BulkLoader,
  header: ExportHeader,
  state: ImportState,
  input: Readable,
  opts: { readonly checkpointFacts?: number; readonly onProgress?: LoadProgress },
): Promise<ImportState> {
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
              loader.rows.insertLink(chainSeq, f.rowid, Buffer.from(previous.slice(HASH_PREFIX.length), "hex"));
            }
            if (f.value_type === "ref") loader.rows.insertEdge(f.rowid, f.entity, refTarget(f.value_v, at), f.relation, f.scope);
            lastRowid = f.rowid;
            factCount++;
            inChunk++;
            break;
          }
          case "conflict": {
            const c = readConflictLine(o, at);
            if (c.seq <= lastSeq) throw new ExportFileError(at, "seq", `must be greater than the previous conflict's (${lastSeq})`);
            if (!loader.rows.insertConflict(c)) {
              const missing = loader.rows.hasFact(c.fact_a) ? "fact_b" : "fact_a";
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
      opts.onProgress?.(factCount + conflictCount, total);
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
    loader.rows.insertFact(f);
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

