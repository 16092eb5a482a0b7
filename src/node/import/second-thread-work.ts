/**
 * What an import's second thread does with each batch of lines, the same
 * whether it runs on a worker (verify-worker.ts) or, where the compiled
 * worker is not at hand, on the main thread (verify-thread.ts): recompute
 * every fact's CID from its content (protocol.md §4) and add the facts
 * whose CID checks out to the full-text index built beside the load
 * (store/bulk-text-index.ts). The structure of each line is checked by the
 * main thread, which stores it; lines that are not well-formed facts are
 * passed over here and refused there.
 *
 * @module
 */
import { computeCid, type CidInput } from "../../core/cid.js";
import { ExportFileError } from "../../core/export/export-file-error.js";
import { TextIndexBuilder } from "../../store/bulk-text-index.js";

/** What the thread starts from. */
export interface SecondThreadData {
  /** Where to build the full-text index, the CREATE statement of the store's `facts_fts`, and the rowid the load resumes after. */
  readonly textIndex: { readonly file: string; readonly definition: string; readonly from: number };
}

/** One batch (whole lines of the file, UTF-8, the first numbered `firstLine`), or the end. */
export type SecondThreadRequest =
  | { readonly id: number; readonly bytes: Uint8Array; readonly firstLine: number }
  | { readonly id: number; readonly finish: true };

/** An error as it crosses the thread boundary: an ExportFileError's fields, or another failure's message. */
export interface ErrorFields {
  readonly name: string;
  readonly line?: number;
  readonly field?: string;
  readonly detail?: string;
  readonly message: string;
}

export type SecondThreadReply =
  /** The batch's facts all hashed to their CIDs. */
  | { readonly id: number; readonly facts: number }
  /** The text index is committed and closed; it covers every fact up to this rowid. */
  | { readonly id: number; readonly textIndexUpTo: number }
  | { readonly id: number; readonly error: ErrorFields };

/** What this thread reads of a fact line. */
type FactFields = CidInput & { readonly kind: unknown; readonly rowid: number; readonly cid: string };

export class SecondThreadWork {
  private readonly decoder = new TextDecoder();

  private constructor(private readonly text: TextIndexBuilder) {}

  static start(data: SecondThreadData): SecondThreadWork {
    return new SecondThreadWork(TextIndexBuilder.open(data.textIndex.file, data.textIndex.definition, data.textIndex.from));
  }

  /** Answers one request; never throws. */
  handle(m: SecondThreadRequest): SecondThreadReply {
    try {
      if ("finish" in m) return { id: m.id, textIndexUpTo: this.text.finish() };
      return { id: m.id, facts: this.verify(this.decoder.decode(m.bytes).split("\n"), m.firstLine) };
    } catch (e) {
      const err = e as Partial<ErrorFields>;
      return { id: m.id, error: { name: err.name ?? "Error", line: err.line, field: err.field, detail: err.detail, message: err.message ?? String(e) } };
    }
  }

  /** Leaves without committing (the import failed). */
  abandon(): void {
    this.text.abandon();
  }

  /**
   * Checks the CID of every fact line and indexes the fact.
   * @throws ExportFileError at the first fact whose CID does not match its content.
   */
  private verify(lines: readonly string[], firstLine: number): number {
    let facts = 0;
    let at = firstLine;
    for (const text of lines) {
      const line = at++;
      let f: FactFields | null;
      try {
        f = JSON.parse(text) as FactFields | null;
      } catch {
        continue;
      }
      if (f === null || f.kind !== "fact") continue;
      let cid: string;
      try {
        cid = computeCid(f);
      } catch (e) {
        throw new ExportFileError(line, undefined, `has no CID: ${(e as Error).message}`);
      }
      if (cid !== f.cid) throw new ExportFileError(line, "cid", `does not match the fact's content (it hashes to ${cid})`);
      // Only content that hashed to its CID is indexed: a damaged line never enters the index.
      this.text.add(f.rowid, f.entity, f.relation, f.value_v);
      facts++;
    }
    return facts;
  }
}
