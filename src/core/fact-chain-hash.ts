/**
 * @module core/fact-chain-hash
 *
 * The link hash of the ref-compatible fact chain (protocol.md §11):
 * `chain_hash = H({chain_seq, created_at, event_hash, fact_id, previous_hash,
 * tenant_id})` over `event_hash = H({cid, confidence, entity, fact_id,
 * relation, scope, source, tenant_id, value_type, value_v})`. One function,
 * used by the writer that stores links and by `Stigmem-Verify: full` that
 * re-derives them, so the two can never disagree.
 *
 * The canonical JSON is written with its keys already in sorted order — the
 * same bytes as `contentHash` (a test checks it), without sorting keys a
 * million times when a long chain is verified.
 */
import { quoteJsonString } from "./canonical-json.js";
import { sha256Tagged } from "./content-hash.js";
import { pythonFloatRepr } from "./python-float.js";

/** The only tenant of the first wave. */
export const CHAIN_TENANT = "default";

/** What a link covers: its position, the fact's fields and the link's `created_at` (the fact's timestamp). */
export interface ChainLinkInput {
  readonly chain_seq: number;
  readonly id: string;
  readonly cid: string;
  readonly confidence: number;
  readonly entity: string;
  readonly relation: string;
  readonly scope: string;
  readonly source: string;
  readonly value_type: string;
  readonly value_v: string;
  readonly timestamp: string;
}

/** `sha256:`-tagged link hash of `link`, chained to the previous link's hash (null for the first). */
export function chainLinkHash(link: ChainLinkInput, previous: string | null): string {
  const q = quoteJsonString;
  const event =
    `{"cid":${q(link.cid)},"confidence":${pythonFloatRepr(link.confidence)},"entity":${q(link.entity)},` +
    `"fact_id":${q(link.id)},"relation":${q(link.relation)},"scope":${q(link.scope)},"source":${q(link.source)},` +
    `"tenant_id":"${CHAIN_TENANT}","value_type":${q(link.value_type)},"value_v":${q(link.value_v)}}`;
  const body =
    `{"chain_seq":${link.chain_seq},"created_at":${q(link.timestamp)},"event_hash":"${sha256Tagged(event)}",` +
    `"fact_id":${q(link.id)},"previous_hash":${previous === null ? "null" : q(previous)},"tenant_id":"${CHAIN_TENANT}"}`;
  return sha256Tagged(body);
}
