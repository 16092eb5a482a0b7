/**
 * Document frequencies of query tokens, cached per node. The lexical
 * channel plans its full-text query with them (which tokens narrow, which
 * are too common to rank by); counting a very common token scans its whole
 * doclist (tens of milliseconds at a million facts), so counts are reused
 * until the store has grown by 5 % or ten minutes have passed.
 *
 * @module
 */
import type { RecallStore } from "../../store/recall-store.js";

const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 10 * 60_000;
const MAX_GROWTH = 1.05;

interface Entry {
  df: number;
  /** Documents in the index when counted. */
  docs: number;
  at: number;
}

export class TokenStats {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: RecallStore) {}

  /** Documents in the full-text index now. */
  documents(): number {
    return this.store.ftsDocuments();
  }

  /** Stored rows containing `token` (a query token: letters and digits only). */
  df(token: string, docs: number, now = Date.now()): number {
    const hit = this.entries.get(token);
    if (hit !== undefined && now - hit.at < MAX_AGE_MS && docs <= hit.docs * MAX_GROWTH) {
      // Refresh its place in the LRU order.
      this.entries.delete(token);
      this.entries.set(token, hit);
      return hit.df;
    }
    const df = this.store.ftsCount(`"${token}"`);
    this.entries.set(token, { df, docs, at: now });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return df;
  }
}

