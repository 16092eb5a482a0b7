/**
 * Tells interested parts of the node (embedding, card invalidation, watch
 * streams, the federation live tail) which facts a transaction wrote, after
 * it committed. Listeners run synchronously and must not throw; one that
 * does is logged and the others still run, so a failing side effect never
 * fails or blocks a write (protocol.md: "a write commits, embedding follows").
 *
 * @module
 */
import type { Logger } from "../logger.js";
import type { FactRow } from "../store/fact-store.js";

export type FactsListener = (rows: readonly FactRow[]) => void;

export class FactEvents {
  private readonly listeners = new Set<FactsListener>();

  constructor(private readonly log: Logger) {}

  /** Subscribes; returns the unsubscribe function. */
  on(listener: FactsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Announces committed rows: every new row, and a resolution's decision even
   * when it was deduplicated, since the facts it overruled changed the view.
   */
  emit(rows: readonly FactRow[]): void {
    if (rows.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(rows);
      } catch (e) {
        this.log.error({ err: e }, "fact listener failed");
      }
    }
  }
}
