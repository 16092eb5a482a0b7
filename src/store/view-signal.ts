/**
 * The one "view changed" signal of a node (architecture.md): every cache of
 * the current view, and everything that follows new facts, listens here
 * rather than keeping its own notion of freshness.
 *
 * Two moments:
 * - **Inside the write.** The store's projection writers (a chain head
 *   moved, a head died, a triple's verdict changed) report the entity and
 *   scope they touched as they do it; caches drop what they hold for it at
 *   once, so no read in the same turn can see a stale row. Dropping is safe
 *   even if the write then rolls back. When another connection committed
 *   (SQLite's `data_version` moved) everything may have changed, and
 *   listeners hear `null`.
 * - **After the commit.** The facts a transaction wrote are announced once
 *   it has committed — never a fact whose savepoint or transaction rolled
 *   back — to the embedder, watchers and the federation live tail.
 *
 * @module
 */
import type { FactRow } from "./fact-row.js";

/** A slice of the view that changed: one entity in one scope. */
export interface ViewChange {
  readonly entity: string;
  readonly scope: string;
}

export type ChangeListener = (change: ViewChange | null) => void;
export type CommitListener = (rows: readonly FactRow[]) => void;

export class ViewSignal {
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly commitListeners = new Set<CommitListener>();
  /** Facts written by the open transaction, in write order. */
  private pending: FactRow[] = [];

  /**
   * @param onListenerError told of a commit listener that threw; the others
   *   still run and the write stays committed.
   */
  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Hears every change inside writes; returns the unsubscribe function. Must not throw. */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Hears the facts of each committed transaction; returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** A projection write touched `entity` in `scope` (called inside the write). */
  changed(entity: string, scope: string): void {
    const change = { entity, scope };
    for (const l of this.changeListeners) l(change);
  }

  /** Another connection committed: anything may have changed. */
  everything(): void {
    for (const l of this.changeListeners) l(null);
  }

  /** A new fact row was written by the open transaction. */
  wrote(row: FactRow): void {
    this.pending.push(row);
  }

  /** A point to roll back to if the work that follows fails (a savepoint). */
  mark(): number {
    return this.pending.length;
  }

  /** Forgets the facts written since `mark`: their savepoint rolled back. */
  rollbackTo(mark: number): void {
    this.pending.length = Math.min(this.pending.length, mark);
  }

  /** The transaction committed: announces its facts. */
  committed(): void {
    const rows = this.pending;
    this.pending = [];
    if (rows.length === 0) return;
    for (const l of this.commitListeners) {
      try {
        l(rows);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  /** The transaction rolled back as a whole: none of its facts exist. */
  aborted(): void {
    this.pending = [];
  }
}
