/**
 * The offline embedder on a worker thread: the same vectors as
 * `OfflineEmbedder`, computed off the event loop, which is what a busy
 * node runs short of (the tokenizing and averaging were ~5 % of its main
 * thread under a write load). The worker (`offline-embed-worker.ts`) loads
 * the vocabulary itself, so the main thread never holds a copy.
 *
 * It also searches a quantized index the main thread shares with it
 * ({@link searchShared}): a recall's semantic search then runs on the second
 * core while the main thread reads the lexical and graph channels.
 *
 * Calls are matched to replies by id. A worker that dies fails its in-flight
 * calls as "unavailable" (the embed queue backs off and retries) and the next
 * call starts a fresh one. An idle worker does not keep the process alive;
 * one with calls in flight does.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { EmbedError, type EmbedOptions, type Embedder } from "./embedder.js";
import type { OfflineWorkerData, SharedSearch, WorkerFailure, WorkerReply, WorkerRequest } from "./offline-embed-worker.js";
import { OFFLINE_EMBEDDER_ID } from "./offline-embedder.js";
import type { IndexArrays } from "./quantized-index.js";

/**
 * The compiled worker entry beside this module. It exists only in the build
 * (`dist/`): a worker cannot load the TypeScript sources the tests run.
 */
export const OFFLINE_WORKER_SCRIPT = new URL("./offline-embed-worker.js", import.meta.url);

export interface WorkerEmbedderOptions {
  /** The vocabulary file the worker loads (see `prepareVocabulary`). */
  readonly vocabularyFile: string;
  /** Its vector length, from its header: known before the worker has loaded it. */
  readonly dims: number;
  /** The worker entry; default {@link OFFLINE_WORKER_SCRIPT}. */
  readonly script?: URL;
}

interface Call {
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class WorkerEmbedder implements Embedder {
  readonly id = OFFLINE_EMBEDDER_ID;
  readonly dims: number;
  private readonly vocabularyFile: string;
  private readonly script: URL;
  private worker: Worker | undefined;
  private readonly calls = new Map<number, Call>();
  /** The index arrays a worker holds: sent with a search when they changed or the worker is new. */
  private sent: { readonly worker: Worker; readonly arrays: IndexArrays } | undefined;
  private nextId = 0;
  private closed = false;

  /** Starts the worker at once, so the vocabulary loads while the node starts. */
  constructor(opts: WorkerEmbedderOptions) {
    this.dims = opts.dims;
    this.vocabularyFile = opts.vocabularyFile;
    this.script = opts.script ?? OFFLINE_WORKER_SCRIPT;
    this.worker = this.spawn();
  }

  /**
   * The current worker thread, if one runs. Only for tests, which terminate
   * it to check that in-flight calls fail and the next call recovers.
   */
  get thread(): Worker | undefined {
    return this.worker;
  }

  async embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const reply = await this.request((id) => ({ id, texts }), opts.signal);
    return "vectors" in reply ? reply.vectors : [];
  }

  /**
   * Embeds `query` and searches `arrays` with it on the worker (the
   * `searchInt8` of `quantized-index.ts`); the hits come back best first.
   * @throws EmbedError ("unavailable") like {@link embed}.
   */
  async searchShared(
    arrays: IndexArrays,
    search: Omit<SharedSearch, "arrays">,
    opts: EmbedOptions = {},
  ): Promise<{ rowid: number; dot: number }[]> {
    const reply = await this.request((id, worker) => {
      const fresh = this.sent?.worker !== worker || this.sent.arrays !== arrays;
      this.sent = { worker, arrays };
      return { id, search: fresh ? { ...search, arrays } : search };
    }, opts.signal);
    if (!("hits" in reply)) return [];
    const out: { rowid: number; dot: number }[] = [];
    for (let i = 0; i < reply.hits.length; i += 2) out.push({ rowid: reply.hits[i]!, dot: reply.hits[i + 1]! });
    return out;
  }

  private request(build: (id: number, worker: Worker) => WorkerRequest, signal: AbortSignal | undefined): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new EmbedError("unavailable", "the offline embedder is closed"));
    if (signal?.aborted) return Promise.reject(aborted(signal));
    const worker = (this.worker ??= this.spawn());
    const id = ++this.nextId;
    return new Promise<WorkerReply>((resolve, reject) => {
      const onAbort = (): void => this.take(id)?.reject(aborted(signal!));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.calls.set(id, { resolve, reject, signal, onAbort });
      if (this.calls.size === 1) worker.ref();
      worker.postMessage(build(id, worker));
    });
  }

  /** Ends the worker; in-flight and later calls fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new EmbedError("unavailable", "the offline embedder is closed"));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private spawn(): Worker {
    const worker = new Worker(this.script, {
      workerData: { vocabularyFile: this.vocabularyFile } satisfies OfflineWorkerData,
    });
    worker.unref();
    let failure: string | undefined;
    worker.on("message", (m: WorkerReply | WorkerFailure) => {
      if ("failed" in m) failure = `could not load ${this.vocabularyFile}: ${m.failed}`;
      else if ("error" in m) this.take(m.id)?.reject(new EmbedError("unavailable", `the offline embedder's worker failed a call: ${m.error}`));
      else this.take(m.id)?.resolve(m);
    });
    // Without a listener, a worker's uncaught error would be thrown in this thread.
    worker.on("error", (e) => {
      failure = `crashed: ${e.message}`;
    });
    worker.on("exit", (code) => {
      // After close() (or a replacement), the calls were already failed.
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new EmbedError("unavailable", `the offline embedder's worker ${failure ?? `exited with code ${code}`}`));
    });
    return worker;
  }

  /** Removes a pending call (undefined if it already settled), releasing the worker when none is left. */
  private take(id: number): Call | undefined {
    const call = this.calls.get(id);
    if (call === undefined) return undefined;
    this.calls.delete(id);
    call.signal?.removeEventListener("abort", call.onAbort);
    if (this.calls.size === 0) this.worker?.unref();
    return call;
  }

  private failAll(e: EmbedError): void {
    for (const id of [...this.calls.keys()]) this.take(id)!.reject(e);
  }
}

/** The rejection of a call whose signal fired: "unavailable", as a slow provider is. */
function aborted(signal: AbortSignal): EmbedError {
  const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  return new EmbedError("unavailable", `the offline embedding call was aborted: ${why}`, { cause: signal.reason });
}
