/**
 * A stored fact as every reader receives it: the immutable columns of
 * `facts` and the projections (chain head, overruling, contradiction) that
 * place it in the view.
 *
 * @module
 */

/** A stored fact with the projection columns a reader needs. */
export interface FactRow {
  rowid: number;
  id: string;
  entity: string;
  relation: string;
  value_type: string;
  value_v: string;
  interpret_as: string;
  source: string;
  confidence: number;
  scope: string;
  garden_id: string | null;
  valid_until: string | null;
  valid_until_ms: number | null;
  timestamp: string;
  hlc_w: number;
  hlc_c: number;
  origin_hlc_w: number;
  origin_hlc_c: number;
  origin_node_id: string | null;
  received_from: string | null;
  /** Entity of the key that wrote a local fact; null for ingested facts. */
  actor: string | null;
  cid: string;
  supersedes: string | null;
  write_mode: string | null;
  derived_from: string | null;
  /** Quarantine status the fact was stored with (`pending`); null for an ordinary fact. */
  quarantine: string | null;
  /** 1 when this row is its chain's head. */
  is_head: number;
  /** 1 when a resolution overruled this row. */
  overruled: number;
  /** 1 when this row is a live head of a contradicted triple. */
  contradicted: number;
}
