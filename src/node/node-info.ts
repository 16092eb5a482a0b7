/**
 * What a node says about itself: the `/.well-known/stigmem` discovery
 * document (protocol.md §7) and the Connect NodeService twin.
 *
 * @module
 */
import {
  DEFAULT_LIMIT,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  MAX_BATCH,
  MAX_DEPTH,
  MAX_FIELD_BYTES,
  MAX_LIMIT,
  MAX_TOKEN_BUDGET,
  MAX_VALUE_BYTES,
} from "../core/limits.js";
import { CARD_FORMAT_VERSION } from "../core/recall/card-summary.js";
import { STOPWORDS_VERSION } from "../core/recall/query-text.js";
import { VERSION } from "../version.js";
import { FEDERATION_VERSION, PULL_STREAM_PATH } from "./federation/federation-runtime.js";
import type { NodeContext } from "./node-context.js";

/** Relation namespaces this node understands (protocol.md §7). */
export const NAMESPACES = ["stigmem:", "rel:", "memory:", "intent:", "roadmap:", "preference:", "garden:"] as const;

/** The discovery document, field names as on the wire. */
export interface NodeInfo {
  version: "1.0";
  node_id: string;
  node_url: string;
  auth: "required" | "none";
  federation: "enabled" | "disabled";
  source_attestation: "off";
  namespaces: string[];
  spec: string;
  cors: { dev_localhost: boolean; configured: string[] };
  server_version: string;
  /** Federation only: the node's Ed25519 key, base64url without padding (protocol.md §7). */
  federation_pubkey?: string;
  federation_version?: string;
  federation_endpoints?: { peers: string; facts: string; push: string | null; pull_stream: string };
}

/** Builds the discovery document for `node`. Open route: reveals nothing secret. */
export function describeNode(node: NodeContext): NodeInfo {
  const info: NodeInfo = {
    version: "1.0",
    node_id: node.nodeId,
    node_url: node.nodeUrl,
    auth: node.config.authRequired ? "required" : "none",
    federation: node.config.federationEnabled ? "enabled" : "disabled",
    source_attestation: "off",
    namespaces: [...NAMESPACES],
    spec: "stigmem-0.9",
    cors: { dev_localhost: false, configured: [] },
    server_version: VERSION,
  };
  const fed = node.federation;
  if (fed === null) return info;
  return {
    ...info,
    federation_pubkey: fed.key.publicKey,
    federation_version: FEDERATION_VERSION,
    federation_endpoints: {
      peers: "/v1/federation/peers",
      facts: "/v1/federation/facts",
      push: node.config.federationPush ? "/v1/federation/facts/push" : null,
      // Ours: a reference node has no stream, which is how a peer tells the two apart (§10).
      pull_stream: PULL_STREAM_PATH,
    },
  };
}

/** The `/v1/doctor` report: status, protocol constants in force, component versions. */
export interface DoctorReport {
  status: "ok";
  memory_garden_acl_filtering: true;
  node_id: string;
  versions: Record<string, string>;
  constants: Record<string, number | string | boolean>;
}

/** Builds the doctor report. Open route: constants and versions only, nothing about data or principals. */
export function doctor(node: NodeContext): DoctorReport {
  const db = node.storageInfo();
  return {
    status: "ok",
    memory_garden_acl_filtering: true,
    node_id: node.nodeId,
    versions: {
      stigmem: VERSION,
      node: process.versions.node,
      sqlite: db.sqliteVersion,
      schema: String(db.schemaVersion),
      // The model whose vectors recall compares against (protocol.md §13.7); "none" without one.
      embedder: node.recall.semantic?.embedderId ?? "none",
      // Recall tuning that changes rankings (protocol.md §13.7).
      recall_stopwords: STOPWORDS_VERSION,
      card_format: String(CARD_FORMAT_VERSION),
    },
    constants: {
      max_value_bytes: MAX_VALUE_BYTES,
      max_field_bytes: MAX_FIELD_BYTES,
      max_limit: MAX_LIMIT,
      default_limit: DEFAULT_LIMIT,
      max_batch: MAX_BATCH,
      max_token_budget: MAX_TOKEN_BUDGET,
      max_depth: MAX_DEPTH,
      hlc_max_future_skew_ms: DEFAULT_MAX_FUTURE_SKEW_MS,
      recall_fusion: node.config.recallFusion,
      recall_half_life_days: node.config.recallHalfLifeDays,
      recall_cache_rows: node.config.recallCacheRows,
    },
  };
}
