/**
 * The slice of the current view one recall, card or graph read may see:
 * the scope it asked for, the read rules of its caller, and an optional
 * entity or relation. Shared by the SQL reads (recall-store.ts) and recall's
 * in-memory copy of the view (view-row-cache.ts).
 *
 * @module
 */
import type { Condition } from "../core/access/condition.js";

/** The slice of the current view a read may see. */
export interface ViewFilter {
  /** Exact scope, already authorized. */
  readonly scope: string;
  /**
   * The current-view facts the reader may see (node/access/read-rules.ts),
   * with any confidence or content-only cut; the same condition object is
   * shared by every read of one request, so its compiled form is reused.
   */
  readonly readable: Condition;
  readonly entity?: string;
  readonly relation?: string;
}
