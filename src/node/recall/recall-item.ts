/**
 * One recall candidate on its way through scoring, diversification and
 * packing: a stored fact (its scoring row) or a memory card standing in for
 * several of an entity's facts.
 *
 * @module
 */
import type { Signals } from "../../core/recall/scoring.js";
import type { ScoringRow } from "../../store/recall-rows.js";
import type { Fact } from "../facts/fact.js";

/**
 * A scored candidate before packing: a stored fact or a collapsed card.
 * A fact is read in full (and its record built) only once it is packed,
 * since most candidates are never packed.
 */
export interface RecallItem {
  readonly row: ScoringRow | null;
  readonly card: Fact | null;
  readonly entity: string;
  readonly relation: string;
  readonly scope: string;
  readonly interpretAs: string;
  signals: Signals;
  score: number;
  hops: number;
  tokens: number;
  /** Newer first among equal scores. */
  readonly hlc: { wall: number; counter: number };
  /**
   * For a question listing a relation: how many candidates share this item's
   * relation and value (≥ 2), the others following after every distinct
   * value (diversify.ts); undefined otherwise.
   */
  sameValue?: number;
}
