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

/** What the node says about itself to anyone (the discovery document's content). */
export interface NodeInfo {
  readonly version: "1.0";
  readonly nodeId: string;
  readonly nodeUrl: string;
  readonly auth: "required" | "none";
  readonly federation: "enabled" | "disabled";
  readonly sourceAttestation: "off";
  readonly namespaces: readonly string[];
  readonly spec: string;
  readonly serverVersion: string;
  /** Federation only: the node's Ed25519 key, base64url without padding (protocol.md §7). */
  readonly federationPubkey?: string;
  readonly federationVersion?: string;
  readonly federationEndpoints?: { readonly peers: string; readonly facts: string; readonly push: string | null; readonly pullStream: string };
}

/** Describes `node`. Open route: reveals nothing secret. */
export function describeNode(node: NodeContext): NodeInfo {
  const info: NodeInfo = {
    version: "1.0",
    nodeId: node.nodeId,
    nodeUrl: node.nodeUrl,
    auth: node.config.authRequired ? "required" : "none",
    federation: node.config.federationEnabled ? "enabled" : "disabled",
    sourceAttestation: "off",
    namespaces: [...NAMESPACES],
    spec: "stigmem-0.9",
    serverVersion: VERSION,
  };
  const fed = node.federation;
  if (fed === null) return info;
  return {
    ...info,
    federationPubkey: fed.key.publicKey,
    federationVersion: FEDERATION_VERSION,
    federationEndpoints: {
      peers: "/v1/federation/peers",
      facts: "/v1/federation/facts",
      push: node.config.federationPush ? "/v1/federation/facts/push" : null,
      // Ours: a reference node has no stream, which is how a peer tells the two apart (§10).
      pullStream: PULL_STREAM_PATH,
    },
  };
}

/** The doctor report: protocol constants in force and component versions (keys as reported). */
export interface DoctorReport {
  readonly nodeId: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly constants: Readonly<Record<string, number | string | boolean>>;
}

/** Builds the doctor report: constants and versions only, nothing about data or principals. */
export function doctor(node: NodeContext): DoctorReport {
  const db = node.storageInfo();
  return {
    nodeId: node.nodeId,
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
