/**
 * A fact's CID computed on the client, byte for byte as the node computes it
 * (protocol.md §4): the node's own pure code from `src/core` (normalization,
 * canonical value text, Python-float confidence, canonical JSON, SHA-256),
 * compiled into the SDK rather than rewritten, so the two cannot drift.
 *
 * @module
 */
import { computeCid } from "../../../../src/core/cid.js";
import { isCoreError } from "../../../../src/core/errors.js";
import { normalizeEntityUri } from "../../../../src/core/normalize-uri.js";
import { parseScope } from "../../../../src/core/scope.js";
import { toValueV } from "../../../../src/core/values.js";
import type { FactValue, ValueInput } from "../types.js";

/** The seven fields a CID covers; a `Fact` from any call has them. */
export interface CidFields {
  readonly entity: string;
  readonly relation: string;
  readonly value: FactValue | ValueInput;
  readonly source: string;
  /** Default 1, as on the node. */
  readonly confidence?: number;
  /** Default `local`, as on the node. */
  readonly scope?: string;
}

/** The stored text of a value (`value_v`, §2): what the CID and the fact chain hash. */
export function factValueV(v: FactValue | ValueInput): string {
  return toValueV({ type: v.type, v: v.v ?? undefined });
}

/**
 * `sha256:` + hex SHA-256 of the canonical body (§4). Entity and source are
 * normalized first, as the node does on write, so the CID of an input equals
 * the CID of the fact the node will store.
 *
 * @throws CoreError when a field cannot be hashed (a lone surrogate, a bad number, an unknown scope).
 * @example
 * computeFactCid({ entity: "user:alice", relation: "memory:role", value: value.string("CEO"),
 *   source: "agent:test", scope: "company" });
 * // "sha256:400749bdb74040c90e5f8eb02d3c4e60c1619259c02e9bfeeda8708a8d5fc159"
 */
export function computeFactCid(f: CidFields): string {
  return computeCid({
    entity: normalizeEntityUri(f.entity),
    relation: f.relation,
    value_type: f.value.type,
    value_v: factValueV(f.value),
    source: normalizeEntityUri(f.source, "source"),
    confidence: f.confidence ?? 1,
    scope: parseScope(f.scope ?? "local"),
  });
}

/** The outcome of checking a fact against its `cid`. */
export interface CidVerification {
  readonly valid: boolean;
  /** What the fields hash to; null when they cannot be hashed at all. */
  readonly computedCid: string | null;
  readonly storedCid: string;
  /** Why it failed, when it did. */
  readonly reason: "mismatch" | "unhashable" | null;
}

/**
 * Recomputes a fact's CID and compares it with the one it carries: a fact
 * altered anywhere on the way (a field, the value, the confidence) fails.
 */
export function verifyFactCid(f: CidFields & { readonly cid: string }): CidVerification {
  let computed: string;
  try {
    computed = computeFactCid(f);
  } catch (e) {
    if (!isCoreError(e)) throw e;
    return { valid: false, computedCid: null, storedCid: f.cid, reason: "unhashable" };
  }
  const valid = computed === f.cid;
  return { valid, computedCid: computed, storedCid: f.cid, reason: valid ? null : "mismatch" };
}
