/**
 * What the stages of one recall share (protocol.md §9): the node, the
 * validated request, the caller's slice of the current view and the instant
 * the recall judges expiry and recency at. Built once per recall by
 * recall.ts and passed to every stage, so no stage re-derives it.
 *
 * @module
 */
import type { ViewFilter } from "../../store/view-filter.js";
import type { NodeContext } from "../node-context.js";
import type { RecallParams } from "./recall-params.js";

/** One recall's shared inputs. */
export interface RecallContext {
  readonly node: NodeContext;
  readonly params: RecallParams;
  /** The caller's readable current view of the requested scope (and entity/relation filters). */
  readonly view: ViewFilter;
  /** Epoch ms the recall judges expiry and recency at. */
  readonly now: number;
}
