/**
 * What an import's second thread does with each batch of lines, the same
 * whether it runs on a worker (verify-worker.ts) or, where the compiled
 * worker is not at hand, on the main thread (verify-thread.ts): recompute
 * CIDs and chain links (chain-verifier.ts) and add every fact to the
 * full-text index built beside the load (store/bulk-text-index.ts).
 *
 * @module
 */
import { TextIndexBuilder } from "../../store/bulk-text-index.js";
import { ChainVerifier, type ChainTip, type VerifiedBatch } from "./chain-verifier.js";

/** What the thread starts from. */
export interface VerifyWorkerData {
  readonly tip: ChainTip;
  /** Where to build the full-text index, the CREATE statement of the store's `facts_fts`, and the rowid the load resumes after. */
  readonly textIndex: { readonly file: string; readonly definition: string; readonly from: number };
}

/** One batch (whole lines of the file, UTF-8, the first numbered `firstLine`), or the end. */
export type VerifyRequest =
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

export type VerifyReply =
  | { readonly id: number; readonly batch: VerifiedBatch }
  /** The text index is committed and closed; it covers every fact up to this rowid. */
  | { readonly id: number; readonly finished: { readonly textIndexUpTo: number } }
  | { readonly id: number; readonly error: ErrorFields };

export class HashingWork {
  private readonly decoder = new TextDecoder();

  private constructor(
    private readonly verifier: ChainVerifier,
    private readonly text: TextIndexBuilder,
  ) {}

  static start(data: VerifyWorkerData): HashingWork {
    return new HashingWork(new ChainVerifier(data.tip), TextIndexBuilder.open(data.textIndex.file, data.textIndex.definition, data.textIndex.from));
  }

  /** Answers one request; never throws. */
  handle(m: VerifyRequest): VerifyReply {
    try {
      if ("finish" in m) return { id: m.id, finished: { textIndexUpTo: this.text.finish() } };
      const lines = this.decoder.decode(m.bytes).split("\n");
      const batch = this.verifier.verify(lines, m.firstLine, (f) => this.text.add(f.rowid, f.entity, f.relation, f.value_v));
      return { id: m.id, batch };
    } catch (e) {
      const err = e as Partial<ErrorFields>;
      return { id: m.id, error: { name: err.name ?? "Error", line: err.line, field: err.field, detail: err.detail, message: err.message ?? String(e) } };
    }
  }

  /** Leaves without committing (the import failed). */
  abandon(): void {
    this.text.abandon();
  }
}
