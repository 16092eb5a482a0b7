/**
 * @module core/cid
 *
 * The content identifier of a fact (protocol.md §4). It is byte-compatible
 * with the reference node, so our CIDs verify there and theirs here; the
 * known-answer table in §4 is the contract.
 */
import { quoteJsonString } from "./canonical-json.js";
import { sha256Tagged } from "./content-hash.js";
import { CoreError } from "./errors.js";
import { pythonFloatRepr } from "./python-float.js";
import type { Scope } from "./scope.js";
import type { ValueType } from "./values.js";

/** The CID grammar: `sha256:` plus 64 lowercase hex digits. */
const CID_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * True for exactly `sha256:` + 64 lowercase hex digits, the only CID form we
 * emit or accept; anything else is 400 `cid_malformed` on GET (§4).
 */
export function isCidString(s: unknown): s is string {
  return typeof s === "string" && CID_PATTERN.test(s);
}

/** The seven fields a CID covers; nothing else (id, timestamps, garden) enters it. */
export interface CidInput {
  /** Already normalized with `normalizeEntityUri` (§3); not normalized here. */
  readonly entity: string;
  readonly relation: string;
  readonly value_type: ValueType;
  /** The stored text from `toValueV` (or an ingest fallback candidate). */
  readonly value_v: string;
  /** Already normalized with `normalizeEntityUri` (§3); not normalized here. */
  readonly source: string;
  /** Hashed as a Python float (`1.0`, `1e-05`), never as a JS number. */
  readonly confidence: number;
  readonly scope: Scope;
}

/**
 * The canonical body whose hash is the CID:
 * `{"confidence":…,"entity":…,"relation":…,"scope":…,"source":…,"value_type":…,"value_v":…}`.
 * Exposed for `verify-cid` diagnostics and debugging.
 */
export function cidBody(input: CidInput): string {
  if (typeof input.confidence !== "number" || !Number.isFinite(input.confidence)) {
    throw new CoreError("invalid_confidence", "confidence", "confidence must be a finite number");
  }
  // The canonical JSON of these seven keys, written in their sorted order: the same bytes as
  // canonicalJson (a property test checks it) without its generic walk, on every write and read.
  const q = quoteJsonString;
  return (
    `{"confidence":${pythonFloatRepr(input.confidence, "confidence")},"entity":${q(input.entity, () => "entity")},` +
    `"relation":${q(input.relation, () => "relation")},"scope":${q(input.scope, () => "scope")},` +
    `"source":${q(input.source, () => "source")},"value_type":${q(input.value_type, () => "value_type")},` +
    `"value_v":${q(input.value_v, () => "value_v")}}`
  );
}

/**
 * `"sha256:" + hex(SHA-256(UTF-8(body)))` per §4. The caller normalizes
 * entity and source first, and passes the stored `value_v`; the function is
 * pure so the same code computes, verifies and re-verifies on read.
 *
 * @throws CoreError `lone_surrogate` for unencodable strings, or
 *   `invalid_confidence` for a non-finite confidence.
 * @example
 * computeCid({ entity: "user:alice", relation: "memory:role", value_type: "string",
 *   value_v: "CEO", source: "agent:test", confidence: 1, scope: "company" });
 * // "sha256:400749bd…c159"
 */
export function computeCid(input: CidInput): string {
  return sha256Tagged(cidBody(input));
}
