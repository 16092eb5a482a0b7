/**
 * Server streams as async iterators that survive disconnects: iterate the
 * messages of a Connect server-streaming call, remember the cursor of the
 * last message that carried one, and when the stream fails with a retryable
 * error reopen it after that cursor, with exponential back-off and jitter.
 * Generic over the call, so every cursor-resumable stream of the contract
 * (FactService.WatchFacts, FederationService.PullFacts) plugs in the same way:
 *
 * ```ts
 * for await (const m of resumableStream(
 *   (cursor, signal) => rpc.facts.watchFacts({ scope: "company", cursor }, { signal, timeoutMs: 0 }),
 *   { cursorOf: (m) => (m.kind.case === "factEvent" ? m.kind.value.cursor : undefined), transport: "grpc" },
 * )) { ... }
 * ```
 *
 * A message is yielded before its cursor counts as consumed: if the consumer
 * stops mid-way, `lastCursor` is the one to persist for next time.
 *
 * @module
 */
import { isStigmemError, type StigmemError } from "../errors.js";
import type { TransportKind } from "../types.js";
import { connectError } from "./connect-error.js";

export interface ResumableStreamOptions<T> {
  /** The cursor a message moves the stream to; undefined for messages that move none (heartbeats). */
  cursorOf: (message: T) => string | undefined;
  /** Which transport the stream runs on, for the typed errors. */
  transport: Exclude<TransportKind, "rest">;
  /** Resume after this cursor (one persisted earlier); undefined starts where the server starts. */
  cursor?: string;
  /** Stops the stream; the iterator then ends quietly. */
  signal?: AbortSignal;
  /** Whether to reconnect after `e`; default: network and availability failures only. */
  retryable?: (e: StigmemError) => boolean;
  /** First reconnect delay, doubled after each failure in a row (default 250 ms). */
  initialDelayMs?: number;
  /** Longest delay between reconnects (default 30 s). */
  maxDelayMs?: number;
  /** Failures without progress after which the last error is thrown (default 10; a message with a cursor resets the count). */
  maxAttempts?: number;
  /** Called before each reconnect, e.g. to log it. */
  onReconnect?: (info: { attempt: number; delayMs: number; cursor: string | undefined; error: StigmemError }) => void;
}

/** An async iterator over a resumable stream, exposing where it got to. */
export interface ResumableStream<T> extends AsyncIterable<T> {
  /** The cursor of the last message yielded that carried one. */
  readonly lastCursor: string | undefined;
}

/** Failures worth a reconnect: the connection or the node went away, not the request. */
function defaultRetryable(e: StigmemError): boolean {
  return e.name === "UnavailableError" || e.code === "internal";
}

/** Opens `open(cursor, signal)` and keeps it open across retryable failures (see the module comment). */
export function resumableStream<T>(
  open: (cursor: string | undefined, signal: AbortSignal) => AsyncIterable<T>,
  opts: ResumableStreamOptions<T>,
): ResumableStream<T> {
  const state = { cursor: opts.cursor };
  const retryable = opts.retryable ?? defaultRetryable;
  const initial = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 30_000;
  const maxAttempts = opts.maxAttempts ?? 10;

  async function* run(): AsyncGenerator<T> {
    let failures = 0;
    for (;;) {
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      opts.signal?.addEventListener("abort", stop, { once: true });
      try {
        if (opts.signal?.aborted === true) return;
        for await (const message of open(state.cursor, controller.signal)) {
          const cursor = opts.cursorOf(message);
          // Only progress resets the count: a stream that fails after every heartbeat still gives up.
          if (cursor !== undefined) failures = 0;
          yield message;
          state.cursor = cursor ?? state.cursor;
        }
        return;
      } catch (e) {
        if (opts.signal?.aborted === true) return;
        const error = isStigmemError(e) ? e : connectError(e, opts.transport);
        failures += 1;
        if (!retryable(error) || failures >= maxAttempts) throw error;
        const delayMs = Math.min(max, initial * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
        opts.onReconnect?.({ attempt: failures, delayMs, cursor: state.cursor, error });
        await sleep(delayMs, opts.signal);
      } finally {
        opts.signal?.removeEventListener("abort", stop);
        controller.abort();
      }
    }
  }

  return {
    get lastCursor() {
      return state.cursor;
    },
    [Symbol.asyncIterator]: () => run(),
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
